import { saveInstrument } from '../../services/instruments.ts';
import { type Command, readJsonFile, UsageError } from '../command.ts';

export const instrumentsAdd: Command = {
  name: 'instruments add',
  usage: 'FILE.json   # an instrument version as data (analysis/instrument.ts)',
  positionals: { min: 1, max: 1 },
  async run(context, { positionals: [file] }) {
    if (file === undefined) throw new UsageError('FILE is required');
    const definition = await readJsonFile(context.files, file);
    const { code, outcome } = await saveInstrument(
      await context.db(),
      context.principal,
      definition,
    );
    context.stdout.write(`${code}: ${outcome}\n`);
  },
};
