import { describe, expect, it } from 'vitest';
import {
  bandOf,
  completeMaxima,
  DEFAULT_BANDS,
  flatAsTree,
  frameworkTreeSchema,
  scorecard,
  treeAsFlat,
  treeScorecard,
  type FrameworkTree,
  type LeafPoints,
  type NodeCard,
  type TreeScorecardRow,
} from './par-tree.ts';
import { par2020Province, type PointsByUnit } from './par.ts';

const leaf = (
  code: string,
  max: number,
  source: 'assessment' | 'sipas' | 'import',
  appliesTo: string[] | null = null,
) => ({ code, name: `Mục ${code}`, max, source, appliesTo, guidance: null });
const inner = (code: string, max: number) => ({
  code,
  name: `Mục ${code}`,
  max,
  source: null,
  appliesTo: null,
  guidance: null,
});

// Three levels, 50 points: field 1 (30) = 1.1 (10) + 1.2 (20 = 1.2.1 12 + 1.2.2 8, districts
// only); field 2 (20) = 2.1 (10, SIPAS) + 2.2 (10, imported).
const tree: FrameworkTree = frameworkTreeSchema.parse({
  code: 't-three',
  name: 'Ba cấp',
  nodes: [
    inner('1', 30),
    leaf('1.1', 10, 'assessment'),
    inner('1.2', 20),
    leaf('1.2.1', 12, 'assessment'),
    leaf('1.2.2', 8, 'assessment', ['district']),
    inner('2', 20),
    leaf('2.1', 10, 'sipas'),
    leaf('2.2', 10, 'import'),
  ],
  bands: DEFAULT_BANDS,
});

const peers = [
  { unit: 'A', type: 'commune' },
  { unit: 'B', type: 'commune' },
  { unit: 'C', type: 'district' },
  { unit: 'D', type: 'commune' },
];

const points = (byUnit: Record<string, Record<string, number | null>>): LeafPoints =>
  new Map(Object.entries(byUnit).map(([unit, leaves]) => [unit, new Map(Object.entries(leaves))]));

// 1.2.2 applies to districts only, so the communes' applicable maximum is 42; C marked 2.2
// not applicable, so its applicable maximum is 40.
const current = points({
  // F1 19.8 of 22 = 90%; 1.2 10.8/12 = 90%; F2 17/20 = 85%; total 36.8 of 42 = 87.6190476190%.
  A: { '1.1': 9, '1.2.1': 10.8, '2.1': 8, '2.2': 9 },
  // F1 19.8/22 = 90%; 1.2 9.9/12 = 82.5%; F2 18.5/20 = 92.5%; total 38.3/42 = 91.1904761905%.
  B: { '1.1': 9.9, '1.2.1': 9.9, '2.1': 9, '2.2': 9.5 },
  // F1 26/30 = 86.6666666667%; 1.2 18/20 = 90%; F2 7/10 = 70%; total 33/40 = 82.5%.
  C: { '1.1': 8, '1.2.1': 12, '1.2.2': 6, '2.1': 7, '2.2': null },
  // F1 19.799912/22 = 89.9996% (90.000 at 3 decimals, a tie with A and B); 1.2 10/12 =
  // 83.3333333333%; F2 20/20 = 100%; total 39.799912/42 = 94.7616952381%.
  D: { '1.1': 9.799912, '1.2.1': 10, '2.1': 10, '2.2': 10 },
});

// D is new. Totals A 34, B 38, C 32 → previous ranks B 1, A 2, C 3. F1: A 18/22 = 81.82%,
// B 20/22 = 90.91%, C 26/30 = 86.67% → B 1, C 2, A 3.
const previous = points({
  A: { '1.1': 8, '1.2.1': 10, '2.1': 8, '2.2': 8 },
  B: { '1.1': 9, '1.2.1': 11, '2.1': 9, '2.2': 9 },
  C: { '1.1': 8, '1.2.1': 11, '1.2.2': 7, '2.1': 6, '2.2': null },
});

const close = (actual: number | null, expected: number | null) => {
  if (expected === null) expect(actual).toBeNull();
  else expect(actual).toBeCloseTo(expected, 9);
};

function expectCard(actual: NodeCard | TreeScorecardRow | undefined, expected: Partial<NodeCard>) {
  expect(actual).toBeDefined();
  const got: Record<string, unknown> = { ...actual };
  for (const [key, value] of Object.entries(expected)) {
    if (typeof value === 'number' && key !== 'rank' && key !== 'rankChange') {
      close(got[key] as number | null, value);
    } else expect(got[key]).toEqual(value);
  }
}

describe('a framework tree', () => {
  it('fills inner maxima with the sum of their leaves', () => {
    expect(
      completeMaxima([
        { code: '1', max: null },
        { code: '1.1', max: 2.5 },
        { code: '1.2', max: null },
        { code: '1.2.1', max: 3 },
        { code: '1.2.2', max: 4.1 },
        { code: '2', max: null },
        { code: '2.1', max: null },
      ]),
    ).toEqual([9.6, 2.5, 7.1, 3, 4.1, null, null]);
  });

  it('refuses duplicates, orphans, bad codes, sums that disagree and sources on inner nodes', () => {
    const parsed = frameworkTreeSchema.safeParse({
      code: 't-bad',
      name: 'Hỏng',
      nodes: [
        inner('1', 30),
        leaf('1.1', 10, 'assessment'),
        leaf('1.2', 10, 'assessment'),
        leaf('1.1', 5, 'assessment'),
        leaf('3.1', 5, 'import'),
        leaf('4..1', 5, 'import'),
        { ...inner('5', 5), source: 'import' },
        leaf('5.1', 5, 'import'),
      ],
      bands: DEFAULT_BANDS,
    });
    expect(parsed.success).toBe(false);
    const issues = parsed.error?.issues.map((issue) => [issue.path.join('.'), issue.message]);
    expect(issues).toEqual([
      ['nodes.5.code', expect.stringContaining('3, 3.2 or 3.2.1')],
      ['nodes.0.max', "30 is not the sum of its children's maxima, 25"],
      ['nodes.3.code', 'duplicate node 1.1'],
      ['nodes.4.code', 'no parent node 3'],
      ['nodes.6.source', 'an inner node has no source: its leaves have theirs'],
    ]);
  });

  it('reads the flat par-2020-province as a tree of depth one, and back', () => {
    const flat = flatAsTree(par2020Province);
    expect(flat.nodes.map((n) => [n.code, n.max, n.source])).toEqual([
      ['appraisal', 66.5, 'import'],
      ['sipas', 10, 'sipas'],
      ['leaders', 23.5, 'survey'],
    ]);
    expect(treeAsFlat(flat)).toEqual(par2020Province);
    expect(treeAsFlat(tree)).toBeNull();
  });
});

describe('bands', () => {
  it('compares the percent at 3 decimals: 90.000 is A, 89.999 is B', () => {
    expect(bandOf(90, DEFAULT_BANDS)).toBe('A');
    // 89.9995 is 90.000 at 3 decimals (89999.5 rounds up).
    expect(bandOf(89.9995, DEFAULT_BANDS)).toBe('A');
    expect(bandOf(89.9994, DEFAULT_BANDS)).toBe('B');
    expect(bandOf(89.999, DEFAULT_BANDS)).toBe('B');
    expect(bandOf(80, DEFAULT_BANDS)).toBe('B');
    expect(bandOf(79.999, DEFAULT_BANDS)).toBe('C');
    expect(bandOf(70, DEFAULT_BANDS)).toBe('C');
    expect(bandOf(69.999, DEFAULT_BANDS)).toBe('D');
    expect(bandOf(0, DEFAULT_BANDS)).toBe('D');
  });

  it('bands a total on its percent of the applicable maximum', () => {
    // Two leaves of 50 and 40; U marked the second not applicable, so 45 of 50 is 90% (A),
    // while V's 44.9995 of 50 is 89.999% (B) and W's 81 of 90 is 90% (A).
    const two = frameworkTreeSchema.parse({
      code: 't-two',
      name: 'Hai',
      nodes: [leaf('a', 50, 'import'), leaf('b', 40, 'import')],
      bands: DEFAULT_BANDS,
    });
    const rows = treeScorecard({
      framework: two,
      peers: ['U', 'V', 'W', 'X'].map((unit) => ({ unit, type: 'other' })),
      // X marked both leaves not applicable: no total to rank, no row.
      current: points({
        U: { a: 45, b: null },
        V: { a: 44.9995, b: null },
        W: { a: 45, b: 36 },
        X: { a: null, b: null },
      }),
      previous: null,
      targets: new Map(),
      level: 'total',
    });
    expect(rows.map((r) => [r.unit, r.applicableMax, r.band])).toEqual([
      ['W', 90, 'A'],
      ['U', 50, 'A'],
      ['V', 50, 'B'],
    ]);
    close(rows[2]?.percent ?? null, 89.999);
  });
});

describe('the scorecard of every node', () => {
  const rows = treeScorecard({
    framework: tree,
    peers,
    current,
    previous: { period: '2019', peers, points: previous },
    targets: new Map([
      ['total', 2],
      ['1', 3],
      ['2', 2],
      ['1.2', 10],
    ]),
    level: 'all',
  });
  const row = (unit: string) => rows.find((r) => r.unit === unit);

  it('ranks the total on points and orders the rows by it', () => {
    // Totals D 39.799912, B 38.3, A 36.8, C 33.
    expect(rows.map((r) => [r.unit, r.rank])).toEqual([
      ['D', 1],
      ['B', 2],
      ['A', 3],
      ['C', 4],
    ]);
    // The total's target, top 2, is B's 38.3: A is 1.5 short, C 5.3; B and D reach it.
    expectCard(row('A'), {
      max: 50,
      applicableMax: 42,
      percent: 87.61904761904762,
      change: 2.8,
      rank: 3,
      rankChange: -1,
      target: 38.3,
      gapToTarget: 1.5,
    });
    expect(row('A')?.total).toBeCloseTo(36.8, 9);
    expect(row('A')?.band).toBe('B');
    expectCard(row('B'), {
      percent: 91.19047619047619,
      change: 0.3,
      rankChange: -1,
      gapToTarget: 0,
    });
    expect(row('B')?.band).toBe('A');
    // C: 33 of 40 applicable = 82.5%, B; 33 − 32 = 1, rank 3 → 4.
    expectCard(row('C'), {
      applicableMax: 40,
      percent: 82.5,
      change: 1,
      rankChange: -1,
      gapToTarget: 5.3,
    });
    expect(row('C')?.band).toBe('B');
    // D had no points before: no change, no rank change.
    expectCard(row('D'), {
      applicableMax: 42,
      percent: 94.76169523809524,
      change: null,
      rankChange: null,
      gapToTarget: 0,
    });
  });

  it('ranks a field on its percent with ties at 3 decimals', () => {
    // F1: A 90, B 90, D 89.9996 (90.000) share rank 1; C 86.667 is 4th.
    expect(['A', 'B', 'C', 'D'].map((u) => row(u)?.nodes['1']?.rank)).toEqual([1, 1, 4, 1]);
    // Top 3 on F1: sorted by rank then code A, B, D, C; the 3rd is D's 89.9996. C's gap:
    // (89.9996 − 86.6666666667) × 30 / 100 = 0.99988 points; A, B and D reach it.
    expectCard(row('C')?.nodes['1'], {
      points: 26,
      max: 30,
      applicableMax: 30,
      percent: 86.66666666666667,
      change: 0,
      rank: 4,
      rankChange: -2,
      target: 89.9996,
      gapToTarget: 0.99988,
    });
    // A: 18 → 19.8 points, rank 3 → 1; B: 20 → 19.8, 1 → 1.
    expectCard(row('A')?.nodes['1'], {
      points: 19.8,
      applicableMax: 22,
      percent: 90,
      change: 1.8,
      rankChange: 2,
      gapToTarget: 0,
    });
    expectCard(row('B')?.nodes['1'], { change: -0.2, rankChange: 0, gapToTarget: 0 });
    expectCard(row('D')?.nodes['1'], {
      percent: 89.9996,
      change: null,
      rankChange: null,
      gapToTarget: 0,
    });
  });

  it('takes the percent of the applicable maximum when a leaf is not applicable', () => {
    // F2: D 100, B 92.5, A 85, C 70 (7 of its applicable 10: 2.2 marked not applicable).
    expect(['D', 'B', 'A', 'C'].map((u) => row(u)?.nodes['2']?.rank)).toEqual([1, 2, 3, 4]);
    // Top 2 is B's 92.5: A is (92.5 − 85) × 20 / 100 = 1.5 points short, C (92.5 − 70) ×
    // 10 / 100 = 2.25 on its applicable maximum of 10.
    expectCard(row('A')?.nodes['2'], {
      points: 17,
      max: 20,
      applicableMax: 20,
      percent: 85,
      change: 1,
      rankChange: -1,
      target: 92.5,
      gapToTarget: 1.5,
    });
    expectCard(row('C')?.nodes['2'], {
      points: 7,
      max: 20,
      applicableMax: 10,
      percent: 70,
      change: 1,
      rankChange: -1,
      gapToTarget: 2.25,
    });
    // 2.2 is not applicable to C: null points, percent and rank, left out of the ranking
    // (D 100, B 95, A 90).
    expectCard(row('C')?.nodes['2.2'], {
      points: null,
      max: 10,
      applicableMax: 0,
      percent: null,
      rank: null,
      change: null,
      rankChange: null,
    });
    expect(['D', 'B', 'A'].map((u) => row(u)?.nodes['2.2']?.rank)).toEqual([1, 2, 3]);
    // 1.2.2 applies to districts only: C alone is ranked on it, 6 of 8 = 75%.
    expectCard(row('C')?.nodes['1.2.2'], {
      points: 6,
      percent: 75,
      rank: 1,
      change: -1,
      rankChange: 0,
    });
    expectCard(row('A')?.nodes['1.2.2'], { points: null, applicableMax: 0, rank: null });
    // 1.2: A 90 and C 90 share 1, D 83.333 is 3rd, B 82.5 4th.
    expect(['A', 'B', 'C', 'D'].map((u) => row(u)?.nodes['1.2']?.rank)).toEqual([1, 4, 1, 3]);
  });

  it('takes the lowest value as the target when there are fewer peers than K', () => {
    // Top 10 on 1.2 among 4: the last row by rank, B's 82.5, which everyone reaches.
    expect(rows.map((r) => [r.nodes['1.2']?.target, r.nodes['1.2']?.gapToTarget])).toEqual(
      rows.map(() => [82.5, 0]),
    );
    // No target for 2.1: null.
    expectCard(row('A')?.nodes['2.1'], { target: null, gapToTarget: null });
  });

  it('shows the nodes of the chosen level', () => {
    const at = (level: 'total' | 'field' | 'criterion') =>
      Object.keys(
        treeScorecard({
          framework: tree,
          peers,
          current,
          previous: null,
          targets: new Map(),
          level,
        })[0]?.nodes ?? {},
      );
    expect(at('total')).toEqual([]);
    expect(at('field')).toEqual(['1', '2']);
    expect(at('criterion')).toEqual(['1.1', '1.2', '2.1', '2.2']);
    // Every node (an object lists number-like keys such as 1 and 2 first: the framework's order
    // is its nodes').
    expect(Object.keys(row('A')?.nodes ?? {}).sort()).toEqual(tree.nodes.map((n) => n.code));
  });

  it("ranks the previous period among that period's peers, as published", () => {
    // E was a peer in 2019 alone (a commune: 1.1 10, 1.2.1 11, 2.1 10, 2.2 10). Total 41, 1st:
    // then B 38 2nd, A 34 3rd, C 32 4th. F1: E 21/22 = 95.4545% 1st, B 90.91% 2nd, C 86.67%
    // 3rd, A 81.82% 4th. Leaf 1.1 on points: E 10 1st, B 9 2nd, A 8 and C 8 3rd.
    const withE = treeScorecard({
      framework: tree,
      peers,
      current,
      previous: {
        period: '2019',
        peers: [...peers, { unit: 'E', type: 'commune' }],
        points: new Map([
          ...previous,
          [
            'E',
            new Map([
              ['1.1', 10],
              ['1.2.1', 11],
              ['2.1', 10],
              ['2.2', 10],
            ]),
          ],
        ]),
      },
      targets: new Map(),
      level: 'field',
    });
    const at = (unit: string) => withE.find((r) => r.unit === unit);
    // E is no peer now: no row. Totals now D 1, B 2, A 3, C 4: A 3 → 3, B 2 → 2, C 4 → 4.
    expect(withE.map((r) => [r.unit, r.rank, r.rankChange])).toEqual([
      ['D', 1, null],
      ['B', 2, 0],
      ['A', 3, 0],
      ['C', 4, 0],
    ]);
    // F1 now A, B, D 1st and C 4th: A 4 → 1 (+3), B 2 → 1 (+1), C 3 → 4 (−1).
    expect(['A', 'B', 'C'].map((u) => at(u)?.nodes['1']?.rankChange)).toEqual([3, 1, -1]);
    // 1.1 now B 9.9 1st, D 9.799912 2nd, A 9 3rd, C 8 4th: A 3 → 3, B 2 → 1, C 3 → 4.
    expect(['A', 'B', 'C'].map((u) => at(u)?.components['1.1']?.rankChange)).toEqual([0, 1, -1]);
    // Changes are the unit's own: A's F1 19.8 − 18 = 1.8.
    close(at('A')?.nodes['1']?.change ?? null, 1.8);
  });

  it('leaves out units not among the peers', () => {
    const only = treeScorecard({
      framework: tree,
      peers: peers.slice(0, 2),
      current,
      previous: { period: '2019', peers: peers.slice(0, 2), points: previous },
      targets: new Map(),
      level: 'total',
    });
    // A and B alone: B 38.3 first, A 36.8 second; before, B 38 first, A 34 second.
    expect(only.map((r) => [r.unit, r.rank, r.rankChange])).toEqual([
      ['B', 1, 0],
      ['A', 2, 0],
    ]);
  });
});

describe('the flat par-2020-province as a depth-one tree', () => {
  // 2019: A 55 + 8.5 + 19.5 = 83, B 61 + 9.6 + 20.5 = 91.1.
  // 2020: A 56.93 + 9.29 + 19.36 = 85.58, B 60 + 9.5 + 20 = 89.5, C 55.5 + 9.12 + 21 = 85.62.
  const flat = (byUnit: Record<string, [number, number, number]>): PointsByUnit =>
    new Map(
      Object.entries(byUnit).map(([unit, [appraisal, sipas, leaders]]) => [
        unit,
        new Map([
          ['appraisal', appraisal],
          ['sipas', sipas],
          ['leaders', leaders],
        ]),
      ]),
    );
  const y2019 = flat({ A: [55, 8.5, 19.5], B: [61, 9.6, 20.5] });
  const y2020 = flat({ A: [56.93, 9.29, 19.36], B: [60, 9.5, 20], C: [55.5, 9.12, 21] });

  it("gives today's totals, changes, ranks and gaps, its components ranked on points", () => {
    const departments = (units: string[]) => units.map((unit) => ({ unit, type: 'department' }));
    const card = scorecard({
      framework: flatAsTree(par2020Province),
      period: '2020',
      group: 'P',
      peers: departments(['A', 'B', 'C']),
      top: 2,
      current: y2020,
      previous: { period: '2019', peers: departments(['A', 'B']), points: y2019 },
      level: 'field',
    });
    // B 89.5 (−1.6, rank 1 → 1), C 85.62 (new), A 85.58 (+2.58, rank 2 → 3); the top 2's
    // 85.62 leaves A 0.04 short.
    const worked = [
      ['B', 89.5, -1.6, 1, 0, 0],
      ['C', 85.62, null, 2, null, 0],
      ['A', 85.58, 2.58, 3, -1, 0.04],
    ];
    expect(card.target).toBeCloseTo(85.62, 9);
    expect(card.rows.map((r) => r.unit)).toEqual(['B', 'C', 'A']);
    card.rows.forEach((r, i) => {
      const [, total, change, rank, rankChange, gap] = worked[i] ?? [];
      close(r.total, total as number);
      close(r.change, change as number | null);
      expect([r.rank, r.rankChange]).toEqual([rank, rankChange]);
      close(r.gapToTarget, gap as number);
    });
    // A's appraisal 56.93 (+1.93 on 55), 2nd of 3 on 56.93 (B 60, C 55.5), 2nd of 2 then (B 61,
    // A 55): rank change 0; 66.5 − 56.93 = 9.57 available. The field has the same figures, on
    // its percent (56.93 / 66.5 = 85.6090225564%), as every field of the same maximum does.
    const a = card.rows[2];
    expect(a?.components.appraisal).toEqual({
      points: 56.93,
      max: 66.5,
      available: 9.57,
      change: 1.93,
      rank: 2,
      rankChange: 0,
    });
    expect(a?.nodes?.appraisal).toMatchObject({ points: 56.93, change: 1.93, rank: 2 });
    close(a?.nodes?.appraisal?.percent ?? null, 85.6090225564);
    // The whole 100 applies: A's 85.58 is 85.58%, band B; B's 89.5, B.
    expect(card.rows.map((r) => [r.applicableMax, r.band, r.provisional])).toEqual([
      [100, 'B', false],
      [100, 'B', false],
      [100, 'B', false],
    ]);
  });
});
