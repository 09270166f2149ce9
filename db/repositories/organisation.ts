import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../database.ts';

type Db = Kysely<Database> | Transaction<Database>;

export async function findUnitByCode(db: Db, code: string) {
  return db.selectFrom('unit').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function findCounterByCode(db: Db, code: string) {
  return db.selectFrom('counter').selectAll().where('code', '=', code).executeTakeFirst();
}
