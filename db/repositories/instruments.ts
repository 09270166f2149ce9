import type { Db } from './kysely.ts';

export async function findInstrumentByCode(db: Db, code: string) {
  return db.selectFrom('instrument').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function findInstrumentById(db: Db, id: number) {
  return db.selectFrom('instrument').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/** Inserts the definition unless an instrument with its code exists. */
export async function insertInstrumentIfMissing(db: Db, code: string, definition: unknown) {
  await db
    .insertInto('instrument')
    .values({ code, definition: JSON.stringify(definition) })
    .onConflict((oc) => oc.column('code').doNothing())
    .execute();
}

/** Every instrument version, ordered by code. */
export async function listInstruments(db: Db) {
  return db.selectFrom('instrument').select(['id', 'code', 'definition']).orderBy('code').execute();
}

/** Locks the instrument's row (if any) until the transaction ends. */
export async function lockInstrumentByCode(db: Db, code: string) {
  return db
    .selectFrom('instrument')
    .select(['id', 'definition'])
    .where('code', '=', code)
    .forUpdate()
    .executeTakeFirst();
}

/** Whether any response, valid or quarantined, was given to the instrument. */
export async function instrumentHasResponses(db: Db, id: number): Promise<boolean> {
  const row = await db
    .selectFrom('response')
    .select('id')
    .where('instrument_id', '=', id)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertInstrument(db: Db, code: string, definition: unknown) {
  await db
    .insertInto('instrument')
    .values({ code, definition: JSON.stringify(definition) })
    .execute();
}

export async function replaceInstrumentDefinition(db: Db, id: number, definition: unknown) {
  await db
    .updateTable('instrument')
    .set({ definition: JSON.stringify(definition) })
    .where('id', '=', id)
    .execute();
}
