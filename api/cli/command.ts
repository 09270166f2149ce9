// What a `sipas` subcommand is. Each lives in api/cli/commands/ and is listed in its index.
import type { Readable, Writable } from 'node:stream';
import { text } from 'node:stream/consumers';
import type { ParseArgsConfig } from 'node:util';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { ReportsConfig } from '../config.ts';
import { DomainError, text as bilingual } from '../errors.ts';
import type { Principal } from '../services/access.ts';
import { DELIMITER_NAMES, type Delimiter } from '../services/csv.ts';

export type Options = NonNullable<ParseArgsConfig['options']>;

export interface Invocation {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/**
 * The files a command reads and writes, named as the user typed them. The command line opens
 * them itself; when the running server runs the command for it (api/cli/forward.ts), they
 * still are the command line's files, read and written by the command line's process.
 */
export interface CliFiles {
  /**
   * Runs `work` on FILE, or on stdin for `-`. The file is opened first, so that a missing or
   * unreadable one is reported (DomainError) before any work; it is closed after.
   */
  read<T>(path: string, work: (input: Readable) => Promise<T>): Promise<T>;
  /** Runs `work` on a stream that becomes FILE only once `work` has ended it (whole-file.ts). */
  write<T>(path: string, work: (output: Writable) => Promise<T>): Promise<T>;
}

/** FILE (or stdin for `-`) read whole as JSON; not JSON is a 400 naming the file and why. */
export async function readJsonFile(files: CliFiles, file: string): Promise<unknown> {
  const body = await files.read(file, (input) => text(input));
  try {
    return JSON.parse(body) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DomainError(
      'bad-request',
      bilingual(`${file} không phải JSON: ${reason}`, `${file} is not JSON: ${reason}`),
    );
  }
}

export interface CliContext {
  /** Opens (once) and migrates the database named by --data or DATABASE_URL. */
  db(): Promise<Kysely<Database>>;
  /**
   * The database the analysis reads run on (scores, comparisons, scorecards, exports, plans):
   * the standby of DATABASE_READ_URL, with its lag on stderr, once db() has checked the
   * primary's schema; else db().
   */
  readDb(): Promise<Kysely<Database>>;
  /** The local operator: an admin over the whole organisation. */
  readonly principal: Principal;
  /** SIPAS_REORGANISED_BELOW, or the server's when the command runs in it. */
  readonly reports: ReportsConfig;
  /** What the command reads that is not a file: a password, never an argument. */
  readonly stdin: NodeJS.ReadableStream;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  /** Progress goes to stderr only when it is a terminal. */
  readonly interactive: boolean;
  readonly files: CliFiles;
}

export interface Command {
  /** The words that name it, e.g. `responses import`. */
  name: string;
  /** One line: the arguments after the name, e.g. `--campaign CODE FILE [--dry-run]`. */
  usage: string;
  options?: Options;
  /**
   * True for a command that works only on what is already stored (a read, a revocation): it
   * never creates a database, and reports that none exists where it looked.
   */
  existingOnly?: boolean;
  /**
   * Why the command cannot run inside the running server, when it cannot (e.g. it replaces
   * the database the server serves); such a command waits until the server is stopped.
   */
  notBesideServer?: string;
  /** How many positional arguments it takes. */
  positionals?: { min: number; max: number };
  run(context: CliContext, invocation: Invocation): Promise<void>;
}

/** Bad usage: exit status 2. */
export class UsageError extends Error {}

/** Reads a required string option, or throws UsageError naming it. */
export function requireOption(invocation: Invocation, name: string): string {
  const value = invocation.values[name];
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

/** Reads an optional string option restricted to a list of choices. */
export function choiceOption<T extends string>(
  invocation: Invocation,
  name: string,
  choices: readonly T[],
): T | undefined {
  const value = invocation.values[name];
  if (value === undefined) return undefined;
  const found = choices.find((c) => c === value);
  if (found === undefined) throw new UsageError(`--${name} must be one of ${choices.join(', ')}`);
  return found;
}

/** `--delimiter` of the imports: a CSV file's separator, found on its first line when not given. */
export const delimiterOptions: Options = { delimiter: { type: 'string' } };
export const DELIMITER_USAGE = "[--delimiter ,|';'|tab]";

export const delimiterOption = (invocation: Invocation): Delimiter | undefined =>
  choiceOption(invocation, 'delimiter', DELIMITER_NAMES);
