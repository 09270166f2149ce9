// `sipas officials results` and `sipas officials derive` (par-cycle.md §5, docs/officials.md
// "Scoring"): an officials' survey's points by unit and group, and those points stored as the
// units' PAR points.
import type { OfficialLeafResult, OfficialResults } from '../../../analysis/official-document.ts';
import { officialResultsCsv } from '../../../analysis/official-format.ts';
import { deriveOfficialPoints, officialResults } from '../../services/official-results.ts';
import type { Command } from '../command.ts';
import { OUT_USAGE, outputFormat, outputOptions, writeReport } from '../output.ts';
import { fixed, renderTable } from '../table.ts';

const percent = (rate: number | null) => (rate === null ? '–' : `${fixed(rate * 100, 1)}%`);

const leafCells = (leaf: OfficialLeafResult) => [
  String(leaf.respondents),
  fixed(leaf.points),
  fixed(leaf.max),
  fixed(leaf.se),
  leaf.interval ? `${fixed(leaf.interval[0])}–${fixed(leaf.interval[1])}` : '–',
];

/** One line per unit and leaf, then its groups' (a withheld group's reason instead). */
function resultsTable(results: OfficialResults): string {
  const rows = results.units.flatMap((unit) => [
    ...unit.leaves.map((leaf) => [
      unit.unit,
      '',
      leaf.leaf,
      `${unit.answered}/${unit.invited}`,
      percent(unit.rate),
      ...leafCells(leaf),
    ]),
    ...unit.groups.flatMap((group) => {
      const counts = [`${group.answered}/${group.invited}`, percent(group.rate)];
      return group.leaves === null
        ? [[unit.unit, group.group, `withheld: ${group.suppressed ?? ''}`, ...counts]]
        : group.leaves.map((leaf) => [
            unit.unit,
            group.group,
            leaf.leaf,
            ...counts,
            ...leafCells(leaf),
          ]);
    }),
  ]);
  return `${results.survey} ${results.framework} ${results.period}, groups under ${results.minGroup} withheld\n${renderTable(
    ['unit', 'group', 'leaf', 'answered', 'rate', 'n', 'points', 'max', 'SE', '95% interval'],
    rows,
    3,
  )}`;
}

export const officialsResults: Command = {
  name: 'officials results',
  existingOnly: true,
  usage: `CODE [--format json|csv|table] ${OUT_USAGE}`,
  options: { ...outputOptions },
  positionals: { min: 1, max: 1 },
  async run(context, invocation) {
    const format = outputFormat(invocation, ['json', 'csv', 'table'] as const, 'json');
    const [code = ''] = invocation.positionals;
    const results = await officialResults(await context.readDb(), context.principal, code);
    await writeReport(context, invocation, format, {
      document: results,
      csv: officialResultsCsv,
      table: resultsTable,
      sheetName: results.survey,
    });
  },
};

export const officialsDerive: Command = {
  name: 'officials derive',
  existingOnly: true,
  usage: 'CODE',
  positionals: { min: 1, max: 1 },
  async run(context, invocation) {
    const [code = ''] = invocation.positionals;
    const { stored, units } = await deriveOfficialPoints(
      await context.db(),
      context.principal,
      code,
    );
    context.stdout.write(`stored ${stored} (${units} units)\n`);
  },
};
