import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../database.ts';

type Db = Kysely<Database> | Transaction<Database>;

export async function findUnitByCode(db: Db, code: string) {
  return db.selectFrom('unit').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function findCounterByCode(db: Db, code: string) {
  return db.selectFrom('counter').selectAll().where('code', '=', code).executeTakeFirst();
}

/**
 * Serializes organisation imports (until the transaction ends), so that two cannot build a
 * cycle between them or insert one code twice; reads and survey submissions go on.
 */
export async function lockOrganisation(db: Db) {
  await sql`lock table unit, counter in share row exclusive mode`.execute(db);
}

export async function listUnits(db: Db) {
  return db.selectFrom('unit').select(['id', 'code', 'name', 'parent_id']).orderBy('id').execute();
}

export async function insertUnit(db: Db, unit: { code: string; name: string }): Promise<number> {
  const { id } = await db
    .insertInto('unit')
    .values({ code: unit.code, name: unit.name, parent_id: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function updateUnit(
  db: Db,
  id: number,
  unit: { name: string; parentId: number | null },
) {
  await db
    .updateTable('unit')
    .set({ name: unit.name, parent_id: unit.parentId })
    .where('id', '=', id)
    .execute();
}

export async function listCounters(db: Db) {
  return db
    .selectFrom('counter')
    .select(['id', 'code', 'name', 'unit_id'])
    .orderBy('code')
    .execute();
}

export async function insertCounter(
  db: Db,
  counter: { code: string; name: string; unitId: number },
) {
  await db
    .insertInto('counter')
    .values({ code: counter.code, name: counter.name, unit_id: counter.unitId })
    .execute();
}

export async function updateCounter(db: Db, id: number, counter: { name: string; unitId: number }) {
  await db
    .updateTable('counter')
    .set({ name: counter.name, unit_id: counter.unitId })
    .where('id', '=', id)
    .execute();
}
