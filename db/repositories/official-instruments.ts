import type { Db } from './kysely.ts';

export async function findOfficialInstrumentByCode(db: Db, code: string) {
  return db
    .selectFrom('official_instrument')
    .selectAll()
    .where('code', '=', code)
    .executeTakeFirst();
}

export async function findOfficialInstrumentById(db: Db, id: number) {
  return db
    .selectFrom('official_instrument')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

/** Inserts the definition unless an instrument with its code exists. */
export async function insertOfficialInstrumentIfMissing(db: Db, code: string, definition: unknown) {
  await db
    .insertInto('official_instrument')
    .values({ code, definition: JSON.stringify(definition) })
    .onConflict((oc) => oc.column('code').doNothing())
    .execute();
}

/** Every officials' instrument, ordered by code. */
export async function listOfficialInstruments(db: Db) {
  return db
    .selectFrom('official_instrument')
    .select(['id', 'code', 'definition'])
    .orderBy('code')
    .execute();
}
