import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as counters from '../../db/repositories/counters.ts';
import * as units from '../../db/repositories/units.ts';
import { engines, openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import { DomainError } from '../errors.ts';
import { exampleActor as actor, textStream } from './examples.testing.ts';
import { importUnits } from './units.ts';
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
    const audit = await database.db.selectFrom('audit_log').select(['action', 'detail']).execute();
    expect(audit).toEqual([
      { action: 'units.import', detail: { created: 4, updated: 0 } },
      { action: 'units.import', detail: { created: 0, updated: 0 } },
      { action: 'units.import', detail: { created: 2, updated: 2 } },
      { action: 'counters.import', detail: { created: 2, updated: 0 } },
      { action: 'counters.import', detail: { created: 0, updated: 1 } },
    ]);
  });
});
