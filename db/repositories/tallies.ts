import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../database.ts';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * The campaign's tally lock, until the transaction ends: folds of one campaign take turns.
 * `for no key update` leaves responses free to be inserted meanwhile (their foreign key takes
 * only `for key share` on the campaign).
 */
export async function lockCampaignTallies(trx: Transaction<Database>, campaignId: number) {
  await trx
    .selectFrom('campaign')
    .select('id')
    .where('id', '=', campaignId)
    .forNoKeyUpdate()
    .executeTakeFirstOrThrow();
}

/** Codes of the campaigns with valid responses not yet tallied (through the partial index). */
export async function campaignsWithUntallied(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('campaign as c')
    .select('c.code')
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('response as r')
          .select('r.id')
          .whereRef('r.campaign_id', '=', 'c.id')
          .where('r.status', '=', 'valid')
          .where('r.tallied', '=', false),
      ),
    )
    .orderBy('c.code')
    .execute();
  return rows.map((row) => row.code);
}
