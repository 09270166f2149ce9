import { text } from 'node:stream/consumers';
import { DomainError, text as bilingual } from '../../errors.ts';
import { saveInstrument } from '../../services/instruments.ts';
import { type Command, UsageError } from '../command.ts';

export const instrumentsAdd: Command = {
  name: 'instruments add',
  usage: 'FILE.json   # an instrument version as data (analysis/instrument.ts)',
  positionals: { min: 1, max: 1 },
  async run(context, { positionals: [file] }) {
    if (file === undefined) throw new UsageError('FILE is required');
    const definition = await context.files.read(file, async (input) => {
      const body = await text(input);
      try {
        return JSON.parse(body) as unknown;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new DomainError(
          'bad-request',
          bilingual(`${file} không phải JSON: ${reason}`, `${file} is not JSON: ${reason}`),
        );
      }
    });
    const { code, outcome } = await saveInstrument(
      await context.db(),
      context.principal,
      definition,
    );
    context.stdout.write(`${code}: ${outcome}\n`);
  },
};
