// Publication of PAR results (par-cycle.md §4) on every engine: a period's scorecard frozen as
// published, corrections as versions with a reason, who publishes, the assessments it closes,
// and results published elsewhere imported as such.
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../db/database.ts';
import { engines, openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import { operator, type Principal } from './access.ts';
import { ensureBuiltins } from './builtins.ts';
import { importFrameworkTree } from './frameworks.ts';
import { importPoints } from './par.ts';
import {
  importPublication,
  listPublications,
  publish,
  readPublication,
  scorecardAsPublished,
} from './publications.ts';
import { applyReorganisation } from './reorganisations.ts';
import { importUnits } from './units.ts';

const actor = operator();
const file = (...lines: string[]) => Readable.from([lines.join('\n')]);

// 100 points: field 1 (60) = 1.1 (40) + 1.2 (20); field 2 (40) = its one leaf 2.1.
const framework = () =>
  file(
    'node,name,max,source',
    '1,Chỉ đạo,,',
    '1.1,Kế hoạch,40,assessment',
    '1.2,Kiểm tra,20,assessment',
    '2,Hài lòng,40,',
    '2.1,Khảo sát,40,import',
  );

/** `unit,component,points` from unit → [1.1, 1.2, 2.1]. */
const points = (byUnit: Record<string, number[]>) =>
  file(
    'unit,component,points',
    ...Object.entries(byUnit).flatMap(([unit, values]) =>
      ['1.1', '1.2', '2.1'].map((leaf, i) => `${unit},${leaf},${values[i]}`),
    ),
  );

describe.each(engines)('publication of PAR results on %s', (engine) => {
  let database: TestDatabase;
  const request = { framework: 't-pub', period: '2025', peers: 'P' };
  const staff = async (role: Role, unit: string): Promise<Principal> => {
    const found = await database.db
      .selectFrom('unit')
      .select('id')
      .where('code', '=', unit)
      .executeTakeFirstOrThrow();
    return { ...operator(`${role}-${unit}`), role, unitId: found.id, unitCode: unit };
  };
  const stored = () =>
    database.db
      .selectFrom('par_publication')
      .select(['peers', 'version', 'reason', 'source'])
      .orderBy('id')
      .execute();
  const states = async () =>
    Object.fromEntries(
      (
        await database.db
          .selectFrom('assessment as a')
          .innerJoin('unit as u', 'u.id', 'a.unit_id')
          .select(['u.code', 'a.state'])
          .execute()
      ).map((row) => [row.code, row.state]),
    );
  /** [unit, total, rank, band] of each row. */
  const places = (card: {
    rows: { unit: string; total: number; rank: number; band?: unknown }[];
  }) => card.rows.map((row) => [row.unit, row.total, row.rank, row.band]);

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
      ),
    );
    await importFrameworkTree(database.db, actor, { code: 't-pub', name: 'Công bố' }, framework());
    // Totals: P.A 30+15+36 = 81 (band B), P.B 36+18+36 = 90 (A), P.C 20+10+40 = 70 (C): ranks
    // P.B 1, P.A 2, P.C 3. Field 1: P.A 45/60 = 75%, P.B 54/60 = 90%, P.C 30/60 = 50%; field 2:
    // P.A 90%, P.B 90%, P.C 100%: P.C 1, P.A and P.B tied 2.
    await importPoints(
      database.db,
      actor,
      { framework: 't-pub', period: '2025' },
      points({ 'P.A': [30, 15, 36], 'P.B': [36, 18, 36], 'P.C': [20, 10, 40] }),
    );
    // A round whose P.A is appraised and P.B still in appraisal.
    const round = await database.db
      .insertInto('assessment_round')
      .values({
        framework_id: (
          await database.db
            .selectFrom('par_framework')
            .select('id')
            .where('code', '=', 't-pub')
            .executeTakeFirstOrThrow()
        ).id,
        period: '2025',
        peers: 'P',
        deadline: '2026-01-31',
        stages: JSON.stringify(['top']),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const [unit, state] of [
      ['P.A', 'appraised'],
      ['P.B', 'in-appraisal'],
    ] as const) {
      const { id } = await database.db
        .selectFrom('unit')
        .select('id')
        .where('code', '=', unit)
        .executeTakeFirstOrThrow();
      await database.db
        .insertInto('assessment')
        .values({ round_id: round.id, unit_id: id, state })
        .execute();
    }
  });
  afterAll(() => database.close());

  it('refuses an analyst, and an appraiser below the top of the map, storing nothing', async () => {
    await expect(publish(database.db, await staff('analyst', 'P'), request)).rejects.toMatchObject({
      code: 'forbidden',
    });
    await expect(
      publish(database.db, await staff('appraiser', 'P.A'), { ...request, peers: 'P.A' }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    expect(await stored()).toEqual([]);
  });

  it('refuses a period without points, as there is nothing to publish', async () => {
    await expect(publish(database.db, actor, { ...request, period: '2030' })).rejects.toMatchObject(
      { code: 'invalid', errors: [{ path: 'period', message: { en: 'no points' } }] },
    );
    expect(await stored()).toEqual([]);
  });

  it('freezes the scorecard: later points move the live figures, not the published', async () => {
    const first = await publish(database.db, actor, request);
    expect(first).toMatchObject({
      version: 1,
      reason: null,
      source: 'service',
      assessments: ['P.A'],
    });
    expect(first.document.level).toBe('all');
    expect(await states()).toEqual({ 'P.A': 'published', 'P.B': 'in-appraisal' });

    // P.C's plan is corrected: 1.1 40, 1.2 20: 100 points, now first.
    await importPoints(
      database.db,
      actor,
      { framework: 't-pub', period: '2025' },
      file('unit,component,points', 'P.C,1.1,40', 'P.C,1.2,20'),
    );
    const card = await scorecardAsPublished(database.db, actor, { ...request, level: 'all' });
    expect(card.published).toMatchObject({ version: 1, reason: null, source: 'service' });
    expect(places(card)).toEqual([
      ['P.B', 90, 1, 'A'],
      ['P.A', 81, 2, 'B'],
      ['P.C', 70, 3, 'C'],
    ]);
    expect(Object.keys(card.rows[0]?.nodes ?? {}).sort()).toEqual(['1', '1.1', '1.2', '2', '2.1']);

    const live = await scorecardAsPublished(database.db, actor, { ...request, live: true });
    expect(live.published).toBeUndefined();
    expect(live.rows.map((row) => [row.unit, row.total, row.rank])).toEqual([
      ['P.C', 100, 1],
      ['P.B', 90, 2],
      ['P.A', 81, 3],
    ]);

    // The fields alone, filtered from the published document.
    const fields = await scorecardAsPublished(database.db, actor, { ...request, level: 'field' });
    expect(fields.level).toBe('field');
    const c = fields.rows.find((row) => row.unit === 'P.C');
    expect(Object.keys(c?.nodes ?? {})).toEqual(['1', '2']);
    expect(c?.nodes?.['1']?.percent).toBeCloseTo(50, 9);
    expect(c?.nodes?.['2']).toMatchObject({ rank: 1, points: 40 });
    expect(fields.rows.map((row) => row.nodes?.['2']?.rank)).toEqual([2, 2, 1]);
    // Without a level: no band, no nodes, as the live document without one.
    const plain = await scorecardAsPublished(database.db, actor, request);
    expect(plain.level).toBeUndefined();
    expect(plain.rows[0]).not.toHaveProperty('nodes');
    expect(plain.rows[0]).not.toHaveProperty('band');
    expect(plain.published?.version).toBe(1);
  });

  it('refuses to publish again without a reason, storing nothing', async () => {
    await expect(publish(database.db, actor, { ...request, reason: '  ' })).rejects.toMatchObject({
      code: 'conflict',
      errors: [
        {
          path: 'reason',
          message: { en: 'version 1 is published: a correction needs its reason' },
        },
      ],
    });
    expect(await stored()).toEqual([{ peers: 'P', version: 1, reason: null, source: 'service' }]);
  });

  it('publishes a correction as version 2 with its reason; both versions stay readable', async () => {
    const appraiser = await staff('appraiser', 'P');
    const second = await publish(database.db, appraiser, {
      ...request,
      reason: 'Sửa điểm 1.1 của P.C',
    });
    expect(second).toMatchObject({ version: 2, reason: 'Sửa điểm 1.1 của P.C', by: 'appraiser-P' });
    expect(second.assessments).toEqual([]);

    const card = await scorecardAsPublished(database.db, actor, { ...request, level: 'total' });
    expect(card.published).toMatchObject({ version: 2, reason: 'Sửa điểm 1.1 của P.C' });
    expect(places(card)).toEqual([
      ['P.C', 100, 1, 'A'],
      ['P.B', 90, 2, 'A'],
      ['P.A', 81, 3, 'B'],
    ]);
    expect(card.rows[0]?.nodes).toEqual({});

    const first = await readPublication(database.db, actor, { ...request, version: 1 });
    expect(places(first.document)).toEqual([
      ['P.B', 90, 1, 'A'],
      ['P.A', 81, 2, 'B'],
      ['P.C', 70, 3, 'C'],
    ]);
    expect((await readPublication(database.db, actor, request)).version).toBe(2);
    const list = await listPublications(database.db, actor, request);
    expect(list.versions.map((v) => [v.version, v.reason, v.source])).toEqual([
      [1, null, 'service'],
      [2, 'Sửa điểm 1.1 của P.C', 'service'],
    ]);
    await expect(
      readPublication(database.db, actor, { ...request, version: 3 }),
    ).rejects.toMatchObject({ code: 'not-found' });
    const audits = await database.db
      .selectFrom('audit_log')
      .select(['subject', 'detail'])
      .where('action', '=', 'par.publish')
      .orderBy('id')
      .execute();
    expect(audits).toEqual([
      {
        subject: 't-pub/2025/P',
        detail: { version: 1, reason: null, source: 'service', assessments: ['P.A'] },
      },
      {
        subject: 't-pub/2025/P',
        detail: { version: 2, reason: 'Sửa điểm 1.1 của P.C', source: 'service', assessments: [] },
      },
    ]);
  });

  it('reads as published after a reorganisation merged two of the peers', async () => {
    // P.A and P.B merge into P.AB from 2026; 2025 keeps its published version 2, P.A and P.B in
    // it as they were published.
    await applyReorganisation(database.db, actor, {
      on: '2026-01-01',
      files: {
        reorganisation: file(
          'predecessor,successor,successor_name,successor_parent,successor_type',
          'P.A,P.AB,Huyện AB,P,district',
          'P.B,P.AB,Huyện AB,P,district',
        ),
      },
    });
    const card = await scorecardAsPublished(database.db, actor, { ...request, level: 'total' });
    expect(card.published?.version).toBe(2);
    expect(places(card)).toEqual([
      ['P.C', 100, 1, 'A'],
      ['P.B', 90, 2, 'A'],
      ['P.A', 81, 3, 'B'],
    ]);
  });

  it('imports results published elsewhere, read as published', async () => {
    const origin = 'Bộ Nội vụ, Quyết định 1/QĐ-BNV';
    const imported = await importPublication(
      database.db,
      actor,
      { framework: 't-pub', period: '2025', peers: 'VN63', origin },
      file(
        'unit,points,rank,band,node',
        'HCM,91.5,1,A,',
        'BRVT,85.62,11,B,',
        'BRVT,50,9,,1',
        'DN,85.62,11,B,',
      ),
    );
    expect(imported).toMatchObject({ version: 1, source: 'import', origin, rows: 3 });
    const card = await scorecardAsPublished(database.db, actor, {
      framework: 't-pub',
      period: '2025',
      peers: 'VN63',
      level: 'all',
    });
    expect(card.published).toMatchObject({ version: 1, source: 'import', origin });
    // Ordered by rank, then unit: DN shares BRVT's 11th place.
    expect(places(card)).toEqual([
      ['HCM', 91.5, 1, 'A'],
      ['BRVT', 85.62, 11, 'B'],
      ['DN', 85.62, 11, 'B'],
    ]);
    const brvt = card.rows[1];
    // Of 100 points, 85.62%; field 1: 50 of 60, 83.333…%.
    expect(brvt?.percent).toBeCloseTo(85.62, 9);
    expect(brvt?.nodes?.['1']).toMatchObject({ points: 50, max: 60, rank: 9 });
    expect(brvt?.nodes?.['1']?.percent).toBeCloseTo(250 / 3, 9);
    expect(card.rows[0]?.nodes).toEqual({});
  });

  it('refuses a bad file of published results whole, naming line and column', async () => {
    const before = await stored();
    const refused = importPublication(
      database.db,
      actor,
      { framework: 't-pub', period: '2024', peers: 'VN63', origin: 'Bộ Nội vụ' },
      file(
        'unit,points,rank,band,node',
        'HCM,101,1,A,',
        'BRVT,85.62,0,E,',
        'BRVT,50,9,B,1',
        'BRVT,10,9,,3',
        'HCM,90,2,,',
        'DN,12,4,,2',
      ),
    );
    await expect(refused).rejects.toMatchObject({
      code: 'invalid',
      errors: [
        { path: 'line 2, column points', message: { en: '101 is outside [0, 100]' } },
        { path: 'line 3, column rank', message: { en: 'not a rank, a whole number from 1' } },
        { path: 'line 3, column band', message: { en: 'no band E in t-pub (A, B, C, D)' } },
        {
          path: 'line 4, column band',
          message: { en: "a band is the total's: leave it empty on a node's row" },
        },
        { path: 'line 5, column node', message: { en: 'no node 3 in t-pub' } },
        { path: 'line 6, column unit', message: { en: 'HCM is also on line 2' } },
      ],
    });
    // A unit with node rows and no total.
    await expect(
      importPublication(
        database.db,
        actor,
        { framework: 't-pub', period: '2024', peers: 'VN63', origin: 'Bộ Nội vụ' },
        file('unit,points,rank,node', 'HCM,91.5,1,', 'DN,12,4,2'),
      ),
    ).rejects.toMatchObject({
      errors: [
        { path: 'line 3, column unit', message: { en: 'DN has no row of its total (node empty)' } },
      ],
    });
    expect(await stored()).toEqual(before);
  });
});
