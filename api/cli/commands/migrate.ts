import type { Command } from '../command.ts';

export const migrate: Command = {
  name: 'migrate',
  usage: '',
  async run(context) {
    // Opening the database applies pending migrations (CliContext.db).
    await context.db();
    context.stderr.write('The database is migrated.\n');
  },
};
