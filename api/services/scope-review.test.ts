// Scopes across a reorganisation, on real engines: an account and a token scoped to a unit that
// ended are listed as needing review with the unit's successor; they keep what the unit held
// on its last day and do not reach the successor's other units and counters.
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as links from '../../db/repositories/links.ts';
import { engines, openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import { assertCounterInScope, operator, unitIdsInScope, type Principal } from './access.ts';
import { createAccount, listAccounts } from './accounts.ts';
import { importCounters } from './counters.ts';
import { createApiToken, listApiTokenEntries } from './credentials.ts';
import { importUnits } from './units.ts';

const admin = operator('test');
const file = (...lines: string[]) => Readable.from([lines.join('\n')]);
const D = '2025-07-01';

describe.each(engines)('scopes on an ended unit on %s', (engine) => {
  let database: TestDatabase;
  const idOf = async (code: string) =>
    (
      await database.db
        .selectFrom('unit')
        .select('id')
        .where('code', '=', code)
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow()
    ).id;
  const counterIdOf = async (code: string) =>
    (
      await database.db
        .selectFrom('counter')
        .select('id')
        .where('code', '=', code)
        .executeTakeFirstOrThrow()
    ).id;

  beforeAll(async () => {
    database = await openTestDatabase(engine);
    const { db } = database;
    await importUnits(
      db,
      admin,
      file('unit,name,parent', 'P,Tỉnh P,', 'P.A,Huyện A,P', 'P.A.X,Xã X,P.A', 'P.B,Huyện B,P'),
    );
    await importCounters(
      db,
      admin,
      file('counter,unit,name', 'P.A.Q1,P.A,Quầy A', 'P.B.Q1,P.B,Quầy B'),
    );
    await createAccount(db, admin, { login: 'an', name: 'An', role: 'analyst', unit: 'P.A' });
    await createApiToken(db, admin, { role: 'analyst', unit: 'P.A', name: 'script A' });
    await createAccount(db, admin, { login: 'binh', name: 'Bình', role: 'analyst', unit: 'P.B' });

    // On D, P.A and P.B merge whole into a new P.N under P: written as rows, as applying will.
    const [p, a, b, x] = [
      await idOf('P'),
      await idOf('P.A'),
      await idOf('P.B'),
      await idOf('P.A.X'),
    ];
    const { id: n } = await db
      .insertInto('unit')
      .values({ code: 'P.N', name: 'Huyện N', parent_id: null, valid_from: D })
      .returning('id')
      .executeTakeFirstOrThrow();
    await links.startParent(db, n, p, D);
    const { id: reorganisation } = await db
      .insertInto('reorganisation')
      .values({ effective_on: D, applied_by: 'test', plan: JSON.stringify({}) })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const predecessor of [a, b]) {
      await links.endParent(db, predecessor, D);
      await db.updateTable('unit').set({ valid_to: D }).where('id', '=', predecessor).execute();
      await db
        .insertInto('unit_lineage')
        .values({
          reorganisation_id: reorganisation,
          predecessor_id: predecessor,
          successor_id: n,
          share: 1,
        })
        .execute();
    }
    await links.endParent(db, x, D);
    await links.startParent(db, x, n, D);
    for (const counter of ['P.A.Q1', 'P.B.Q1']) {
      const id = await counterIdOf(counter);
      await links.endMembership(db, id, D);
      await links.startMembership(db, id, n, D);
    }
    await importCounters(db, admin, file('counter,unit,name', 'P.N.Q2,P.N,Quầy mới'));
  });
  afterAll(() => database.close());

  it('lists an account and a token scoped to an ended unit as needing review, with its successor', async () => {
    const accounts = await listAccounts(database.db, admin);
    expect(accounts.map((a) => [a.login, a.unit, a.scopeNeedsReview, a.scopeSuccessors])).toEqual([
      ['an', 'P.A', true, ['P.N']],
      ['binh', 'P.B', true, ['P.N']],
    ]);
    const tokens = await listApiTokenEntries(database.db);
    expect(tokens.map((t) => [t.name, t.unit, t.scopeNeedsReview, t.scopeSuccessors])).toEqual([
      ['script A', 'P.A', true, ['P.N']],
    ]);
  });

  it('keeps what the unit held on its last day, and does not reach the successor', async () => {
    const analyst: Principal = {
      ...admin,
      role: 'analyst',
      unitId: await idOf('P.A'),
      unitCode: 'P.A',
    };
    // P.A held P.A.X and the counter P.A.Q1 on 30 June 2025; both went to P.N on D.
    const reach = await unitIdsInScope(database.db, analyst);
    expect([...(reach ?? [])].sort()).toEqual([await idOf('P.A'), await idOf('P.A.X')].sort());
    expect(reach?.has(await idOf('P.N'))).toBe(false);
    await expect(assertCounterInScope(database.db, analyst, 'P.A.Q1')).resolves.toBeUndefined();
    // Neither P.B's counter (a fellow predecessor) nor P.N's own new counter.
    for (const counter of ['P.B.Q1', 'P.N.Q2']) {
      await expect(assertCounterInScope(database.db, analyst, counter)).rejects.toMatchObject({
        code: 'forbidden',
      });
    }
  });

  it('refuses a new scope on an ended unit, naming its successor', async () => {
    await expect(
      createAccount(database.db, admin, { login: 'chi', name: 'Chi', role: 'unit', unit: 'P.A' }),
    ).rejects.toMatchObject({
      code: 'invalid',
      errors: [{ path: 'unit', message: { en: `unit P.A ended on ${D}; its successors: P.N` } }],
    });
    await expect(
      createApiToken(database.db, admin, { role: 'analyst', unit: 'P.B' }),
    ).rejects.toMatchObject({ code: 'invalid', errors: [{ path: 'unit' }] });
  });
});
