// The PAR scorecard as CSV (interchange §6 flattened), for the command and the API alike.
import { stringify } from 'csv-stringify/sync';
import { publishedPoints, type Scorecard } from './par.ts';

/** Points at their published precision (3 decimals); ranks and empty cells as they are. */
const published = (points: number | null) => (points === null ? null : publishedPoints(points));

/** The framework's component codes, in the order the scorecard lists them. */
export const componentCodes = (card: Scorecard) => Object.keys(card.rows[0]?.components ?? {});

/** The node codes of a scorecard with a level, in the framework's order. */
export const nodeCodes = (card: Scorecard) => Object.keys(card.rows[0]?.nodes ?? {});

const NODE_FIELDS = [
  'points',
  'max',
  'applicable_max',
  'percent',
  'change',
  'rank',
  'rank_change',
  'target',
  'gap_to_target',
] as const;

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
    // With a level (par-cycle.md §3): the total's percent and band, whether its points are
    // provisional (self-scores not yet appraised), then each node.
    ...(card.level === undefined
      ? []
      : [
          'applicable_max',
          'percent',
          'band',
          'provisional',
          ...nodeCodes(card).flatMap((code) => NODE_FIELDS.map((f) => `node_${code}_${f}`)),
        ]),
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
    ...(card.level === undefined
      ? []
      : [
          published(row.applicableMax ?? null),
          published(row.percent ?? null),
          row.band,
          row.provisional ? 'yes' : 'no',
          ...Object.values(row.nodes ?? {}).flatMap((c) => [
            published(c.points),
            published(c.max),
            published(c.applicableMax),
            published(c.percent),
            published(c.change),
            c.rank,
            c.rankChange,
            published(c.target),
            published(c.gapToTarget),
          ]),
        ]),
    (row.previousFrom ?? []).join('; '),
  ]);
  return stringify(rows, { header: true, columns: header });
}
