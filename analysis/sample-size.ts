// The planning sample size of spec §5: n = N / (1 + N e²) for N transactions in the period
// and a margin of error e (0.05 by default).

/** Respondents to plan for, rounded up: a sample is whole people, and rounding down loses margin. */
export function planningSampleSize(transactions: number, margin = 0.05): number {
  if (!Number.isFinite(transactions) || transactions < 0) {
    throw new RangeError('transactions must be a number ≥ 0');
  }
  if (!(margin > 0 && margin < 1)) throw new RangeError('the margin must lie between 0 and 1');
  const n = transactions / (1 + transactions * margin * margin);
  // e² is inexact in binary (0.05² = 0.0025000000000000005): a whole n must not round up past itself.
  return Math.max(0, Math.ceil(n - 1e-9));
}
