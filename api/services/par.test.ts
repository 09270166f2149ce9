import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import { ensureBuiltins } from './builtins.ts';
import { openExampleCampaign } from './examples.testing.ts';
import { importUnits } from './units.ts';
import {
  createFramework,
  deriveSipasPoints,
  frameworkByCode,
  importPoints,
  parScorecard,
} from './par.ts';
import { operator } from './access.ts';
import { importFrameworkTree } from './frameworks.ts';

const actor = operator();
const file = (...lines: string[]) => Readable.from([lines.join('\n')]);
const n = (value: number) => expect.closeTo(value, 9);

const units = () =>
  file(
    'unit,name,parent',
    'P,Tỉnh P,',
    'P.A,Sở A,P',
    'P.B,Sở B,P',
    'P.C,Sở C,P',
    'P.D,Sở D,P',
    'P.E,Sở E,P',
    'P.A.X,Phòng X,P.A',
    'Q,Tỉnh Q,',
    'Q.X,Sở X,Q',
  );

/** `unit,component,points` lines from unit → [appraisal, sipas, leaders]; null leaves one out. */
const points = (byUnit: Record<string, (number | null)[]>) =>
  file(
    'unit,component,points',
    ...Object.entries(byUnit).flatMap(([unit, values]) =>
      ['appraisal', 'sipas', 'leaders'].flatMap((component, i) => {
        const value = values[i];
        return value === null || value === undefined ? [] : [`${unit},${component},${value}`];
      }),
    ),
  );

describe.each(engines)('PAR points and scorecards on %s', (engine) => {
  let database: TestDatabase;
  const par = { framework: 'par-2020-province' };
  const storedPoints = async () =>
    database.db
      .selectFrom('par_points')
      .select(({ fn }) => fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow()
      .then(({ n }) => Number(n));

  beforeAll(async () => {
    database = await openTestDatabase(engine);
    await ensureBuiltins(database.db);
    await ensureBuiltins(database.db);
    await importUnits(database.db, actor, units());
  });
  afterAll(() => database.close());

  it('holds par-2020-province once, after ensureBuiltins ran twice', async () => {
    const framework = await frameworkByCode(database.db, 'par-2020-province');
    expect(framework.components.map((c) => c.max)).toEqual([66.5, 10, 23.5]);
    const rows = await database.db.selectFrom('par_framework').select('code').execute();
    expect(rows).toEqual([{ code: 'par-2020-province' }]);
  });

  it('adds a framework as data, refusing a bad or repeated one', async () => {
    const depts = {
      code: 'p-depts',
      name: 'Chỉ số CCHC các sở',
      components: [
        { code: 'tasks', name: 'Thực hiện nhiệm vụ', max: 70 },
        { code: 'sipas', name: 'Sự hài lòng', max: 30 },
      ],
    };
    await createFramework(database.db, actor, depts);
    expect(await frameworkByCode(database.db, 'p-depts')).toMatchObject(depts);
    await expect(createFramework(database.db, actor, depts)).rejects.toMatchObject({
      code: 'conflict',
    });
    await expect(
      createFramework(database.db, actor, {
        ...depts,
        code: 'p-bad',
        components: [
          { code: 'tasks', name: 'Nhiệm vụ', max: -1 },
          { code: 'tasks', name: 'Nhiệm vụ', max: 5 },
        ],
      }),
    ).rejects.toMatchObject({
      code: 'invalid',
      errors: [
        { path: 'components.0.max', message: { en: expect.any(String) } },
        { path: 'components.1.code', message: { en: 'duplicate component code tasks' } },
      ],
    });
    await expect(frameworkByCode(database.db, 'p-bad')).rejects.toMatchObject({
      code: 'not-found',
    });
  });

  it('imports points per period, replacing a unit and component already held', async () => {
    const imports: [string, Readable][] = [
      ['2018', points({ 'P.A': [50, 8, 17] })],
      [
        '2019',
        points({
          'P.A': [55, 8.5, 19.5],
          'P.B': [61, 9.6, 20.5],
          'P.C': [54, 9.12, 19],
          'P.E': [52, 8, 18],
          'Q.X': [40, 5, 10],
        }),
      ],
      // Not peers of P (a grandchild, another province's department): no effect on P's previous.
      ['2019-H2', points({ 'P.A.X': [60, 9, 20], 'Q.X': [41, 5, 10] })],
      [
        '2020',
        points({
          'P.A': [50, 9.29, 19.36],
          'P.B': [60, 9.5, 20],
          'P.C': [55.5, 9.12, 21],
          'P.D': [56, 9.6204, 20],
          'P.E': [50, null, 18],
        }),
      ],
      ['2021', points({ 'P.A': [60, 9, 20] })],
    ];
    const stored: number[] = [];
    for (const [period, input] of imports) {
      stored.push((await importPoints(database.db, actor, { ...par, period }, input)).stored);
    }
    expect(stored).toEqual([3, 15, 6, 14, 3]);
    // Another framework's points in 2019-H2 do not make it par-2020-province's previous period.
    await importPoints(
      database.db,
      actor,
      { framework: 'p-depts', period: '2019-H2' },
      file('unit,component,points', 'P.B,tasks,65'),
    );
    const again = await importPoints(
      database.db,
      actor,
      { ...par, period: '2020' },
      file('unit,component,points', 'P.A,appraisal,56.93'),
    );
    expect(again.stored).toBe(1);
    const pa = await database.db
      .selectFrom('par_points as p')
      .innerJoin('unit as u', 'u.id', 'p.unit_id')
      .select(['p.component', 'p.points', 'p.source'])
      .where('u.code', '=', 'P.A')
      .where('p.period', '=', '2020')
      .orderBy('p.component')
      .execute();
    expect(pa).toEqual([
      { component: 'appraisal', points: 56.93, source: 'import' },
      { component: 'leaders', points: 19.36, source: 'import' },
      { component: 'sipas', points: 9.29, source: 'import' },
    ]);
    const audit = await database.db
      .selectFrom('audit_log')
      .select(['action', 'subject'])
      .where('action', '=', 'par.import')
      .orderBy('at')
      .execute();
    expect(audit.map((a) => a.subject)).toEqual([
      'par-2020-province/2018',
      'par-2020-province/2019',
      'par-2020-province/2019-H2',
      'par-2020-province/2020',
      'par-2020-province/2021',
      'p-depts/2019-H2',
      'par-2020-province/2020',
    ]);
  });

  it('stores nothing from a bad file and names each bad line', async () => {
    const before = await storedPoints();
    const bad = file(
      'unit,component,points',
      'P.A,appraisal,70',
      'P.Z,sipas,5',
      'P.B,speed,5',
      'P.B,sipas,-1',
      'P.C,leaders,abc',
      'P.C,leaders,20',
      'P.C,leaders,21',
      // A quoted line break: the next record starts on line 11.
      'P.D,"sipas',
      '",9',
      'P.D,appraisal,66.6',
      'P.E,sipas,10',
    );
    await expect(
      importPoints(database.db, actor, { ...par, period: '2020' }, bad),
    ).rejects.toMatchObject({
      code: 'invalid',
      errors: [
        { path: 'line 2, column points', message: { en: '70 is outside [0, 66.5]' } },
        { path: 'line 3, column unit', message: { en: 'unknown unit P.Z' } },
        {
          path: 'line 4, column component',
          message: { en: 'no component speed in par-2020-province' },
        },
        { path: 'line 5, column points', message: { en: '-1 is outside [0, 10]' } },
        { path: 'line 6, column points', message: { en: 'not a number of points such as 56.93' } },
        // The first P.C leaders is line 6, bad points and all.
        { path: 'line 7, column component', message: { en: 'P.C leaders is also on line 6' } },
        { path: 'line 8, column component', message: { en: 'P.C leaders is also on line 6' } },
        { path: 'line 11, column points', message: { en: '66.6 is outside [0, 66.5]' } },
      ],
    });
    await expect(
      importPoints(
        database.db,
        actor,
        { framework: 'nope', period: '2020' },
        points({ 'P.A': [1] }),
      ),
    ).rejects.toMatchObject({ code: 'not-found' });
    expect(await storedPoints()).toBe(before);
  });

  it('builds the scorecard of P: previous period, ties, a peer new this period, top 3', async () => {
    const card = await parScorecard(database.db, operator(), {
      ...par,
      period: '2020',
      peers: 'P',
      top: 3,
    });
    expect(card).toMatchObject({
      framework: 'par-2020-province',
      period: '2020',
      previous: '2019',
      peers: 'P',
      top: 3,
      target: n(85.6204),
    });
    // 2019: B 91.1, A 83, C 82.12, E 78. 2020: B 89.5, C 85.62 = D 85.6204, A 85.58, E 68.
    expect(
      card.rows.map((r) => [r.unit, r.total, r.change, r.rank, r.rankChange, r.gapToTarget]),
    ).toEqual([
      ['P.B', n(89.5), n(-1.6), 1, 0, 0],
      ['P.C', n(85.62), n(3.5), 2, 1, 0],
      ['P.D', n(85.6204), null, 2, null, 0],
      ['P.A', n(85.58), n(2.58), 4, -2, n(0.0404)],
      ['P.E', n(68), n(-10), 5, -1, n(17.6204)],
    ]);
    expect(card.rows[4]?.components.sipas).toEqual({
      points: 0,
      max: 10,
      available: 10,
      change: -8,
      rank: 5,
      rankChange: -1,
    });
    const first = await parScorecard(database.db, operator(), {
      ...par,
      period: '2018',
      peers: 'P',
    });
    expect(first).toMatchObject({ previous: null, top: null, target: null });
    expect(first.rows).toEqual([
      expect.objectContaining({ unit: 'P.A', total: 75, change: null, rankChange: null }),
    ]);
    const none = await parScorecard(database.db, operator(), {
      ...par,
      period: '2022',
      peers: 'Q',
    });
    expect(none).toMatchObject({ previous: '2019-H2', rows: [] });
    await expect(
      parScorecard(database.db, operator(), { ...par, period: '2020', peers: 'NOPE' }),
    ).rejects.toMatchObject({ code: 'not-found' });
    await expect(
      parScorecard(database.db, operator(), { ...par, period: '2020', peers: 'P', top: 0 }),
    ).rejects.toMatchObject({ code: 'invalid', errors: [{ path: 'top' }] });
  });
});

describe.each(engines)('SIPAS points derived from a campaign on %s', (engine) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
    await openExampleCampaign(database.db);
  });
  afterAll(() => database.close());

  it('stores SIPAS index × 10 / 100 for each unit, and ranks the province’s units on it', async () => {
    const request = { framework: 'par-2020-province', period: '2025', campaign: 'BRVT-2025' };
    expect(await deriveSipasPoints(database.db, actor, request)).toEqual({
      stored: 4,
      withoutIndex: [],
    });
    const stored = await database.db
      .selectFrom('par_points as p')
      .innerJoin('unit as u', 'u.id', 'p.unit_id')
      .select(['u.code', 'p.component', 'p.points', 'p.source'])
      .orderBy('u.code')
      .execute();
    // expected.json's srs SIPAS indices: 81.4713882285101, 92.5021978021978,
    // 78.1856609574001, 77.2567251461988.
    expect(stored).toEqual(
      [
        ['BRVT', 8.14713882285101],
        ['BRVT.CHAUDUC', 9.25021978021978],
        ['BRVT.SKHDT', 7.81856609574001],
        ['BRVT.STP', 7.72567251461988],
      ].map(([code, points]) => ({
        code,
        component: 'sipas',
        points: n(Number(points)),
        source: 'campaign:BRVT-2025',
      })),
    );
    const card = await parScorecard(database.db, operator(), {
      framework: 'par-2020-province',
      period: '2025',
      peers: 'BRVT',
    });
    expect(card.rows.map((r) => [r.unit, r.rank, r.components.appraisal?.available])).toEqual([
      ['BRVT.CHAUDUC', 1, 66.5],
      ['BRVT.SKHDT', 2, 66.5],
      ['BRVT.STP', 3, 66.5],
    ]);
    expect(card.rows[0]?.components.sipas?.available).toBeCloseTo(10 - 9.25021978021978, 9);
  });

  it('fills every leaf of source sipas of a tree: index × the leaf’s maximum / 100', async () => {
    // 100 points: field 1 = 1.1 (70, assessed); field 2 = 2.1 (20) + 2.2 (10), both SIPAS.
    await importFrameworkTree(
      database.db,
      actor,
      { code: 't-sipas', name: 'Cây có SIPAS' },
      file(
        'node,name,max,source',
        '1,Nhiệm vụ,,',
        '1.1,Thực hiện,70,assessment',
        '2,Hài lòng,,',
        '2.1,Hài lòng chung,20,sipas',
        '2.2,Hài lòng về thủ tục,10,sipas',
      ),
    );
    const request = { framework: 't-sipas', period: '2025', campaign: 'BRVT-2025' };
    // Four units with an index, two leaves each.
    expect(await deriveSipasPoints(database.db, actor, request)).toEqual({
      stored: 8,
      withoutIndex: [],
    });
    const stored = await database.db
      .selectFrom('par_points as p')
      .innerJoin('par_framework as f', 'f.id', 'p.framework_id')
      .innerJoin('unit as u', 'u.id', 'p.unit_id')
      .select(['p.component', 'p.points', 'p.source'])
      .where('f.code', '=', 't-sipas')
      .where('u.code', '=', 'BRVT.CHAUDUC')
      .orderBy('p.component')
      .execute();
    // BRVT.CHAUDUC's index 92.5021978021978: 2.1 is 92.5021978021978 × 20 / 100 =
    // 18.50043956043956, 2.2 is × 10 / 100 = 9.25021978021978.
    expect(stored).toEqual([
      { component: '2.1', points: n(18.50043956043956), source: 'campaign:BRVT-2025' },
      { component: '2.2', points: n(9.25021978021978), source: 'campaign:BRVT-2025' },
    ]);
    // Field 2 is then the index itself, as a percent of its 30 points: 27.75065934065934 / 30.
    const card = await parScorecard(database.db, operator(), {
      framework: 't-sipas',
      period: '2025',
      peers: 'BRVT',
      level: 'field',
    });
    const chauduc = card.rows.find((r) => r.unit === 'BRVT.CHAUDUC');
    expect(chauduc?.nodes?.['2']).toMatchObject({
      points: n(27.75065934065934),
      applicableMax: 30,
      percent: n(92.5021978021978),
    });
  });

  it('refuses a framework without a sipas component, and an unknown campaign', async () => {
    await createFramework(database.db, actor, {
      code: 'no-sipas',
      name: 'Không có SIPAS',
      components: [{ code: 'tasks', name: 'Nhiệm vụ', max: 100 }],
    });
    await expect(
      deriveSipasPoints(database.db, actor, {
        framework: 'no-sipas',
        period: '2025',
        campaign: 'BRVT-2025',
      }),
    ).rejects.toMatchObject({ code: 'invalid', errors: [{ path: 'framework' }] });
    await expect(
      deriveSipasPoints(database.db, actor, {
        framework: 'par-2020-province',
        period: '2025',
        campaign: 'NOPE',
      }),
    ).rejects.toMatchObject({ code: 'not-found' });
  });
});
