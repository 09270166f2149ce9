// The references a unit or a counter holds are counted per referring table; a count of
// nothing is 0, not absent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, openTestDatabase, type TestDatabase } from '../testing.ts';
import * as counters from './counters.ts';
import * as units from './units.ts';

describe.each(engines)('references (%s)', (engine) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
  });
  afterAll(async () => {
    await database.close();
  });

  it('counts child units and counters of a unit, and nothing of a counter', async () => {
    const { db } = database;
    const root = await units.insertUnit(db, { code: 'ROOT', name: 'Root' });
    const child = await units.insertUnit(db, { code: 'CHILD', name: 'Child' });
    await units.updateUnit(db, child, { name: 'Child', parentId: root });
    await counters.insertCounter(db, { code: 'K1', name: 'One', unitId: root });
    await counters.insertCounter(db, { code: 'K2', name: 'Two', unitId: root });
    expect(await units.unitReferences(db, root)).toEqual({
      children: 1,
      counters: 2,
      lineage: 0,
      accounts: 0,
      points: 0,
      plans: 0,
    });
    const k1 = await counters.findCounterByCode(db, 'K1');
    expect(await counters.counterReferences(db, k1?.id ?? 0)).toEqual({
      campaigns: 0,
      responses: 0,
    });
  });
});
