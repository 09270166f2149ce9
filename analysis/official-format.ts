// An officials' survey's results as CSV (docs/officials.md "Scoring"), for the command and the
// API alike: one row per unit or group and leaf.
import { stringify } from 'csv-stringify/sync';
import type { OfficialLeafResult, OfficialResults } from './official-document.ts';

export const OFFICIAL_RESULTS_COLUMNS = [
  'unit',
  'unit_name',
  'group',
  'invited',
  'answered',
  'rate',
  'suppressed',
  'leaf',
  'max',
  'respondents',
  'mean_share',
  'points',
  'se',
  'low',
  'high',
] as const;

type Cell = string | number | null;

/** The columns of one leaf's figures, empty on a withheld group's row. */
const LEAF_COLUMNS = OFFICIAL_RESULTS_COLUMNS.slice(OFFICIAL_RESULTS_COLUMNS.indexOf('leaf'));

const leafCells = (leaf: OfficialLeafResult): Cell[] => [
  leaf.leaf,
  leaf.max,
  leaf.respondents,
  leaf.meanShare,
  leaf.points,
  leaf.se,
  leaf.interval?.[0] ?? null,
  leaf.interval?.[1] ?? null,
];

/**
 * A unit's rows have an empty `group`; a group's follow its unit's. A withheld group has one
 * row, its counts and why (`small`, `complementary`), its leaf cells empty. Figures unrounded.
 */
export function officialResultsCsv(results: OfficialResults): string {
  const rows = results.units.flatMap((unit) => {
    const counts = (group: string, invited: number, answered: number, rate: number | null) => [
      unit.unit,
      unit.name,
      group,
      invited,
      answered,
      rate,
    ];
    return [
      ...unit.leaves.map((leaf) => [
        ...counts('', unit.invited, unit.answered, unit.rate),
        null,
        ...leafCells(leaf),
      ]),
      ...unit.groups.flatMap((group) => {
        const own = counts(group.group, group.invited, group.answered, group.rate);
        return group.leaves === null
          ? [[...own, group.suppressed, ...LEAF_COLUMNS.map(() => null)]]
          : group.leaves.map((leaf) => [...own, null, ...leafCells(leaf)]);
      }),
    ];
  });
  return stringify([[...OFFICIAL_RESULTS_COLUMNS], ...rows]);
}
