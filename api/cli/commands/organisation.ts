import { importUnits, unitHistory, unitOnDay } from '../../services/units.ts';
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

export const unitsShow: Command = {
  name: 'units show',
  usage:
    'CODE [--on DATE]   (the unit, its type, validity, parent and counters on DATE, default today)',
  options: { on: { type: 'string' } },
  positionals: { min: 1, max: 1 },
  existingOnly: true,
  async run(context, invocation) {
    const { on } = invocation.values;
    const unit = await unitOnDay(
      await context.db(),
      context.principal,
      invocation.positionals[0] ?? '',
      typeof on === 'string' ? on : undefined,
    );
    context.stdout.write(`${JSON.stringify(unit, null, 2)}\n`);
  },
};

export const unitsHistory: Command = {
  name: 'units history',
  usage: 'CODE   (every unit the code named: validity, parents, counters, lineage in and out)',
  positionals: { min: 1, max: 1 },
  existingOnly: true,
  async run(context, invocation) {
    const code = invocation.positionals[0] ?? '';
    const history = await unitHistory(await context.db(), context.principal, code);
    context.stdout.write(`${JSON.stringify(history, null, 2)}\n`);
  },
};
