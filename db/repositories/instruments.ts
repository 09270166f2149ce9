import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../database.ts';

type Db = Kysely<Database> | Transaction<Database>;

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
