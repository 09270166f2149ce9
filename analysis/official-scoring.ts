// The officials' survey scored to PAR points (par-cycle.md §5, docs/officials.md "Scoring"):
// a unit's (or a group's) respondents as a simple random sample of those invited. Each
// respondent r scores a leaf y_r, the mean over the leaf's items of the chosen options' shares;
// the leaf's points are ȳ / 100 × its maximum, with a standard error corrected for the finite
// population of the invited. The sums come from the database (queries/official-leaf-sums.sql);
// this is the small arithmetic after, and which groups' results are withheld.
import { isSuppressed } from '../shared/official.ts';
import type { OfficialGroupResult, OfficialLeafResult } from './official-document.ts';
import { Z_975 } from './rules.ts';

/** What the database sums for one leaf over a unit's or a group's respondents. */
export interface LeafAggregate {
  respondents: number;
  /** ȳ, in percent; null without respondents. */
  mean: number | null;
  /** s², the sample variance of y_r (divisor n − 1); null under two respondents. */
  variance: number | null;
}

export interface ScoredLeaf {
  code: string;
  name: string;
  max: number;
}

/**
 * A leaf's result from its respondents' aggregate and the invited N of the unit or group.
 * SE = max/100 × sqrt((1 − n/N) × s²/n): none under two respondents (no variance to estimate),
 * 0 when everyone invited answered. The 95% interval is points ± Z_975 × SE, clipped to
 * [0, max], the only points a leaf can have.
 */
export function officialLeafResult(
  leaf: ScoredLeaf,
  aggregate: LeafAggregate | undefined,
  invited: number,
): OfficialLeafResult {
  const n = aggregate?.respondents ?? 0;
  const mean = n > 0 ? (aggregate?.mean ?? null) : null;
  const base = { leaf: leaf.code, name: leaf.name, max: leaf.max, respondents: n };
  if (mean === null) return { ...base, meanShare: null, points: null, se: null, interval: null };
  const points = (mean / 100) * leaf.max;
  const variance = aggregate?.variance ?? null;
  if (n < 2 || variance === null)
    return { ...base, meanShare: mean, points, se: null, interval: null };
  // Answers never outnumber the links issued, so 1 − n/N ≥ 0; the floor keeps a group whose
  // count was read before its last answer from a square root of a negative.
  const correction = Math.max(0, 1 - n / invited);
  const se = (leaf.max / 100) * Math.sqrt((correction * Math.max(0, variance)) / n);
  const interval: [number, number] = [
    Math.max(0, points - Z_975 * se),
    Math.min(leaf.max, points + Z_975 * se),
  ];
  return { ...base, meanShare: mean, points, se, interval };
}

/**
 * Which of a unit's groups are withheld, in the order given: `small` under `minGroup`
 * respondents; and when exactly one small group has answers while others are shown, the unit's
 * results less the shown groups' would give that group's away, so the shown group of fewest
 * respondents (the first of equals) is withheld too, `complementary`. A small group without
 * answers has nothing to give away, and two or more with answers give away only their pooled
 * results, which no reader can split.
 */
export function suppressedGroups(
  respondents: readonly number[],
  minGroup: number,
): OfficialGroupResult['suppressed'][] {
  const marks: OfficialGroupResult['suppressed'][] = respondents.map((n) =>
    isSuppressed(n, minGroup) ? 'small' : null,
  );
  const exposed = respondents.filter((n, i) => marks[i] === 'small' && n > 0).length;
  let smallest = -1;
  respondents.forEach((n, i) => {
    if (marks[i] === null && (smallest < 0 || n < (respondents[smallest] ?? 0))) smallest = i;
  });
  if (exposed === 1 && smallest >= 0) marks[smallest] = 'complementary';
  return marks;
}
