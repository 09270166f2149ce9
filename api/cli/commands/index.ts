// Every `sipas` subcommand. Add a command by listing it here.
import type { Command } from '../command.ts';
import { migrate } from './migrate.ts';
import { counterIssueToken, tokenCreate } from './tokens.ts';

export const commands: Command[] = [migrate, tokenCreate, counterIssueToken];
