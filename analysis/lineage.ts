// Comparisons across a reorganisation (organisation.md §2). Pure functions only: the lineage
// edges, points and counts come from the database.
//
// - PAR points change: a successor's earlier points are the share-weighted mean of its
//   predecessors' (weights: share × the predecessor's transactions when every predecessor's are
//   known, else the shares alone: a weight in transactions beside one without would mix units),
//   per component and total, a missing component counting 0 as on the scorecard; the row says
//   which predecessors it came from (`previousFrom`, codes sorted).
// - SIPAS change: the coverage of a compared group is the later campaign's respondents at
//   counters that had any response in the earlier campaign ÷ all the group's later respondents;
//   the group is `reorganised` when the coverage is strictly below the threshold (0.8).
import type { ParFramework, PointsByUnit } from './par.ts';

/** One lineage edge into a successor: the part `share` of `predecessor` went to it. */
export interface IncomingEdge {
  predecessor: string;
  share: number;
}

export interface DerivedPoints {
  /** Component code → points. */
  points: Map<string, number>;
  total: number;
  /** The predecessors whose points were used, codes sorted. */
  previousFrom: string[];
}

const byCode = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * A successor's earlier points from its predecessors' `previous` points; null when none of
 * them has points. `transactions` holds each predecessor's transactions where known.
 */
export function pointsFromPredecessors(
  framework: ParFramework,
  edges: readonly IncomingEdge[],
  previous: PointsByUnit,
  transactions: ReadonlyMap<string, number> = new Map(),
): DerivedPoints | null {
  const used = edges.filter((edge) => previous.has(edge.predecessor));
  if (used.length === 0) return null;
  const known = used.every((edge) => (transactions.get(edge.predecessor) ?? 0) > 0);
  const weights = used.map(
    (edge) => edge.share * (known ? (transactions.get(edge.predecessor) ?? 0) : 1),
  );
  const sum = weights.reduce((a, b) => a + b, 0);
  const points = new Map(
    framework.components.map((component) => {
      const weighted = used.reduce(
        (acc, edge, i) =>
          acc + (weights[i] ?? 0) * (previous.get(edge.predecessor)?.get(component.code) ?? 0),
        0,
      );
      return [component.code, weighted / sum];
    }),
  );
  return {
    points,
    total: [...points.values()].reduce((a, b) => a + b, 0),
    previousFrom: [...new Set(used.map((edge) => edge.predecessor))].sort(byCode),
  };
}

/**
 * The previous period's points on the later map: the predecessors, which have ended, leave it;
 * a unit with incoming lineage edges gets the points derived from its predecessors (and its
 * `previousFrom`); any other keeps its own.
 */
export function previousOnLaterMap(
  framework: ParFramework,
  lineage: ReadonlyMap<string, readonly IncomingEdge[]>,
  previous: PointsByUnit,
  transactions?: ReadonlyMap<string, number>,
): { points: Map<string, ReadonlyMap<string, number>>; previousFrom: Map<string, string[]> } {
  const points = new Map<string, ReadonlyMap<string, number>>(previous);
  const previousFrom = new Map<string, string[]>();
  for (const [successor, edges] of lineage) {
    points.delete(successor);
    for (const edge of edges) points.delete(edge.predecessor);
  }
  for (const [successor, edges] of lineage) {
    const derived = pointsFromPredecessors(framework, edges, previous, transactions);
    if (derived) {
      points.set(successor, derived.points);
      previousFrom.set(successor, derived.previousFrom);
    }
  }
  return { points, previousFrom };
}

/** A compared group is `reorganised` when its coverage is below this (spec §2). */
export const REORGANISED_BELOW = 0.8;

/**
 * The coverage of a compared group from its later respondents by counter and the counters with
 * any earlier response; null (and not reorganised) when the group has no later respondent.
 */
export function compareCoverage(
  laterRespondents: ReadonlyMap<string, number>,
  earlierCounters: ReadonlySet<string>,
  threshold = REORGANISED_BELOW,
): { coverage: number | null; reorganised: boolean } {
  let all = 0;
  let covered = 0;
  for (const [counter, respondents] of laterRespondents) {
    all += respondents;
    if (earlierCounters.has(counter)) covered += respondents;
  }
  if (all === 0) return { coverage: null, reorganised: false };
  const coverage = covered / all;
  return { coverage, reorganised: coverage < threshold };
}
