import { describe, expect, it } from 'vitest';
import { scorecardCsv } from './par-format.ts';
import { flatAsTree, scorecard as treeCard, type LeafPoints } from './par-tree.ts';
import {
  par2020Province,
  parFrameworkSchema,
  previousPeriod,
  rankWithTies,
  sipasPoints,
  type PointsByUnit,
} from './par.ts';

const n = (value: number) => expect.closeTo(value, 9);

const points = (byUnit: Record<string, Record<string, number>>): PointsByUnit =>
  new Map(Object.entries(byUnit).map(([unit, c]) => [unit, new Map(Object.entries(c))]));

/** The units with points in a period, all departments: the peers of that period. */
const peersOf = (byUnit: LeafPoints) => [...byUnit.keys()].map((unit) => ({ unit, type: 'dept' }));

/**
 * par-2020-province's scorecard as a depth-one tree (par-tree.ts `scorecard`), among the units
 * with points in each period, as the flat scorecard of interchange §6 had it.
 */
function scorecard(input: {
  period: string;
  peers: string;
  top: number | null;
  current: PointsByUnit;
  previous: { period: string; points: PointsByUnit } | null;
}) {
  const { previous } = input;
  return treeCard({
    ...input,
    framework: flatAsTree(par2020Province),
    group: input.peers,
    peers: peersOf(input.current),
    previous: previous && { ...previous, peers: peersOf(previous.points) },
  });
}

describe('rankWithTies', () => {
  it('gives equal scores one rank and skips the next (1, 2, 2, 4)', () => {
    const rank = rankWithTies([80, 85.62, 90, 85.62]);
    expect([90, 85.62, 85.62, 80].map(rank)).toEqual([1, 2, 2, 4]);
  });

  it('compares scores rounded to 3 decimals: 85.620 and 85.62 tie, 85.621 does not', () => {
    // 85.6204 and 85.6196 round to 85.620; 85.6206 rounds to 85.621.
    const scores = [85.62, 85.6204, 85.6196, 85.6206, 85.58];
    const rank = rankWithTies(scores);
    expect(scores.map(rank)).toEqual([2, 2, 2, 1, 5]);
  });

  it('ranks all-equal scores first together', () => {
    const rank = rankWithTies([0, 0, 0]);
    expect(rank(0)).toBe(1);
  });
});

describe('PAR points', () => {
  it('converts a SIPAS index of 92.9% to 9.29 of 10 points', () => {
    expect(sipasPoints(92.9, 10)).toBeCloseTo(9.29, 9);
    expect(sipasPoints(85.48, 10)).toBeCloseTo(8.548, 9);
    expect(sipasPoints(80, 12.5)).toBeCloseTo(10, 9);
  });

  it('builds par-2020-province as appraisal 66.5 + sipas 10 + leaders 23.5 = 100', () => {
    expect(par2020Province.components.map((c) => [c.code, c.max])).toEqual([
      ['appraisal', 66.5],
      ['sipas', 10],
      ['leaders', 23.5],
    ]);
    expect(par2020Province.components.reduce((sum, c) => sum + c.max, 0)).toBe(100);
  });

  it('refuses a framework with a repeated component code or a maximum of 0', () => {
    const result = parFrameworkSchema.safeParse({
      code: 'prov-depts',
      name: 'Sở, ngành',
      components: [
        { code: 'a', name: 'A', max: 0 },
        { code: 'a', name: 'A lần nữa', max: 10 },
      ],
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual([
      'components.0.max',
      'components.1.code',
    ]);
  });
});

describe('previousPeriod', () => {
  it('is the latest earlier period in text order, or null', () => {
    expect(previousPeriod(['2018', '2021', '2019', '2020'], '2020')).toBe('2019');
    expect(previousPeriod(['2019', '2019-H2', '2020'], '2020')).toBe('2019-H2');
    expect(previousPeriod(['2020', '2021'], '2020')).toBeNull();
    expect(previousPeriod([], '2020')).toBeNull();
  });
});

describe('scorecard', () => {
  // Five departments of province P. In 2020, P.C (85.62) and P.D (85.6204) tie at 85.620;
  // P.E has no sipas points (0 counts). P.D had no points in 2019.
  const current = points({
    'P.A': { appraisal: 56.93, sipas: 9.29, leaders: 19.36 }, // 85.58
    'P.B': { appraisal: 60, sipas: 9.5, leaders: 20 }, // 89.5
    'P.C': { appraisal: 55.5, sipas: 9.12, leaders: 21 }, // 85.62
    'P.D': { appraisal: 56, sipas: 9.6204, leaders: 20 }, // 85.6204
    'P.E': { appraisal: 50, leaders: 18 }, // 68
  });
  // 2019 totals: B 91.1 (1), A 83 (2), C 82.12 (3), E 78 (4).
  const earlier = points({
    'P.A': { appraisal: 55, sipas: 8.5, leaders: 19.5 },
    'P.B': { appraisal: 61, sipas: 9.6, leaders: 20.5 },
    'P.C': { appraisal: 54, sipas: 9.12, leaders: 19 },
    'P.E': { appraisal: 52, sipas: 8, leaders: 18 },
  });
  const input = {
    period: '2020',
    peers: 'P',
    current,
    previous: { period: '2019', points: earlier },
  };
  type Component = [number, number, number, number | null, number, number | null];
  const c = ([points, max, available, change, rank, rankChange]: Component) => ({
    points: n(points),
    max,
    available: n(available),
    change: change === null ? null : n(change),
    rank,
    rankChange,
  });
  const row = (
    unit: string,
    [total, change, rank, rankChange]: [number, number | null, number, number | null],
    gapToTarget: number | null,
    [appraisal, sipas, leaders]: [Component, Component, Component],
  ) => ({
    unit,
    total: n(total),
    change: change === null ? null : n(change),
    rank,
    rankChange,
    gapToTarget: gapToTarget === null ? null : n(gapToTarget),
    components: { appraisal: c(appraisal), sipas: c(sipas), leaders: c(leaders) },
    provisional: false,
  });

  // Ranks in 2020: appraisal B 60, A 56.93, D 56, C 55.5, E 50; sipas D 9.6204, B 9.5,
  // A 9.29, C 9.12, E 0; leaders C 21, B 20 = D 20, A 19.36, E 18.
  // Ranks in 2019: appraisal B, A, C, E; sipas B 9.6, C 9.12, A 8.5, E 8; leaders B 20.5,
  // A 19.5, C 19, E 18.
  const rows = (gaps: [number, number, number, number, number] | null) => [
    row('P.B', [89.5, -1.6, 1, 0], gaps?.[0] ?? null, [
      [60, 66.5, 6.5, -1, 1, 0],
      [9.5, 10, 0.5, -0.1, 2, -1],
      [20, 23.5, 3.5, -0.5, 2, -1],
    ]),
    row('P.C', [85.62, 3.5, 2, 1], gaps?.[1] ?? null, [
      [55.5, 66.5, 11, 1.5, 4, -1],
      [9.12, 10, 0.88, 0, 4, -2],
      [21, 23.5, 2.5, 2, 1, 2],
    ]),
    row('P.D', [85.6204, null, 2, null], gaps?.[2] ?? null, [
      [56, 66.5, 10.5, null, 3, null],
      [9.6204, 10, 0.3796, null, 1, null],
      [20, 23.5, 3.5, null, 2, null],
    ]),
    row('P.A', [85.58, 2.58, 4, -2], gaps?.[3] ?? null, [
      [56.93, 66.5, 9.57, 1.93, 2, 0],
      [9.29, 10, 0.71, 0.79, 3, 0],
      [19.36, 23.5, 4.14, -0.14, 4, -2],
    ]),
    row('P.E', [68, -10, 5, -1], gaps?.[4] ?? null, [
      [50, 66.5, 16.5, -2, 5, -1],
      [0, 10, 10, -8, 5, -1],
      [18, 23.5, 5.5, 0, 5, -1],
    ]),
  ];

  it('ranks totals and components with ties, against the previous period', () => {
    const card = scorecard({ ...input, top: null });
    expect(card).toEqual({
      framework: 'par-2020-province',
      period: '2020',
      previous: '2019',
      peers: 'P',
      top: null,
      target: null,
      rows: rows(null),
    });
    expect(Object.keys(card)).toEqual([
      'framework',
      'period',
      'previous',
      'peers',
      'top',
      'target',
      'rows',
    ]);
    expect(Object.keys(card.rows[0] ?? {})).toEqual([
      'unit',
      'total',
      'change',
      'rank',
      'rankChange',
      'gapToTarget',
      'components',
      'provisional',
    ]);
  });

  it('targets the total of the K-th row in rank order, a tie at it counting as reached', () => {
    // Third row in rank order: P.D, 85.6204. P.C's 85.62 ties with it at 3 decimals.
    // Gaps: A 85.6204 − 85.58 = 0.0404; E 85.6204 − 68 = 17.6204.
    const card = scorecard({ ...input, top: 3 });
    expect(card.target).toBeCloseTo(85.6204, 9);
    expect(card.rows).toEqual(rows([0, 0, 0, 0.0404, 17.6204]));
    // Second row: P.C, 85.62; A's gap 85.62 − 85.58 = 0.04.
    const second = scorecard({ ...input, top: 2 });
    expect(second.target).toBeCloseTo(85.62, 9);
    expect(second.rows.map((r) => r.gapToTarget)).toEqual([0, 0, 0, n(0.04), n(17.62)]);
  });

  it('targets the lowest total when there are fewer peers than K', () => {
    const card = scorecard({ ...input, top: 10 });
    expect(card.top).toBe(10);
    expect(card.target).toBe(68);
    expect(card.rows.map((r) => r.gapToTarget)).toEqual([0, 0, 0, 0, 0]);
  });

  it('has no changes without a previous period', () => {
    const card = scorecard({ ...input, previous: null, top: null });
    expect(card.previous).toBeNull();
    expect(card.rows.map((r) => [r.unit, r.rank, r.change, r.rankChange])).toEqual([
      ['P.B', 1, null, null],
      ['P.C', 2, null, null],
      ['P.D', 2, null, null],
      ['P.A', 4, null, null],
      ['P.E', 5, null, null],
    ]);
    expect(card.rows[4]?.components.sipas).toEqual({
      points: 0,
      max: 10,
      available: 10,
      change: null,
      rank: 5,
      rankChange: null,
    });
  });

  it('gives an empty scorecard, and no target, when no peer has points', () => {
    const card = scorecard({ ...input, current: new Map(), previous: null, top: 3 });
    expect(card).toMatchObject({ top: 3, target: null, rows: [] });
  });
});

describe('the scorecard in files', () => {
  // 23.5 − 19.1 is 4.399999999999999 in doubles, 88.4 − 88.7 is −0.299999999999997.
  const card = scorecard({
    period: '2020',
    peers: 'P',
    top: 1,
    current: points({
      'P.A': { appraisal: 60.1, sipas: 9.2, leaders: 19.1 },
      'P.B': { appraisal: 56, sipas: 9.6204, leaders: 20 },
    }),
    previous: {
      period: '2019',
      points: points({
        'P.A': { appraisal: 60.3, sipas: 9.1, leaders: 19.3 },
        'P.B': { appraisal: 56, sipas: 9.5, leaders: 20 },
      }),
    },
  });

  it('computes sums and differences without binary noise, unrounded', () => {
    const [a, b] = card.rows;
    expect(a?.components.leaders?.available).toBe(4.4);
    expect(a?.change).toBe(-0.3);
    expect(a?.components.sipas?.available).toBe(0.8);
    expect(b?.total).toBe(85.6204);
    expect(b?.gapToTarget).toBe(2.7796);
  });

  it('writes points at their published precision, 3 decimals', () => {
    const lines = scorecardCsv(card).trim().split('\n');
    expect(lines.slice(1)).toEqual([
      // The last, empty: previous_from (their own previous points).
      'P.A,88.4,-0.3,1,0,0,60.1,66.5,6.4,-0.2,1,0,9.2,10,0.8,0.1,2,0,19.1,23.5,4.4,-0.2,2,0,',
      'P.B,85.62,0.12,2,0,2.78,56,66.5,10.5,0,2,0,9.62,10,0.38,0.12,1,0,20,23.5,3.5,0,1,0,',
    ]);
  });
});
