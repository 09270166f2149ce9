// League tables: equal scores share a rank and the next rank skips (1, 2, 2, 4), scores being
// compared as they are shown (2 decimals; the rule itself is shared/rules.ts, `rankAmong`). Rows
// left out of the ranking (no score, or flagged and not asked for) come last, unranked.
import { rankAmong } from '../../shared/rules.ts';

/** Scores are shown with 2 decimals (format.ts). */
const SHOWN_DECIMALS = 2;

export interface Ranked<T> {
  row: T;
  rank: number | null;
}

export function rankWithTies<T>(
  rows: readonly T[],
  score: (row: T) => number | null,
  include: (row: T) => boolean = () => true,
): Ranked<T>[] {
  const scored = rows.flatMap((row) => {
    const value = score(row);
    return value !== null && include(row) ? [{ row, value }] : [];
  });
  const rank = rankAmong(
    scored.map(({ value }) => value),
    SHOWN_DECIMALS,
  );
  const ranked = scored
    .sort((a, b) => b.value - a.value)
    .map(({ row, value }) => ({ row, rank: rank(value) }));
  const inRanking = new Set(scored.map(({ row }) => row));
  const left = rows.filter((row) => !inRanking.has(row));
  return [...ranked, ...left.map((row) => ({ row, rank: null }))];
}
