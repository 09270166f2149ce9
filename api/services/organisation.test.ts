import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as counters from '../../db/repositories/counters.ts';
import * as units from '../../db/repositories/units.ts';
import { engines, openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import { DomainError } from '../errors.ts';
import { exampleActor as actor, textStream } from './examples.testing.ts';
import { importUnits, updateUnit } from './units.ts';
import { importCounters } from './counters.ts';

async function problemsOf(work: Promise<unknown>): Promise<string[]> {
  const error: unknown = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error instanceof DomainError ? error.errors.map((e) => `${e.path}: ${e.message.en}`) : [];
}

describe.each(engines)('organisation import on %s', (engine) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
  });
  afterAll(() => database.close());

  const tree = async () => {
    const stored = await units.listUnits(database.db);
    const code = new Map(stored.map((u) => [u.id, u.code]));
    return stored
      .map((u) => `${u.code}<${u.parent_id === null ? '' : code.get(u.parent_id)}>${u.name}`)
      .sort();
  };

  it('takes a parent after its child, updates names and parents, creates nothing twice', async () => {
    const first = 'unit,name,parent\nP.A,Sở A,P\nP.B,Sở B,P\nP,Tỉnh P,\nP.A.X,Xã X,P.A\n';
    expect(await importUnits(database.db, actor, textStream(first))).toEqual({
      created: 4,
      updated: 0,
    });
    expect(await tree()).toEqual(['P.A.X<P.A>Xã X', 'P.A<P>Sở A', 'P.B<P>Sở B', 'P<>Tỉnh P']);
    // Again, unchanged: nothing created, nothing updated.
    expect(await importUnits(database.db, actor, textStream(first))).toEqual({
      created: 0,
      updated: 0,
    });
    // X moves under B, A is renamed, a new unit C comes before its new parent Q.
    const second =
      '\uFEFFname,unit,parent\r\nXã X,P.A.X,P.B\r\nSở A mới,P.A,P\r\nSở C,P.Q.C,P.Q\r\nHuyện Q,P.Q,P\r\n';
    expect(await importUnits(database.db, actor, textStream(second))).toEqual({
      created: 2,
      updated: 2,
    });
    expect(await tree()).toEqual([
      'P.A.X<P.B>Xã X',
      'P.A<P>Sở A mới',
      'P.B<P>Sở B',
      'P.Q.C<P.Q>Sở C',
      'P.Q<P>Huyện Q',
      'P<>Tỉnh P',
    ]);
  });

  it('refuses cycles, unknown parents and repeated codes, and stores nothing', async () => {
    const before = await tree();
    const bad = [
      'unit,name,parent',
      'P,Tỉnh P,P.A.X', // P → P.A.X → P.B → P: a cycle through stored units
      'P.N,Mới,P.NOPE',
      'P.S,Tự,P.S',
      'P.N,Lại,',
      'bad code,Tên,',
      'P.E,,',
    ].join('\n');
    expect(await problemsOf(importUnits(database.db, actor, textStream(bad)))).toEqual([
      'line 2, column parent: a cycle: P → P.A.X → P.B → P',
      'line 3, column parent: unknown unit P.NOPE',
      'line 4, column parent: a cycle: P.S → P.S',
      'line 5, column unit: P.N is also on line 3',
      'line 6, column unit: a code is 1 to 64 letters, digits, dots, hyphens or underscores',
      'line 7, column name: required',
    ]);
    expect(await tree()).toEqual(before);
  });

  it('checks the header: missing and unknown columns, an empty file', async () => {
    expect(await problemsOf(importUnits(database.db, actor, textStream('unit,label\n')))).toEqual([
      'line 1, column name: required column missing',
      'line 1, column parent: required column missing',
      'line 1, column label: unknown column',
    ]);
    expect(await problemsOf(importUnits(database.db, actor, textStream('')))).toEqual([
      'line 1: the file is empty',
    ]);
  });

  it('imports counters, moves and renames them on re-import, refuses unknown units', async () => {
    const file = 'counter,unit,name\nP.A.Q1,P.A,Quầy 1\nP.B.Q1,P.B,Quầy 1\n';
    expect(await importCounters(database.db, actor, textStream(file))).toEqual({
      created: 2,
      updated: 0,
    });
    const moved = 'counter,unit,name\nP.A.Q1,P.B,"Quầy 1, tầng 2"\nP.B.Q1,P.B,Quầy 1\n';
    expect(await importCounters(database.db, actor, textStream(moved))).toEqual({
      created: 0,
      updated: 1,
    });
    const unitCodes = new Map((await units.listUnits(database.db)).map((u) => [u.id, u.code]));
    const rows = (await counters.listCounters(database.db)).map((c) => [
      c.code,
      unitCodes.get(c.unit_id),
      c.name,
    ]);
    expect(rows).toEqual([
      ['P.A.Q1', 'P.B', 'Quầy 1, tầng 2'],
      ['P.B.Q1', 'P.B', 'Quầy 1'],
    ]);
    const bad = 'counter,unit,name\nP.C.Q1,P.NOPE,Quầy\nP.C.Q2,P.B,\n';
    expect(await problemsOf(importCounters(database.db, actor, textStream(bad)))).toEqual([
      'line 2, column unit: unknown unit P.NOPE',
      'line 3, column name: required',
    ]);
    // A small file with broken quoting is reported at the break, before any other check.
    const broken = 'counter,unit,name\nP.C.Q1,P.NOPE,Quầy\nP.C.Q2,P.B,"Quầy\n';
    expect(await problemsOf(importCounters(database.db, actor, textStream(broken)))).toEqual([
      'line 3, column name: a quoted value is never closed',
    ]);
    expect(await counters.listCounters(database.db)).toHaveLength(2);
    const audit = await database.db
      .selectFrom('audit_log')
      .select(['action', 'subject', 'detail'])
      .orderBy('id')
      .execute();
    // Each unit and counter an import corrected has its own entry, before and after.
    const unit = (name: string, parent: string) => ({ name, parent, type: 'other' });
    expect(audit).toEqual([
      { action: 'units.import', subject: 'units', detail: { created: 4, updated: 0 } },
      { action: 'units.import', subject: 'units', detail: { created: 0, updated: 0 } },
      { action: 'units.import', subject: 'units', detail: { created: 2, updated: 2 } },
      {
        action: 'unit.correct',
        subject: 'P.A.X',
        detail: { before: unit('Xã X', 'P.A'), after: unit('Xã X', 'P.B') },
      },
      {
        action: 'unit.correct',
        subject: 'P.A',
        detail: { before: unit('Sở A', 'P'), after: unit('Sở A mới', 'P') },
      },
      { action: 'counters.import', subject: 'counters', detail: { created: 2, updated: 0 } },
      { action: 'counters.import', subject: 'counters', detail: { created: 0, updated: 1 } },
      {
        action: 'counter.correct',
        subject: 'P.A.Q1',
        detail: {
          before: { name: 'Quầy 1', unit: 'P.A' },
          after: { name: 'Quầy 1, tầng 2', unit: 'P.B' },
        },
      },
    ]);
  });

  it('reads type and valid_from, and refuses to correct a unit that has ended', async () => {
    const file =
      'unit,name,parent,type,valid_from\nT,Tỉnh T,,province,\nT.N,Xã mới,T,commune,2025-07-01\n';
    expect(await importUnits(database.db, actor, textStream(file))).toEqual({
      created: 2,
      updated: 0,
    });
    const n = await units.findUnitByCode(database.db, 'T.N');
    expect(n).toMatchObject({ type: 'commune', valid_from: '2025-07-01', valid_to: null });
    const link = await database.db
      .selectFrom('unit_parent')
      .select(['valid_from', 'valid_to'])
      .where('unit_id', '=', n?.id ?? 0)
      .execute();
    expect(link).toEqual([{ valid_from: '2025-07-01', valid_to: null }]);
    // Again with the same day: nothing to do; another day, or a bad type, is refused.
    expect(await importUnits(database.db, actor, textStream(file))).toEqual({
      created: 0,
      updated: 0,
    });
    const other = 'unit,name,parent,type,valid_from\nT.N,Xã mới,T,Commune,2025-07-02\n';
    expect(await problemsOf(importUnits(database.db, actor, textStream(other)))).toEqual([
      'line 2, column type: a lower-case type such as province, department, commune',
      'line 2, column valid_from: unit T.N exists, valid from 2025-07-01: its first day is not corrected',
    ]);

    // A counter's membership starts on valid_from, in a unit valid that day.
    const counter = 'counter,unit,name,valid_from\nT.N.Q1,T.N,Quầy,2025-07-01\n';
    expect(await importCounters(database.db, actor, textStream(counter))).toEqual({
      created: 1,
      updated: 0,
    });
    const early = 'counter,unit,name,valid_from\nT.N.Q2,T.N,Quầy,2025-06-30\n';
    expect(await problemsOf(importCounters(database.db, actor, textStream(early)))).toEqual([
      'line 2, column unit: unit T.N is not valid on 2025-06-30 (from 2025-07-01 to before …)',
    ]);

    // T.N ends (as a reorganisation ends it): it is no longer on today's map.
    await database.db
      .updateTable('unit')
      .set({ valid_to: '2025-08-01' })
      .where('code', '=', 'T.N')
      .execute();
    const renamed = 'unit,name,parent\nT.N,Xã khác,T\nT.M,Xã M,T.N\n';
    const ended =
      "unit T.N ended on 2025-08-01: it is not on today's map, so it cannot be corrected";
    expect(await problemsOf(importUnits(database.db, actor, textStream(renamed)))).toEqual([
      `line 2, column unit: ${ended}`,
      `line 3, column parent: ${ended}`,
    ]);
    const moved = 'counter,unit,name\nT.N.Q9,T.N,Quầy\n';
    expect(await problemsOf(importCounters(database.db, actor, textStream(moved)))).toEqual([
      expect.stringMatching(/^line 2, column unit: unit T.N is not valid on \d{4}-\d\d-\d\d/),
    ]);
    const error: unknown = await updateUnit(database.db, actor, 'T.N', { name: 'Xã khác' }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ errors: [{ path: 'unit', message: { en: ended } }] });
  });
});
