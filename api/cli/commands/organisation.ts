import { importUnits } from '../../services/units.ts';
import { importCounters } from '../../services/counters.ts';
import { type Command, DELIMITER_USAGE, delimiterOption, delimiterOptions } from '../command.ts';

export const unitsImport: Command = {
  name: 'units import',
  usage: `UNITS.CSV|- ${DELIMITER_USAGE}`,
  options: delimiterOptions,
  positionals: { min: 1, max: 1 },
  async run(context, invocation) {
    const delimiter = delimiterOption(invocation);
    const { created, updated } = await context.files.read(
      invocation.positionals[0] ?? '',
      async (input) => importUnits(await context.db(), context.principal, input, delimiter),
    );
    context.stdout.write(`units: created ${created}, updated ${updated}\n`);
  },
};

export const countersImport: Command = {
  name: 'counters import',
  usage: `COUNTERS.CSV|- ${DELIMITER_USAGE}`,
  options: delimiterOptions,
  positionals: { min: 1, max: 1 },
  async run(context, invocation) {
    const delimiter = delimiterOption(invocation);
    const { created, updated } = await context.files.read(
      invocation.positionals[0] ?? '',
      async (input) => importCounters(await context.db(), context.principal, input, delimiter),
    );
    context.stdout.write(`counters: created ${created}, updated ${updated}\n`);
  },
};
