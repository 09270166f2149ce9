import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { importCounters } from '../../services/counters.ts';
import {
  applyReorganisation,
  previewReorganisation,
  type ReorganisationFiles,
  type ReorganisationPreview,
} from '../../services/reorganisations.ts';
import { importUnits, unitHistory, unitOnDay } from '../../services/units.ts';
import {
  choiceOption,
  type CliContext,
  type Command,
  DELIMITER_USAGE,
  delimiterOption,
  delimiterOptions,
  requireOption,
} from '../command.ts';

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

/** A file of the command read whole: the three files of a reorganisation are small. */
const readWhole = (context: CliContext, path: string): Promise<Buffer> =>
  context.files.read(path, (input) => buffer(input));

const named = (unit: { code: string; name: string } | null) =>
  unit === null ? '(root)' : `${unit.code} ${unit.name}`;

/** The preview for people: every change, then what else it touches. */
export function previewText(preview: ReorganisationPreview): string {
  const lines = [
    `units valid on the day before: ${preview.units.before}, on ${preview.on}: ${preview.units.after}`,
  ];
  for (const change of preview.changes) {
    if (change.kind === 'end') lines.push(`end: ${named(change.unit)}`);
    else if (change.kind === 'transfer') {
      lines.push(`transfer: ${named(change.unit)}: ${named(change.from)} → ${named(change.to)}`);
    } else {
      const successors = change.successors.map(
        (unit) => `${named(unit)}${unit.created ? ' (new)' : ''}`,
      );
      const shares = change.edges
        .filter((edge) => edge.share !== 1)
        .map((edge) => `${edge.predecessor} → ${edge.successor} ${edge.share}`);
      lines.push(
        `${change.kind}: ${change.predecessors.map(named).join(', ')} → ${successors.join(', ')}` +
          (shares.length > 0 ? ` (${shares.join('; ')})` : ''),
      );
    }
  }
  for (const move of preview.counterMoves) {
    lines.push(
      `counter ${move.counter}: ${named(move.from)} → ${named(move.to)}` +
        (move.openCampaign ? ' (open campaign)' : ''),
    );
  }
  for (const campaign of preview.campaigns) {
    lines.push(`open campaign ${named(campaign)}: counters ${campaign.counters.join(', ')} move`);
  }
  for (const group of preview.peerGroups) {
    lines.push(`peer group ${group.name} (${group.period}): ${group.units.join(', ')} end`);
  }
  return lines.map((line) => `${line}\n`).join('');
}

export const unitsReorganise: Command = {
  name: 'units reorganise',
  usage:
    '--on YYYY-MM-DD REORGANISATION.CSV [COUNTER-MOVES.CSV] [--transfers TRANSFERS.CSV] ' +
    '[--dry-run] [--format text|json]',
  options: {
    on: { type: 'string' },
    transfers: { type: 'string' },
    'dry-run': { type: 'boolean' },
    format: { type: 'string' },
  },
  positionals: { min: 1, max: 2 },
  async run(context, invocation) {
    const on = requireOption(invocation, 'on');
    const format = choiceOption(invocation, 'format', ['text', 'json'] as const) ?? 'text';
    const dryRun = invocation.values['dry-run'] === true;
    const [main = '', moves] = invocation.positionals;
    const { transfers } = invocation.values;
    const files: ReorganisationFiles = {
      reorganisation: Readable.from([await readWhole(context, main)]),
      ...(moves === undefined
        ? {}
        : { counterMoves: Readable.from([await readWhole(context, moves)]) }),
      ...(typeof transfers === 'string'
        ? { transfers: Readable.from([await readWhole(context, transfers)]) }
        : {}),
    };
    const db = await context.db();
    const result = dryRun
      ? await previewReorganisation(db, context.principal, { on, files })
      : await applyReorganisation(db, context.principal, { on, files });
    if (format === 'json') {
      context.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      return;
    }
    context.stdout.write(previewText(result));
    context.stdout.write(
      'id' in result
        ? `applied: reorganisation ${result.id} on ${result.on}\n`
        : 'dry run: nothing stored\n',
    );
  },
};
