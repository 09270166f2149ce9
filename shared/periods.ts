// Periods (a PAR period, a peer group's) and the day whose map they are read on: shared by the
// server (scorecards, peer groups) and the console (its unit pickers show the period's map).
// Pure and without imports.

/**
 * The last day of a period, whose map its peers and scorecard are read on (docs/organisation.md):
 * `2025` → 2025-12-31, `2025-H1` → 2025-06-30, `2025-Q3` → 2025-09-30, `2025-02` → 2025-02-28.
 * Null for a period of another form (periods are free text: `2021-cycle.b`), which has no map.
 */
export function periodLastDay(period: string): string | null {
  const match = /^([1-9]\d{3})(?:-(H[12]|Q[1-4]|0[1-9]|1[0-2]))?$/.exec(period);
  if (!match) return null;
  const year = Number(match[1]);
  const part = match[2];
  const month =
    part === undefined
      ? 12
      : part.startsWith('H')
        ? Number(part[1]) * 6
        : part.startsWith('Q')
          ? Number(part[1]) * 3
          : Number(part);
  // Day 0 of the next month is the last day of this one (UTC: no time zone shifts the day).
  return new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
}
