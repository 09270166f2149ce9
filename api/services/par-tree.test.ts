// The scorecard of a three-level framework (par-cycle.md §3), on every engine: points imported
// per leaf, the nodes of a level ranked on percent of the applicable maximum, bands and targets.
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scorecardCsv } from '../../analysis/par-format.ts';
import * as par from '../../db/repositories/par.ts';
import * as unitRows from '../../db/repositories/units.ts';
import { engines, openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import { operator } from './access.ts';
import { ensureBuiltins } from './builtins.ts';
import { frameworkTree, importFrameworkTree, readTargets } from './frameworks.ts';
import { frameworkByCode, importPoints, parScorecard } from './par.ts';
import { importUnits } from './units.ts';

const actor = operator();
const file = (...lines: string[]) => Readable.from([lines.join('\n')]);
const n = (value: number) => expect.closeTo(value, 9);

// 100 points: field 1 (60) = 1.1 (20) + 1.2 (40), 1.2 = 1.2.1 (30) + 1.2.2 (10, districts
// only); field 2 (40) = its one leaf 2.1.
const framework = () =>
  file(
    'node,name,max,source,applies_to',
    '1,Chỉ đạo,60,,',
    '1.1,Kế hoạch,20,assessment,',
    '1.2,Kiểm tra,,,',
    '1.2.1,Tự kiểm tra,30,assessment,',
    '1.2.2,Kiểm tra cấp xã,10,assessment,district',
    '2,Hài lòng,40,,',
    '2.1,Khảo sát,40,import,',
  );

/**
 * `unit,node,points` (par-cycle.md §7's name of the column; the refusals below use the flat
 * files' `component`) from unit → [1.1, 1.2.1, 1.2.2, 2.1]; null leaves a leaf out.
 */
const points = (byUnit: Record<string, (number | null)[]>) =>
  file(
    'unit,node,points',
    ...Object.entries(byUnit).flatMap(([unit, values]) =>
      ['1.1', '1.2.1', '1.2.2', '2.1'].flatMap((leaf, i) => {
        const value = values[i];
        return value === null || value === undefined ? [] : [`${unit},${leaf},${value}`];
      }),
    ),
  );

describe.each(engines)('the scorecard of a framework tree on %s', (engine) => {
  let database: TestDatabase;
  const request = { framework: 't-card', period: '2025', peers: 'P' };

  beforeAll(async () => {
    database = await openTestDatabase(engine);
    await ensureBuiltins(database.db);
    await importUnits(
      database.db,
      actor,
      file(
        'unit,name,parent,type',
        'P,Tỉnh P,,province',
        'P.A,Huyện A,P,district',
        'P.B,Huyện B,P,district',
        'P.C,Huyện C,P,district',
        // 1.2.2 does not apply to a department: its applicable maximum is 90.
        'P.D,Sở D,P,department',
      ),
    );
    await importFrameworkTree(database.db, actor, { code: 't-card', name: 'Thẻ' }, framework());
    // 2024 totals: P.A 15+25+8+32 = 80, P.B 20+28+8+34 = 90, P.C 10+20+5+20 = 55, P.D
    // 18+30+36 = 84: ranks P.B 1, P.D 2, P.A 3, P.C 4. Field 1 percents: P.A 48/60 = 80,
    // P.B 56/60 = 93.333…, P.C 35/60 = 58.333…, P.D 48/50 = 96: ranks P.D, P.B, P.A, P.C.
    // Field 2: P.A 32/40 = 80, P.B 85, P.C 50, P.D 90: ranks P.D, P.B, P.A, P.C.
    await importPoints(
      database.db,
      actor,
      { framework: 't-card', period: '2024' },
      points({
        'P.A': [15, 25, 8, 32],
        'P.B': [20, 28, 8, 34],
        'P.C': [10, 20, 5, 20],
        'P.D': [18, 30, null, 36],
      }),
    );
    await importPoints(
      database.db,
      actor,
      { framework: 't-card', period: '2025' },
      points({
        'P.A': [18, 27, 9, 36],
        'P.B': [20, 24, 6, 30],
        'P.C': [16, 30, 8, 26],
        'P.D': [18.5, 27, null, 36],
      }),
    );
  });
  afterAll(() => database.close());

  it('refuses points on an inner node, naming the row', async () => {
    await expect(
      importPoints(
        database.db,
        actor,
        { framework: 't-card', period: '2026' },
        file('unit,component,points', 'P.A,1.1,5', 'P.A,1.2,5', 'P.B,1,5'),
      ),
    ).rejects.toMatchObject({
      code: 'invalid',
      errors: [
        {
          path: 'line 3, column component',
          message: {
            en: '1.2 has sub-nodes: points go on its leaves',
            vi: '1.2 có mục con: điểm ghi cho các mục lá của nó',
          },
        },
        { path: 'line 4, column component' },
      ],
    });
    const stored = await database.db
      .selectFrom('par_points')
      .select('component')
      .where('period', '=', '2026')
      .execute();
    expect(stored).toEqual([]);
  });

  it('ranks the fields on percent of the applicable maximum, with bands and targets', async () => {
    const tree = await frameworkTree(database.db, 't-card');
    const targets = await readTargets(tree, file('node,top', 'total,2', '1,1', '2,3'));
    const card = await parScorecard(database.db, actor, { ...request, level: 'field' }, targets);
    // 2025 totals: P.A 18+27+9+36 = 90 of 100, 90.000% exactly: band A; P.D 18.5+27+36 = 81.5
    // of 90 applicable, 90.555…%: A; P.B 20+24+6+30 = 80 and P.C 16+30+8+26 = 80: 80%, B,
    // tied at rank 3. Target top 2: P.D's 81.5; P.B and P.C are 1.5 short.
    expect(card).toMatchObject({ level: 'field', previous: '2024', top: 2, target: 81.5 });
    expect(
      card.rows.map((r) => [
        r.unit,
        r.total,
        r.applicableMax,
        r.percent,
        r.band,
        r.change,
        r.rank,
        r.rankChange,
        r.gapToTarget,
      ]),
    ).toEqual([
      ['P.A', 90, 100, n(90), 'A', n(10), 1, 2, 0],
      ['P.D', 81.5, 90, n(90.5555555556), 'A', n(-2.5), 2, 0, 0],
      ['P.B', 80, 100, n(80), 'B', n(-10), 3, -2, n(1.5)],
      ['P.C', 80, 100, n(80), 'B', n(25), 3, 1, n(1.5)],
    ]);
    const node = (unit: string, code: string) => {
      const c = card.rows.find((r) => r.unit === unit)?.nodes?.[code];
      return c && [c.points, c.max, c.applicableMax, c.percent, c.change, c.rank, c.rankChange];
    };
    expect(Object.keys(card.rows[0]?.nodes ?? {})).toEqual(['1', '2']);
    // Field 1: P.A 18+27+9 = 54/60 = 90%, P.C 16+30+8 = 54/60 = 90% (tied at 2), P.B 50/60 =
    // 83.333…%, P.D 18.5+27 = 45.5 of 50 applicable = 91%. Target top 1: P.D's 91%; the gap in
    // points is (91 − percent) × applicable maximum / 100: P.A and P.C (91 − 90) × 0.6 = 0.6,
    // P.B (91 − 250/3) × 0.6 = 23/3 × 0.6 = 4.6.
    expect(node('P.D', '1')).toEqual([45.5, 60, 50, n(91), n(-2.5), 1, 0]);
    expect(node('P.A', '1')).toEqual([54, 60, 60, n(90), n(6), 2, 1]);
    expect(node('P.C', '1')).toEqual([54, 60, 60, n(90), n(19), 2, 2]);
    expect(node('P.B', '1')).toEqual([50, 60, 60, n(83.3333333333), n(-6), 4, -2]);
    const gaps = (code: string) =>
      card.rows.map((r) => [r.unit, r.nodes?.[code]?.target, r.nodes?.[code]?.gapToTarget]);
    expect(gaps('1')).toEqual([
      ['P.A', n(91), n(0.6)],
      ['P.D', n(91), 0],
      ['P.B', n(91), n(4.6)],
      ['P.C', n(91), n(0.6)],
    ]);
    // Field 2: P.A 36/40 = 90% and P.D 90% tied at 1, P.B 75% 3rd, P.C 65% 4th. Target top 3:
    // P.B's 75%; P.C is (75 − 65) × 0.4 = 4 points short.
    expect(node('P.A', '2')).toEqual([36, 40, 40, n(90), n(4), 1, 2]);
    expect(node('P.D', '2')).toEqual([36, 40, 40, n(90), 0, 1, 0]);
    expect(node('P.B', '2')).toEqual([30, 40, 40, n(75), n(-4), 3, -1]);
    expect(node('P.C', '2')).toEqual([26, 40, 40, n(65), n(6), 4, 0]);
    expect(gaps('2')).toEqual([
      ['P.A', n(75), 0],
      ['P.D', n(75), 0],
      ['P.B', n(75), 0],
      ['P.C', n(75), n(4)],
    ]);
  });

  it('lists the criteria at level criterion, and no nodes by default', async () => {
    const card = await parScorecard(database.db, actor, { ...request, level: 'criterion' });
    expect(Object.keys(card.rows[0]?.nodes ?? {})).toEqual(['1.1', '1.2', '2.1']);
    // 1.2 of P.D: 27 of 30 applicable (1.2.2 is not), 90%.
    expect(card.rows.find((r) => r.unit === 'P.D')?.nodes?.['1.2']).toMatchObject({
      points: 27,
      max: 40,
      applicableMax: 30,
      percent: n(90),
    });
    const plain = await parScorecard(database.db, actor, request);
    expect(plain.level).toBeUndefined();
    expect(plain.rows[0]).not.toHaveProperty('nodes');
    expect(Object.keys(plain.rows[0]?.components ?? {})).toEqual(['1.1', '1.2.1', '1.2.2', '2.1']);
  });

  it('imports a leaf marked not applicable and scores the percent of the applicable maximum', async () => {
    const period = { framework: 't-card', period: '2027' };
    await expect(
      importPoints(
        database.db,
        actor,
        period,
        file('unit,component,points,not_applicable', 'P.A,1.1,5,maybe', 'P.A,1.2.1,5,yes'),
      ),
    ).rejects.toMatchObject({
      code: 'invalid',
      errors: [
        {
          path: 'line 2, column not_applicable',
          message: {
            en: 'maybe: yes when the leaf does not apply to the unit, empty when it does',
          },
        },
        {
          path: 'line 3, column points',
          message: { en: 'leave it empty: the leaf is marked not applicable' },
        },
      ],
    });
    // P.A marks 1.2.1 (30) not applicable; P.B has every leaf.
    await importPoints(
      database.db,
      actor,
      period,
      file(
        'unit,component,points,not_applicable',
        'P.A,1.1,18,',
        'P.A,1.2.1,,yes',
        'P.A,1.2.2,9,',
        'P.A,2.1,36,',
        'P.B,1.1,20,',
        'P.B,1.2.1,24,',
        'P.B,1.2.2,6,',
        'P.B,2.1,30,',
      ),
    );
    const marked = await database.db
      .selectFrom('par_points')
      .select(['component', 'points', 'source'])
      .where('period', '=', '2027')
      .where('points', 'is', null)
      .execute();
    expect(marked).toEqual([{ component: '1.2.1', points: null, source: 'import' }]);
    // P.C's points come from its assessment, 1.1 self-scored and not yet appraised.
    const { id: frameworkId } = await frameworkByCode(database.db, 't-card');
    const pc = (await unitRows.findUnitByCode(database.db, 'P.C'))?.id ?? -1;
    await par.upsertPoints(database.db, frameworkId, '2027', [
      { unitId: pc, component: '1.1', points: 15, source: 'self-assessed' },
      { unitId: pc, component: '1.2.1', points: 30, source: 'appraised' },
      { unitId: pc, component: '1.2.2', points: 8, source: 'appraised' },
      { unitId: pc, component: '2.1', points: 30, source: 'import' },
    ]);
    const card = await parScorecard(database.db, actor, {
      ...request,
      period: '2027',
      level: 'field',
    });
    // Totals: P.C 15+30+8+30 = 83 of 100 (83%, B), P.B 20+24+6+30 = 80 (80%, B), P.A
    // 18+9+36 = 63 of 100 − 30 = 70 applicable: 90%, A. Ranked on points: P.C, P.B, P.A.
    expect(
      card.rows.map((r) => [
        r.unit,
        r.total,
        r.applicableMax,
        r.percent,
        r.band,
        r.rank,
        r.provisional,
      ]),
    ).toEqual([
      ['P.C', 83, 100, n(83), 'B', 1, true],
      ['P.B', 80, 100, n(80), 'B', 2, false],
      ['P.A', 63, 70, n(90), 'A', 3, false],
    ]);
    // Field 1: P.A 18+9 = 27 of 30 applicable = 90% 1st, P.C 53/60 = 88.333…% 2nd, P.B 50/60 =
    // 83.333…% 3rd.
    const field = (unit: string) => card.rows.find((r) => r.unit === unit)?.nodes?.['1'];
    expect(field('P.A')).toMatchObject({
      points: 27,
      max: 60,
      applicableMax: 30,
      percent: n(90),
      rank: 1,
    });
    expect(field('P.C')).toMatchObject({ points: 53, percent: n(88.3333333333), rank: 2 });
    expect(field('P.B')).toMatchObject({ points: 50, percent: n(83.3333333333), rank: 3 });
    // As a component, P.A's 1.2.1 has no points and no rank; P.B and P.C are ranked on it.
    const leaf = (unit: string) => card.rows.find((r) => r.unit === unit)?.components['1.2.1'];
    expect(leaf('P.A')).toEqual({
      points: null,
      max: 30,
      available: null,
      change: null,
      rank: null,
      rankChange: null,
    });
    expect([leaf('P.C')?.rank, leaf('P.B')?.rank]).toEqual([1, 2]);
    // In CSV the provisional column comes with a level, after the band.
    const [header, first] = scorecardCsv(card).split('\n');
    expect(header).toContain(',applicable_max,percent,band,provisional,node_1_points,');
    expect(first).toContain(',100,83,B,yes,53,60,60,88.333,');
    const plain = await parScorecard(database.db, actor, { ...request, period: '2027' });
    expect(plain.rows.map((r) => r.provisional)).toEqual([true, false, false]);
    expect(scorecardCsv(plain).split('\n')[0]).not.toContain('provisional');
  });
});
