// The PAR scorecard as CSV (interchange §6 flattened), for the command and the API alike.
import { stringify } from 'csv-stringify/sync';
import { publishedPoints, type Scorecard } from './par.ts';

/** Points at their published precision (3 decimals); ranks and empty cells as they are. */
const published = (points: number | null) => (points === null ? null : publishedPoints(points));

/** The framework's component codes, in the order the scorecard lists them. */
export const componentCodes = (card: Scorecard) => Object.keys(card.rows[0]?.components ?? {});

/**
 * One row per unit; each component spreads over `<code>_points`, `<code>_max` and so on; last,
 * `previous_from`, the predecessors a row's previous points come from (`previousFrom`, joined
 * by `; `), empty for the others. Points are written at the precision PAR scores are published
 * with.
 */
export function scorecardCsv(card: Scorecard): string {
  const codes = componentCodes(card);
  const header = [
    'unit',
    'total',
    'change',
    'rank',
    'rank_change',
    'gap_to_target',
    ...codes.flatMap((code) =>
      ['points', 'max', 'available', 'change', 'rank', 'rank_change'].map((f) => `${code}_${f}`),
    ),
    'previous_from',
  ];
  const rows = card.rows.map((row) => [
    row.unit,
    published(row.total),
    published(row.change),
    row.rank,
    row.rankChange,
    published(row.gapToTarget),
    ...Object.values(row.components).flatMap((c) => [
      published(c.points),
      published(c.max),
      published(c.available),
      published(c.change),
      c.rank,
      c.rankChange,
    ]),
    (row.previousFrom ?? []).join('; '),
  ]);
  return stringify(rows, { header: true, columns: header });
}
