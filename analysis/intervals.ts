// 95% intervals of spec §5, in percent.

export type Interval = [low: number, high: number];

const clip = (value: number) => Math.min(100, Math.max(0, value));

/**
 * The Wilson score interval of a proportion p of n answers, without continuity correction:
 * 100 × (p + z²/2n ± z √(p(1−p)/n + z²/4n²)) / (1 + z²/n). The lower bound is computed as
 * p² / (p + z²/2n + z √…), the same number since (centre − half)(centre + half) = p²(1 + z²/n),
 * so that it is exactly 0 at p = 0 (and, by symmetry, the upper bound exactly 100 at p = 1)
 * instead of a rounding residue.
 */
export function wilsonInterval(p: number, n: number, z: number): Interval {
  return [clip(100 * wilsonLower(p, n, z)), clip(100 * (1 - wilsonLower(1 - p, n, z)))];
}

/** The lower bound of `wilsonInterval` as a share; a function of its own, not a closure a call. */
function wilsonLower(share: number, n: number, z: number): number {
  const z2 = z * z;
  return (
    (share * share) /
    (share + z2 / (2 * n) + z * Math.sqrt((share * (1 - share)) / n + z2 / (4 * n * n)))
  );
}

/** index ± z × SE; item intervals are clipped to [0, 100], factor and SIPAS ones are not. */
export function normalInterval(index: number, se: number, z: number, clipped: boolean): Interval {
  const low = index - z * se;
  const high = index + z * se;
  return clipped ? [clip(low), clip(high)] : [low, high];
}
