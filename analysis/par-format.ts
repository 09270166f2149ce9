// The PAR scorecard as CSV (interchange §6 flattened), for the command and the API alike.
import { stringify } from 'csv-stringify/sync';
import type { Scorecard } from './par.ts';

/** The framework's component codes, in the order the scorecard lists them. */
export const componentCodes = (card: Scorecard) => Object.keys(card.rows[0]?.components ?? {});

/** One row per unit; each component spreads over `<code>_points`, `<code>_max` and so on. */
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
  ];
  const rows = card.rows.map((row) => [
    row.unit,
    row.total,
    row.change,
    row.rank,
    row.rankChange,
    row.gapToTarget,
    ...Object.values(row.components).flatMap((c) => [
      c.points,
      c.max,
      c.available,
      c.change,
      c.rank,
      c.rankChange,
    ]),
  ]);
  return stringify(rows, { header: true, columns: header });
}
