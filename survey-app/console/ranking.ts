// League tables: equal scores share a rank and the next rank skips (1, 2, 2, 4), scores being
// compared as they are shown (2 decimals). Rows left out of the ranking (no score, or flagged
// and not asked for) come last, unranked.

export interface Ranked<T> {
  row: T;
  rank: number | null;
}

export function rankWithTies<T>(
  rows: readonly T[],
  score: (row: T) => number | null,
  include: (row: T) => boolean = () => true,
): Ranked<T>[] {
  const shown = (value: number) => Math.round(value * 100);
  const ranked = rows
    .filter((row) => score(row) !== null && include(row))
    .sort((a, b) => (score(b) ?? 0) - (score(a) ?? 0));
  const out: Ranked<T>[] = [];
  ranked.forEach((row, i) => {
    const previous = out[i - 1];
    const value = shown(score(row) ?? 0);
    const tied = previous && shown(score(previous.row) ?? 0) === value;
    out.push({ row, rank: tied ? previous.rank : i + 1 });
  });
  const left = rows.filter((row) => !ranked.includes(row));
  return [...out, ...left.map((row) => ({ row, rank: null }))];
}
