import { backupDatabase, restoreDatabase } from '../../services/backup.ts';
import type { Command } from '../command.ts';

const describe = (summary: Record<string, number>): string => {
  const rows = Object.values(summary).reduce((sum, n) => sum + n, 0);
  return `${rows} rows in ${Object.keys(summary).length} tables`;
};

export const backup: Command = {
  name: 'backup',
  existingOnly: true,
  usage: 'FILE|-   (the whole database, gzip; - writes to stdout)',
  positionals: { min: 1, max: 1 },
  async run(context, invocation) {
    const file = invocation.positionals[0] ?? '';
    const db = await context.db();
    const summary =
      file === '-'
        ? await backupDatabase(db, context.stdout, { end: false })
        : await context.files.write(file, (output) => backupDatabase(db, output));
    // stdout may be the backup itself.
    context.stderr.write(`backup: ${describe(summary)}\n`);
  },
};

export const restore: Command = {
  name: 'restore',
  notBesideServer: 'it replaces the whole database, which the server is serving',
  usage: 'FILE|-   (into an empty database of the same schema version)',
  positionals: { min: 1, max: 1 },
  async run(context, invocation) {
    // The file first: a missing one is reported without opening the database.
    const summary = await context.files.read(invocation.positionals[0] ?? '', async (input) =>
      restoreDatabase(await context.db(), input),
    );
    context.stdout.write(`restored ${describe(summary)}\n`);
  },
};
