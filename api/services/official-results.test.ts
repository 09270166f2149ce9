// An officials' survey's results and derived PAR points on both engines (par-cycle.md §5). The
// surveys, groups and answers are inserted as rows, as the staff and public sides store them;
// every figure below is worked by hand in the comment beside it.
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OfficialInstrumentInput } from '../../analysis/official-instrument.ts';
import { Z_975 } from '../../analysis/rules.ts';
import type { Role } from '../../db/database.ts';
import { insertOfficialInstrumentIfMissing } from '../../db/repositories/official-instruments.ts';
import * as units from '../../db/repositories/units.ts';
import { engines, openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import { operator, type Principal } from './access.ts';
import { ensureBuiltins } from './builtins.ts';
import { importFrameworkTree } from './frameworks.ts';
import { deriveOfficialPoints, officialResults } from './official-results.ts';
import { officialInstrumentByCode } from './official-instruments.ts';
import { parScorecard } from './par.ts';
import { importUnits } from './units.ts';

const actor = operator('test');
const file = (...lines: string[]) => Readable.from([lines.join('\n')]);
const n = (value: number) => expect.closeTo(value, 9);

/** A principal of `role` scoped to `code`'s subtree. */
async function scoped(db: TestDatabase['db'], role: Role, code: string): Promise<Principal> {
  const unit = await units.findUnitByCode(db, code);
  return {
    actor: { id: `account:${role}` },
    accountId: 1,
    name: role,
    login: null,
    role,
    unitId: unit?.id ?? null,
    unitCode: code,
  };
}

// A custom instrument on a deep framework: two survey leaves, two items each, Q2 a yes/no item
// (A 100, B 0) and Q4 of three options (A 100, B 50, C 0); Q1 and Q3 the default A100 B60 C20 D0.
const customInstrument: OfficialInstrumentInput = {
  code: 'test-officials',
  name: { vi: 'Thử', en: 'Test' },
  items: [
    { code: 'Q1', leaf: '2.1', text: { vi: 'Câu 1', en: 'Item 1' } },
    {
      code: 'Q2',
      leaf: '2.1',
      text: { vi: 'Câu 2', en: 'Item 2' },
      options: [
        { code: 'A', label: { vi: 'Có', en: 'Yes' }, share: 100 },
        { code: 'B', label: { vi: 'Không', en: 'No' }, share: 0 },
      ],
    },
    { code: 'Q3', leaf: '2.2', text: { vi: 'Câu 3', en: 'Item 3' } },
    {
      code: 'Q4',
      leaf: '2.2',
      text: { vi: 'Câu 4', en: 'Item 4' },
      options: [
        { code: 'A', label: { vi: 'Đủ', en: 'Full' }, share: 100 },
        { code: 'B', label: { vi: 'Một phần', en: 'Partly' }, share: 50 },
        { code: 'C', label: { vi: 'Không', en: 'None' }, share: 0 },
      ],
    },
  ],
};

describe.each(engines)("an officials' survey's results on %s", (engine) => {
  let database: TestDatabase;

  async function survey(code: string, instrument: string, framework: string, minGroup?: number) {
    const { db } = database;
    const found = await officialInstrumentByCode(db, instrument);
    const row = await db
      .selectFrom('par_framework')
      .select('id')
      .where('code', '=', framework)
      .executeTakeFirstOrThrow();
    return db
      .insertInto('official_survey')
      .values({
        code,
        name: `Điều tra ${code}`,
        instrument_id: found.id,
        framework_id: row.id,
        period: '2025',
        opens_on: '2025-10-01',
        closes_on: '2025-10-31',
        created_by: 'test',
        ...(minGroup === undefined ? {} : { min_group: minGroup }),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
  }

  /** A group of `invited` in `unit`, with one answer row per element of `answers`. */
  async function group(
    surveyId: number,
    unit: string,
    name: string,
    invited: number,
    answers: number[][],
  ) {
    const { db } = database;
    const found = await units.findUnitByCode(db, unit);
    const { id } = await db
      .insertInto('official_group')
      .values({ survey_id: surveyId, unit_id: found?.id ?? 0, name, invited })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const chosen of answers) {
      await db.insertInto('official_response').values({ group_id: id, answers: chosen }).execute();
    }
  }

  /** par-officials-2020's eight items all answered with the option of index `option`. */
  const all = (option: number) => Array.from({ length: 8 }, () => option);
  // A A A A B B D D: (4 × 100 + 2 × 60 + 2 × 0) / 8 = 520 / 8 = 65.
  const mixed = [0, 0, 0, 0, 1, 1, 3, 3];

  beforeAll(async () => {
    database = await openTestDatabase(engine);
    const { db } = database;
    await ensureBuiltins(db);
    await importUnits(
      db,
      actor,
      file('unit,name,parent', 'P,Tỉnh P,', 'P.A,Sở A,P', 'P.B,Sở B,P', 'P.C,Sở C,P', 'Q,Tỉnh Q,'),
    );
    await importFrameworkTree(
      db,
      actor,
      { code: 'deep' },
      file(
        'node,name,max,source,applies_to,guidance',
        '1,Chỉ đạo,,,,',
        '1.1,Kế hoạch,10,assessment,,',
        '2,Ý kiến cán bộ,,,,',
        '2.1,Lãnh đạo đánh giá,8,survey,,',
        '2.2,Công chức đánh giá,12,survey,,',
      ),
    );
    await insertOfficialInstrumentIfMissing(db, customInstrument.code, customInstrument);

    // LD-2025: par-officials-2020 on par-2020-province's `leaders` (max 23.5), min group 5.
    const ld = await survey('LD-2025', 'par-officials-2020', 'par-2020-province');
    // P.A: three groups. "Lãnh đạo sở", 6 of 10: y = 100, 100, 60, 60, 20, 0 (all A, A, B, B,
    // C, D); "Phòng ban", 4 of 8: y = 60, 60, 60, 20; "Viên chức", 7 of 12: 5 × 100 and
    // 2 × 65 (the mixed answers).
    await group(ld.id, 'P.A', 'Lãnh đạo sở', 10, [all(0), all(0), all(1), all(1), all(2), all(3)]);
    await group(ld.id, 'P.A', 'Phòng ban', 8, [all(1), all(1), all(1), all(2)]);
    await group(ld.id, 'P.A', 'Viên chức', 12, [
      ...Array.from({ length: 5 }, () => all(0)),
      mixed,
      mixed,
    ]);
    // P.B: one of 5 answered, y = 60. P.C: invited, nobody answered.
    await group(ld.id, 'P.B', 'Lãnh đạo', 5, [all(1)]);
    await group(ld.id, 'P.C', 'Lãnh đạo', 6, []);
    // EMPTY: invited, no answer anywhere.
    const empty = await survey('EMPTY', 'par-officials-2020', 'par-2020-province');
    await group(empty.id, 'P.A', 'Lãnh đạo sở', 10, []);
    // T-2025: the custom instrument on `deep`, min group 3.
    const custom = await survey('T-2025', 'test-officials', 'deep', 3);
    // Answers by option index, items Q1 Q2 Q3 Q4:
    // r1 [0,0,0,0]: 2.1 (100 + 100)/2 = 100; 2.2 (100 + 100)/2 = 100
    // r2 [1,1,2,1]: 2.1 (60 + 0)/2 = 30;     2.2 (20 + 50)/2 = 35
    // r3 [3,0,1,2]: 2.1 (0 + 100)/2 = 50;    2.2 (60 + 0)/2 = 30
    await group(custom.id, 'P.A', 'Công chức', 4, [
      [0, 0, 0, 0],
      [1, 1, 2, 1],
      [3, 0, 1, 2],
    ]);
  });
  afterAll(() => database.close());

  it('scores each unit and shown group, suppressing the small and the complementary', async () => {
    const results = await officialResults(database.db, actor, 'LD-2025');
    expect(results).toMatchObject({
      survey: 'LD-2025',
      framework: 'par-2020-province',
      period: '2025',
      minGroup: 5,
    });
    expect(results.units.map((u) => u.unit)).toEqual(['P.A', 'P.B', 'P.C']);
    const [a, b, c] = results.units;

    // P.A: n = 6 + 4 + 7 = 17 of N = 10 + 8 + 12 = 30, rate 17/30.
    // Σy = 340 + 200 + 630 = 1170, ȳ = 1170/17 = 68.823529; points = 68.823529 × 0.235
    // = 274.95/17 = 16.173529. Σy² = 27600 + (3 × 3600 + 400) + (5 × 10000 + 2 × 4225)
    // = 27600 + 11200 + 58450 = 97250; Σ(y − ȳ)² = 97250 − 1170²/17 = 284350/17;
    // s² = 284350/(17 × 16) = 1045.404412. SE = 0.235 × sqrt((1 − 17/30) × 1045.404412 / 17)
    // = 0.235 × sqrt(26.647563) = 0.235 × 5.162128 = 1.213100;
    // interval 16.173529 ∓ 1.959964 × 1.213100 = [13.795897, 18.551162].
    const unitSe = 0.235 * Math.sqrt(((13 / 30) * (284350 / 272)) / 17);
    expect(a).toMatchObject({ unit: 'P.A', name: 'Sở A', invited: 30, answered: 17 });
    expect(a?.rate).toEqual(n(17 / 30));
    expect(a?.leaves).toEqual([
      {
        leaf: 'leaders',
        name: expect.any(String),
        max: 23.5,
        respondents: 17,
        meanShare: n(1170 / 17),
        points: n(274.95 / 17),
        se: n(unitSe),
        interval: [n(274.95 / 17 - Z_975 * unitSe), n(274.95 / 17 + Z_975 * unitSe)],
      },
    ]);
    expect(unitSe).toBeCloseTo(1.2131, 6);

    // Groups by name. "Phòng ban" has 4 < 5: small. With it the only small group with
    // answers and two shown, the unit less the shown two would give it away: the smaller shown
    // ("Lãnh đạo sở", 6 < 7) is withheld as complementary.
    expect(a?.groups.map((g) => [g.group, g.answered, g.invited, g.suppressed])).toEqual([
      ['Lãnh đạo sở', 6, 10, 'complementary'],
      ['Phòng ban', 4, 8, 'small'],
      ['Viên chức', 7, 12, null],
    ]);
    expect(a?.groups[0]?.leaves).toBeNull();
    expect(a?.groups[1]?.leaves).toBeNull();
    expect(a?.groups[1]?.rate).toEqual(n(0.5));
    // "Viên chức": y = 100 × 5, 65 × 2: ȳ = 630/7 = 90, points 0.9 × 23.5 = 21.15.
    // Σy² = 50000 + 8450 = 58450; Σ(y − ȳ)² = 58450 − 630²/7 = 58450 − 56700 = 1750,
    // s² = 1750/6 = 875/3. SE = 0.235 × sqrt((1 − 7/12) × (875/3) / 7) = 0.235 × sqrt(625/36)
    // = 0.235 × 25/6 = 0.979167; interval 21.15 ∓ 1.959964 × 0.979167 = [19.230869, 23.069131].
    const groupSe = (0.235 * 25) / 6;
    expect(a?.groups[2]?.leaves).toEqual([
      expect.objectContaining({
        respondents: 7,
        meanShare: n(90),
        points: n(21.15),
        se: n(groupSe),
        interval: [n(21.15 - Z_975 * groupSe), n(21.15 + Z_975 * groupSe)],
      }),
    ]);
    expect(a?.groups[2]?.leaves?.[0]?.interval?.[0]).toBeCloseTo(19.230869, 6);

    // P.B: one of 5, y = 60: points 0.6 × 23.5 = 14.1, no SE; its only group small, nothing
    // shown beside it to withhold.
    expect(b?.leaves[0]).toMatchObject({ respondents: 1, meanShare: 60, se: null, interval: null });
    expect(b?.leaves[0]?.points).toEqual(n(14.1));
    expect(b?.groups).toEqual([
      {
        group: 'Lãnh đạo',
        invited: 5,
        answered: 1,
        rate: n(0.2),
        suppressed: 'small',
        leaves: null,
      },
    ]);
    // P.C: invited, no answers: counts shown, no points.
    expect(c).toMatchObject({ invited: 6, answered: 0, rate: 0 });
    expect(c?.leaves[0]).toMatchObject({ respondents: 0, meanShare: null, points: null });
  });

  it('averages each leaf over its own items, each with its own options', async () => {
    const results = await officialResults(database.db, actor, 'T-2025');
    const [unit] = results.units;
    // Leaf 2.1 (max 8): y = 100, 30, 50; ȳ = 60, points 0.6 × 8 = 4.8. Σy² = 13400,
    // Σ(y − ȳ)² = 13400 − 180²/3 = 2600, s² = 1300. SE = 0.08 × sqrt((1 − 3/4) × 1300/3)
    // = 0.08 × sqrt(108.333333) = 0.08 × 10.408330 = 0.832666.
    // Leaf 2.2 (max 12): y = 100, 35, 30; ȳ = 55, points 6.6. Σy² = 12125,
    // Σ(y − ȳ)² = 12125 − 165²/3 = 3050, s² = 1525. SE = 0.12 × sqrt(0.25 × 1525/3)
    // = 0.12 × sqrt(127.083333) = 0.12 × 11.273124 = 1.352775;
    // interval 6.6 ∓ 1.959964 × 1.352775 = [3.948610, 9.251390].
    const se21 = 0.08 * Math.sqrt(1300 / 12);
    const se22 = 0.12 * Math.sqrt(1525 / 12);
    const expected = [
      {
        leaf: '2.1',
        name: 'Lãnh đạo đánh giá',
        max: 8,
        respondents: 3,
        meanShare: n(60),
        points: n(4.8),
        se: n(se21),
        interval: [n(4.8 - Z_975 * se21), n(4.8 + Z_975 * se21)],
      },
      {
        leaf: '2.2',
        name: 'Công chức đánh giá',
        max: 12,
        respondents: 3,
        meanShare: n(55),
        points: n(6.6),
        se: n(se22),
        interval: [n(6.6 - Z_975 * se22), n(6.6 + Z_975 * se22)],
      },
    ];
    expect(unit?.leaves).toEqual(expected);
    expect(se22).toBeCloseTo(1.352775, 6);
    expect(unit?.leaves[1]?.interval?.[0]).toBeCloseTo(3.94861, 5);
    // The one group is the whole unit, 3 ≥ the survey's minimum of 3: shown, the same figures.
    expect(unit?.groups).toEqual([
      {
        group: 'Công chức',
        invited: 4,
        answered: 3,
        rate: n(0.75),
        suppressed: null,
        leaves: expected,
      },
    ]);
  });

  it("reads a scoped reader's units only, and refuses one without any", async () => {
    const { db } = database;
    for (const role of ['surveyor', 'unit', 'analyst', 'appraiser'] as const) {
      const results = await officialResults(db, await scoped(db, role, 'P.B'), 'LD-2025');
      expect(results.units.map((u) => u.unit)).toEqual(['P.B']);
    }
    const province = await officialResults(db, await scoped(db, 'analyst', 'P'), 'LD-2025');
    expect(province.units).toHaveLength(3);
    await expect(
      officialResults(db, await scoped(db, 'analyst', 'Q'), 'LD-2025'),
    ).rejects.toMatchObject({ code: 'forbidden' });
    await expect(officialResults(db, actor, 'NONE')).rejects.toMatchObject({ code: 'not-found' });
  });

  it('stores the units’ points, audited, and the scorecard counts them', async () => {
    const { db } = database;
    const points = () =>
      db
        .selectFrom('par_points')
        .innerJoin('unit', 'unit.id', 'par_points.unit_id')
        .select(['unit.code', 'component', 'points', 'source', 'period'])
        .orderBy('unit.code')
        .execute();
    await expect(deriveOfficialPoints(db, actor, 'EMPTY')).rejects.toMatchObject({
      code: 'invalid',
    });
    expect(await points()).toEqual([]);

    // P.A 274.95/17 and P.B 14.1; P.C has no answers, so no points.
    expect(await deriveOfficialPoints(db, actor, 'LD-2025')).toEqual({ stored: 2, units: 2 });
    expect(await points()).toEqual([
      {
        code: 'P.A',
        component: 'leaders',
        points: n(274.95 / 17),
        source: 'officials:LD-2025',
        period: '2025',
      },
      {
        code: 'P.B',
        component: 'leaders',
        points: n(14.1),
        source: 'officials:LD-2025',
        period: '2025',
      },
    ]);
    const logged = await db
      .selectFrom('audit_log')
      .select(['action', 'subject', 'actor', 'detail'])
      .where('action', '=', 'officials.derive')
      .execute();
    expect(logged).toEqual([
      {
        action: 'officials.derive',
        subject: 'LD-2025',
        actor: 'test',
        detail: {
          framework: 'par-2020-province',
          period: '2025',
          leaves: ['leaders'],
          units: ['P.A', 'P.B'],
        },
      },
    ]);

    // The scorecard of P's children: P.A's total is its leaders' points alone.
    const card = await parScorecard(db, actor, {
      framework: 'par-2020-province',
      period: '2025',
      peers: 'P',
    });
    const row = card.rows.find((r) => r.unit === 'P.A');
    expect(row?.components.leaders?.points).toEqual(n(274.95 / 17));
    expect(row?.total).toEqual(n(274.95 / 17));

    // The custom survey: both leaves of `deep`, 4.8 and 6.6.
    expect(await deriveOfficialPoints(db, actor, 'T-2025')).toEqual({ stored: 2, units: 1 });
    const deep = await db
      .selectFrom('par_points')
      .innerJoin('par_framework', 'par_framework.id', 'par_points.framework_id')
      .select(['component', 'points'])
      .where('par_framework.code', '=', 'deep')
      .orderBy('component')
      .execute();
    expect(deep).toEqual([
      { component: '2.1', points: n(4.8) },
      { component: '2.2', points: n(6.6) },
    ]);
  });
});
