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

/** Locks the instrument's row (if any) until the transaction ends. */
export async function lockOfficialInstrumentByCode(db: Db, code: string) {
  return db
    .selectFrom('official_instrument')
    .select(['id', 'definition'])
    .where('code', '=', code)
    .forUpdate()
    .executeTakeFirst();
}

/** Whether a survey puts the instrument to officials. */
export async function officialInstrumentInUse(db: Db, id: number): Promise<boolean> {
  const row = await db
    .selectFrom('official_survey')
    .select('id')
    .where('instrument_id', '=', id)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertOfficialInstrument(db: Db, code: string, definition: unknown) {
  await db
    .insertInto('official_instrument')
    .values({ code, definition: JSON.stringify(definition) })
    .execute();
}

export async function replaceOfficialInstrument(db: Db, id: number, definition: unknown) {
  await db
    .updateTable('official_instrument')
    .set({ definition: JSON.stringify(definition) })
    .where('id', '=', id)
    .execute();
}
