import { importUnits } from '../../services/units.ts';
import { importCounters } from '../../services/counters.ts';
import type { Command } from '../command.ts';

export const unitsImport: Command = {
  name: 'units import',
  usage: 'UNITS.CSV|-',
  positionals: { min: 1, max: 1 },
  async run(context, { positionals: [file = ''] }) {
    const { created, updated } = await context.files.read(file, async (input) =>
      importUnits(await context.db(), context.principal, input),
    );
    context.stdout.write(`units: created ${created}, updated ${updated}\n`);
  },
};

export const countersImport: Command = {
  name: 'counters import',
  usage: 'COUNTERS.CSV|-',
  positionals: { min: 1, max: 1 },
  async run(context, { positionals: [file = ''] }) {
    const { created, updated } = await context.files.read(file, async (input) =>
      importCounters(await context.db(), context.principal, input),
    );
    context.stdout.write(`counters: created ${created}, updated ${updated}\n`);
  },
};
