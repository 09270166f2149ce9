// Applying reorganisations (organisation.md §1, §3) on real engines: the 2025 provinces
// through the command, a bad reorganisation refused whole, an acceptance-style province whose
// districts end and communes merge, split and take new codes, and two reorganisations at once.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/database.ts';
import { validOn } from '../../db/repositories/links.ts';
import * as units from '../../db/repositories/units.ts';
import { engines, openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import { cliFor } from '../cli/testing.ts';
import { DomainError } from '../errors.ts';
import { ensureBuiltins } from './builtins.ts';
import { createCampaign } from './campaigns/index.ts';
import { importCounters } from './counters.ts';
import { exampleActor as actor, textStream } from './examples.testing.ts';
import {
  applyReorganisation,
  listReorganisations,
  previewReorganisation,
  type ReorganisationFiles,
} from './reorganisations.ts';
import { importUnits } from './units.ts';

const D = '2025-07-01';
const BEFORE = '2025-06-30';

/** Units valid on `day`, each with its parent on that day: `CODE<PARENT>`. */
async function mapOn(db: Db, day: string): Promise<string[]> {
  const rows = await db
    .selectFrom('unit as u')
    .leftJoin('unit_parent as up', (join) =>
      join.onRef('up.unit_id', '=', 'u.id').on(validOn('up', day)),
    )
    .leftJoin('unit as p', 'p.id', 'up.parent_id')
    .select(['u.code', 'p.code as parent'])
    .where(validOn('u', day))
    .execute();
  // Sorted here: the engines' collations order `.` and `<` apart.
  return rows.map((row) => `${row.code}<${row.parent ?? ''}>`).sort();
}

/** Counters and their unit on `day`: `COUNTER@UNIT`. */
async function membersOn(db: Db, day: string): Promise<string[]> {
  const rows = await db
    .selectFrom('counter_unit as cu')
    .innerJoin('counter as k', 'k.id', 'cu.counter_id')
    .innerJoin('unit as u', 'u.id', 'cu.unit_id')
    .select(['k.code', 'u.code as unit'])
    .where(validOn('cu', day))
    .execute();
  return rows.map((row) => `${row.code}@${row.unit}`).sort();
}

/** Rows of every table a reorganisation writes. */
async function rowCounts(db: Db) {
  const { rows } = await sql<Record<string, number>>`
    select (select count(*)::int from unit) as unit,
           (select count(*)::int from unit_parent) as unit_parent,
           (select count(*)::int from counter_unit) as counter_unit,
           (select count(*)::int from reorganisation) as reorganisation,
           (select count(*)::int from unit_lineage) as unit_lineage,
           (select count(*)::int from audit_log) as audit_log
  `.execute(db);
  return rows[0];
}

async function problemsOf(work: Promise<unknown>): Promise<string[]> {
  const error: unknown = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error instanceof DomainError ? error.errors.map((e) => `${e.path}: ${e.message.en}`) : [];
}

const files = (reorganisation: string, more: Omit<ReorganisationFiles, 'reorganisation'> = {}) => ({
  reorganisation: textStream(reorganisation),
  ...more,
});

describe.each(engines)('the 2025 provinces through the command on %s', (engine) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
  });
  afterAll(() => database.close());

  it('imports 63 provinces and reorganises them into 34 on 1 July 2025', async () => {
    const sipas = cliFor(engine, database.url);
    const fixture = (name: string) =>
      new URL(`../../fixtures/organisation/${name}`, import.meta.url).pathname;
    // units.csv takes unit, name, parent: the fixture's types come with the reorganisation's
    // new units only, so provinces are counted as the children of VN.
    const plain = join(sipas.dataDir ?? '/tmp', '..', `provinces-${process.pid}-${engine}.csv`);
    writeFileSync(
      plain,
      readFileSync(fixture('provinces-2024.csv'), 'utf8').replace(/,[a-z]+$/gm, ''),
    );
    expect(await sipas('units', 'import', plain)).toMatchObject({ status: 0 });
    const dry = await sipas(
      'units',
      'reorganise',
      '--on',
      D,
      fixture('reorganisation-2025-provinces.csv'),
      '--dry-run',
      '--format',
      'json',
    );
    expect(dry.status).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ on: D, units: { before: 64, after: 35 } });
    const applied = await sipas(
      'units',
      'reorganise',
      '--on',
      D,
      fixture('reorganisation-2025-provinces.csv'),
    );
    expect(applied.stderr).toBe('');
    expect(applied.stdout).toContain(
      'merge: VN.HAGIANG Hà Giang, VN.TUYENQUANG Tuyên Quang → VN.TUYENQUANG Tuyên Quang (new)',
    );
    expect(applied.stdout).toMatch(/applied: reorganisation 1 on 2025-07-01\n$/);

    const connection = sipas.open();
    try {
      const provinces = (map: string[]) => map.filter((unit) => unit.endsWith('<VN>')).length;
      expect(provinces(await mapOn(connection.db, BEFORE))).toBe(63);
      expect(provinces(await mapOn(connection.db, D))).toBe(34);
      // Each of the 52 predecessors' shares sum to 1 (every merge is whole: one edge of 1).
      const { rows } = await sql<{ code: string; total: number }>`
        select u.code, sum(l.share) as total
        from unit_lineage l join unit u on u.id = l.predecessor_id
        group by u.code
      `.execute(connection.db);
      expect(rows).toHaveLength(52);
      for (const row of rows) expect(Number(row.total)).toBeCloseTo(1, 9);
      // Tuyên Quang is two units under one code: the old one ended, the new one from D.
      const { rows: tq } = await sql<{ valid_from: string | null; valid_to: string | null }>`
        select valid_from, valid_to from unit where code = 'VN.TUYENQUANG' order by id
      `.execute(connection.db);
      expect(tq).toEqual([
        { valid_from: null, valid_to: D },
        { valid_from: D, valid_to: null },
      ]);
    } finally {
      await connection.close();
    }
    // Again: every predecessor has ended, each named on its line.
    const again = await sipas(
      'units',
      'reorganise',
      '--on',
      D,
      fixture('reorganisation-2025-provinces.csv'),
    );
    expect(again.status).toBe(1);
    expect(again.stderr).toContain(
      'line 2, column predecessor: unit VN.TUYENQUANG has already ended (on or before 2025-07-01)',
    );
  });
});

describe.each(engines)('applying reorganisations on %s', (engine) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
    await ensureBuiltins(database.db);
    // A province with two districts and six communes; C3 has two counters, the others one.
    await importUnits(
      database.db,
      actor,
      textStream(
        'unit,name,parent\nP,Tỉnh P,\nP.D1,Huyện 1,P\nP.D2,Huyện 2,P\n' +
          'P.C1,Xã 1,P.D1\nP.C2,Xã 2,P.D1\nP.C3,Xã 3,P.D1\n' +
          'P.C4,Xã 4,P.D2\nP.C5,Xã 5,P.D2\nP.C6,Xã 6,P.D2\n',
      ),
    );
    await importCounters(
      database.db,
      actor,
      textStream(
        'counter,unit,name\nK1,P.C1,Quầy 1\nK2,P.C2,Quầy 2\nK3A,P.C3,Quầy 3A\nK3B,P.C3,Quầy 3B\n' +
          'K4,P.C4,Quầy 4\nK5,P.C5,Quầy 5\nK6,P.C6,Quầy 6\n',
      ),
    );
    // A campaign still open on D holding the split commune's counters, and one that ended.
    await createCampaign(database.db, actor, {
      code: 'OPEN',
      instrument: 'sipas-2017',
      from: '2025-06-01',
      to: '2025-09-30',
      counters: ['K3A', 'K3B', 'K5'],
    });
    await createCampaign(database.db, actor, {
      code: 'PAST',
      instrument: 'sipas-2017',
      from: '2025-01-01',
      to: '2025-03-31',
      counters: ['K1'],
    });
    // A peer group holding a commune that ends (peers are imported by their own command).
    const { id } = await database.db
      .insertInto('peer_group')
      .values({ name: 'Communes of P', period: '2024' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const c1 = await units.findUnitByCode(database.db, 'P.C1');
    await database.db
      .insertInto('peer_group_unit')
      .values({ peer_group_id: id, unit_id: c1?.id ?? 0 })
      .execute();
  });
  afterAll(() => database.close());

  it('refuses a bad reorganisation whole, each problem on its line and column', async () => {
    const before = await rowCounts(database.db);
    const problems = await problemsOf(
      applyReorganisation(database.db, actor, {
        on: D,
        files: files(
          'predecessor,successor,share,successor_name,successor_parent\n' +
            'P.NOPE,P.X,1,Xã X,P\n' + // line 2: unknown predecessor
            'P.C1,P.Y,0.7,Xã Y,P\n' + // lines 3-4: C1's shares add up to 1.2
            'P.C1,P.Z,0.5,Xã Z,P\n' +
            'P.C3,P.S,0.5,Xã S,P\n' + // line 5: a split whose counters have no destination
            'P.C4,P.C6,1,Xã khác,P\n' + // line 6: a code in use by a unit that does not end
            'P.C5,P.W,1.5,Xã W,P\n', // line 7: a share above 1
        ),
      }),
    );
    expect(problems).toEqual([
      'line 2, column predecessor: unknown unit P.NOPE',
      'line 3, column predecessor: counter K1 of P.C1 (split) has no new unit: give it in counter-moves.csv',
      'line 4, column share: the shares of P.C1 add up to more than 1 (lines 3, 4)',
      'line 5, column predecessor: counter K3A of P.C3 is in a campaign open on or after 2025-07-01 and would be left without a unit: give its new unit in counter-moves.csv',
      'line 5, column predecessor: counter K3B of P.C3 is in a campaign open on or after 2025-07-01 and would be left without a unit: give its new unit in counter-moves.csv',
      'line 6, column successor_name: code P.C6 is in use by a unit that does not end on 2025-07-01 (“Xã 6”): to change it, end it that day too (a row P.C6,P.C6)',
      'line 6, column successor_parent: code P.C6 is in use by a unit that does not end on 2025-07-01 (“P.D2”): to change it, end it that day too (a row P.C6,P.C6)',
      'line 7, column share: a number above 0 and at most 1 (empty: 1)',
    ]);
    expect(await rowCounts(database.db)).toEqual(before);
    // The preview refuses alike.
    await expect(
      previewReorganisation(database.db, actor, {
        on: D,
        files: files('predecessor,successor,share,successor_name,successor_parent\nP.NOPE,,,,\n'),
      }),
    ).rejects.toThrow(DomainError);
    expect(await rowCounts(database.db)).toEqual(before);
  });

  it('refuses every role but admin', async () => {
    const analyst = { ...actor, role: 'analyst' as const };
    await expect(listReorganisations(database.db, analyst)).rejects.toMatchObject({
      code: 'forbidden',
    });
  });

  const reorganisation =
    'predecessor,successor,share,successor_name,successor_parent,successor_type\n' +
    'P.C1,P.M12,1,Xã M12,P,commune\n' +
    'P.C2,P.M12,1,Xã M12,P,commune\n' +
    'P.C3,P.S3A,0.6,Xã 3A,P,commune\n' +
    'P.C3,P.S3B,0.4,Xã 3B,P,commune\n' +
    'P.C4,P.C4N,1,Xã 4 mới,P,commune\n' +
    'P.D1,,,,,\n' +
    'P.D2,,,,,\n';
  const moves = 'counter,unit\nK3A,P.S3A\nK3B,P.S3B\n';
  const transfers = 'unit,parent\nP.C5,P\nP.C6,P\n';

  it('previews every change, the open campaign and the peer group it touches', async () => {
    const before = await rowCounts(database.db);
    const preview = await previewReorganisation(database.db, actor, {
      on: D,
      files: files(reorganisation, {
        counterMoves: textStream(moves),
        transfers: textStream(transfers),
      }),
    });
    // Before: P, 2 districts, 6 communes. On D: P, M12, S3A, S3B, C4N, C5, C6.
    expect(preview.units).toEqual({ before: 9, after: 7 });
    expect(preview.changes.map((change) => change.kind)).toEqual([
      'merge',
      'split',
      're-code',
      'end',
      'end',
      'transfer',
      'transfer',
    ]);
    expect(preview.ended.map((unit) => unit.code)).toEqual([
      'P.C1',
      'P.C2',
      'P.C3',
      'P.C4',
      'P.D1',
      'P.D2',
    ]);
    expect(preview.counterMoves.map((m) => `${m.counter}:${m.from.code}→${m.to.code}`)).toEqual([
      'K1:P.C1→P.M12',
      'K2:P.C2→P.M12',
      'K3A:P.C3→P.S3A',
      'K3B:P.C3→P.S3B',
      'K4:P.C4→P.C4N',
    ]);
    // K5 stays in C5, which only moves: the open campaign is touched through K3A and K3B.
    expect(preview.campaigns).toEqual([{ code: 'OPEN', name: 'OPEN', counters: ['K3A', 'K3B'] }]);
    expect(preview.peerGroups).toEqual([
      { name: 'Communes of P', period: '2024', units: ['P.C1'] },
    ]);
    expect(await rowCounts(database.db)).toEqual(before);
  });

  it('applies it: units on both sides of the date, dated links, lineage', async () => {
    const applied = await applyReorganisation(database.db, actor, {
      on: D,
      files: files(reorganisation, {
        counterMoves: textStream(moves),
        transfers: textStream(transfers),
      }),
    });
    expect(applied.on).toBe(D);
    expect(await mapOn(database.db, BEFORE)).toEqual([
      'P.C1<P.D1>',
      'P.C2<P.D1>',
      'P.C3<P.D1>',
      'P.C4<P.D2>',
      'P.C5<P.D2>',
      'P.C6<P.D2>',
      'P.D1<P>',
      'P.D2<P>',
      'P<>',
    ]);
    expect(await mapOn(database.db, D)).toEqual([
      'P.C4N<P>',
      'P.C5<P>',
      'P.C6<P>',
      'P.M12<P>',
      'P.S3A<P>',
      'P.S3B<P>',
      'P<>',
    ]);
    expect(await membersOn(database.db, BEFORE)).toEqual([
      'K1@P.C1',
      'K2@P.C2',
      'K3A@P.C3',
      'K3B@P.C3',
      'K4@P.C4',
      'K5@P.C5',
      'K6@P.C6',
    ]);
    expect(await membersOn(database.db, D)).toEqual([
      'K1@P.M12',
      'K2@P.M12',
      'K3A@P.S3A',
      'K3B@P.S3B',
      'K4@P.C4N',
      'K5@P.C5',
      'K6@P.C6',
    ]);
    // The latest map (unit.parent_id, counter.unit_id) follows the open links.
    const c5 = await units.findUnitByCode(database.db, 'P.C5');
    const p = await units.findUnitByCode(database.db, 'P');
    expect(c5?.parent_id).toBe(p?.id);
    const m12 = await units.findUnitByCode(database.db, 'P.M12');
    expect(m12).toMatchObject({ type: 'commune', valid_from: D, valid_to: null });
    expect(await units.findUnitByCode(database.db, 'P.D1')).toMatchObject({ valid_to: D });
    const { rows: lineage } = await sql<{ edge: string }>`
      select a.code || '→' || b.code || ' ' || l.share as edge
      from unit_lineage l join unit a on a.id = l.predecessor_id join unit b on b.id = l.successor_id
      order by 1
    `.execute(database.db);
    expect(lineage.map((row) => row.edge)).toEqual([
      'P.C1→P.M12 1',
      'P.C2→P.M12 1',
      'P.C3→P.S3A 0.6',
      'P.C3→P.S3B 0.4',
      'P.C4→P.C4N 1',
    ]);
    expect(await listReorganisations(database.db, actor)).toMatchObject([
      {
        id: applied.id,
        on: D,
        by: actor.actor.id,
        counts: { ended: 6, created: 4, lineage: 5, reparented: 2, counterMoves: 5 },
      },
    ]);
    const entry = await database.db
      .selectFrom('audit_log')
      .select(['action', 'subject'])
      .where('action', '=', 'units.reorganise')
      .executeTakeFirst();
    expect(entry).toEqual({ action: 'units.reorganise', subject: `reorganisation:${applied.id}` });
  });

  it('applies a second reorganisation of the same day over the first', async () => {
    // C6 came under P on D; made a root that same day, its link from D never held and goes.
    await applyReorganisation(database.db, actor, {
      on: D,
      files: files('predecessor,successor,successor_name,successor_parent\n', {
        transfers: textStream('unit,parent\nP.C6,\n'),
      }),
    });
    expect((await mapOn(database.db, BEFORE)).filter((u) => u.startsWith('P.C6<'))).toEqual([
      'P.C6<P.D2>',
    ]);
    expect((await mapOn(database.db, D)).filter((u) => u.startsWith('P.C6<'))).toEqual(['P.C6<>']);
    const c6 = await units.findUnitByCode(database.db, 'P.C6');
    const links = await database.db
      .selectFrom('unit_parent')
      .select(['valid_from', 'valid_to'])
      .where('unit_id', '=', c6?.id ?? 0)
      .execute();
    expect(links).toEqual([{ valid_from: null, valid_to: D }]);
    expect(c6?.parent_id).toBeNull();
  });

  it('lets one of two reorganisations at once apply, and refuses the other', async () => {
    const on = '2025-08-01';
    const ending = (successor: string) => ({
      on,
      files: files(
        'predecessor,successor,share,successor_name,successor_parent\n' +
          `P.C5,${successor},1,Xã ${successor},P\n`,
      ),
    });
    const results = await Promise.allSettled([
      applyReorganisation(database.db, actor, ending('P.X1')),
      applyReorganisation(database.db, actor, ending('P.X2')),
    ]);
    expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = results.find((result) => result.status === 'rejected');
    const reason: unknown = refused?.status === 'rejected' ? refused.reason : undefined;
    expect(reason instanceof DomainError ? reason.errors.map((e) => e.message.en) : []).toEqual([
      'unit P.C5 has already ended (on or before 2025-08-01)',
    ]);
    const after = await mapOn(database.db, on);
    expect(after.filter((unit) => /^P\.X[12]</.test(unit))).toHaveLength(1);
    // K5 went with it, once.
    expect((await membersOn(database.db, on)).filter((m) => m.startsWith('K5@'))).toHaveLength(1);
  });

  it('refuses a date before the latest reorganisation', async () => {
    const problems = await problemsOf(
      previewReorganisation(database.db, actor, {
        on: '2025-01-01',
        files: files('predecessor,successor,share,successor_name,successor_parent\nP.C6,,,,\n'),
      }),
    );
    expect(problems).toEqual([
      'on: a reorganisation took effect on 2025-08-01: none may take effect earlier',
    ]);
  });
});
