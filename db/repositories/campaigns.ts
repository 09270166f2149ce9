import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../database.ts';

type Db = Kysely<Database> | Transaction<Database>;

export async function findCampaignByCode(db: Db, code: string) {
  return db.selectFrom('campaign').selectAll().where('code', '=', code).executeTakeFirst();
}
