// Test support: a reorganisation on D of the units P ─ A, B, C, D, E (their counters A.1, A.2,
// B.1, C.1, C.2, D.1, E.1) and Q ─ F, written with the dated links of db/repositories/links.ts
// as applying a plan writes them: A and B merge into AB, C splits into C1 (C.1) and C2 (C.2), D
// is re-coded DD, E is transferred from P to Q.
import type { Db } from './database.ts';
import * as counters from './repositories/counters.ts';
import * as links from './repositories/links.ts';
import * as units from './repositories/units.ts';

/** The day of the reorganisation. */
export const D = '2025-07-01';

function found<T>(row: T | undefined, code: string): T {
  if (row === undefined) throw new Error(`no ${code}`);
  return row;
}

/** The reorganisation of D, written link by link. */
export async function reorganise(db: Db) {
  const unitId = async (code: string) => found(await units.findUnitByCode(db, code), code).id;
  const counterId = async (code: string) =>
    found(await counters.findCounterByCode(db, code), code).id;
  const end = async (code: string) => {
    const id = await unitId(code);
    await links.endParent(db, id, D);
    await db.updateTable('unit').set({ valid_to: D }).where('id', '=', id).execute();
    return id;
  };
  const create = async (code: string, parent: string) => {
    const id = await units.insertUnit(db, { code, name: code, type: 'district', validFrom: D });
    await links.startParent(db, id, await unitId(parent), D);
    return id;
  };
  const move = async (counter: string, unit: number) => {
    const id = await counterId(counter);
    await links.endMembership(db, id, D);
    await links.startMembership(db, id, unit, D);
  };
  const { id: reorganisation } = await db
    .insertInto('reorganisation')
    .values({ effective_on: D, applied_by: 'test', plan: '{}' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const lineage = (predecessor: number, successor: number, share: number) =>
    db
      .insertInto('unit_lineage')
      .values({
        reorganisation_id: reorganisation,
        predecessor_id: predecessor,
        successor_id: successor,
        share,
      })
      .execute();

  const [a, b, c, d] = [await end('A'), await end('B'), await end('C'), await end('D')];
  const ab = await create('AB', 'P');
  const [c1, c2] = [await create('C1', 'P'), await create('C2', 'P')];
  const dd = await create('DD', 'P');
  for (const counter of ['A.1', 'A.2', 'B.1']) await move(counter, ab);
  await move('C.1', c1);
  await move('C.2', c2);
  await move('D.1', dd);
  await lineage(a, ab, 1);
  await lineage(b, ab, 1);
  await lineage(c, c1, 0.6);
  await lineage(c, c2, 0.4);
  await lineage(d, dd, 1);
  // The transfer: E's parent link ends at D and another starts, no lineage edge.
  const e = await unitId('E');
  await links.endParent(db, e, D);
  await links.startParent(db, e, await unitId('Q'), D);
}
