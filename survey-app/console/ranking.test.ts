import { describe, expect, it } from 'vitest';
import { rankWithTies } from './ranking.ts';

describe('league tables', () => {
  it('shares a rank between scores equal at 2 decimals and skips the next (1, 2, 2, 4)', () => {
    const rows = [
      { code: 'A', score: 80.001, flagged: false },
      { code: 'B', score: 91.2, flagged: false },
      { code: 'C', score: 79.996, flagged: false },
      { code: 'D', score: 70, flagged: false },
      { code: 'E', score: 95, flagged: true },
      { code: 'F', score: null, flagged: false },
    ];
    const ranked = rankWithTies(
      rows,
      (r) => r.score,
      (r) => !r.flagged,
    );
    expect(ranked.map((r) => [r.row.code, r.rank])).toEqual([
      ['B', 1],
      ['A', 2],
      ['C', 2],
      ['D', 4],
      ['E', null],
      ['F', null],
    ]);
  });
});
