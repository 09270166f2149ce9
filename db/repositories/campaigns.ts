import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../database.ts';

type Db = Kysely<Database> | Transaction<Database>;

export async function findCampaignByCode(db: Db, code: string) {
  return db.selectFrom('campaign').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function insertCampaign(
  db: Db,
  campaign: {
    code: string;
    name: string;
    instrumentId: number;
    startsOn: string;
    endsOn: string;
    rules: unknown;
  },
): Promise<number> {
  const { id } = await db
    .insertInto('campaign')
    .values({
      code: campaign.code,
      name: campaign.name,
      instrument_id: campaign.instrumentId,
      starts_on: campaign.startsOn,
      ends_on: campaign.endsOn,
      rules: JSON.stringify(campaign.rules),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function insertCampaignCounters(
  db: Db,
  campaignId: number,
  counters: { counterId: number; target: number | null }[],
) {
  if (counters.length === 0) return;
  await db
    .insertInto('campaign_counter')
    .values(
      counters.map((c) => ({
        campaign_id: campaignId,
        counter_id: c.counterId,
        target: c.target,
        transactions: null,
      })),
    )
    .execute();
}

/**
 * Locks the counters' rows until the transaction ends, so that two campaigns being created
 * on one counter are checked one after the other. `no key update` leaves survey submissions
 * (which only reference the counter) unblocked.
 */
export async function lockCounters(db: Db, counterIds: number[]) {
  if (counterIds.length === 0) return;
  await db
    .selectFrom('counter')
    .select('id')
    .where('id', 'in', counterIds)
    .orderBy('id')
    .forNoKeyUpdate()
    .execute();
}

/** Campaigns holding any of the counters whose period overlaps [startsOn, endsOn]. */
export async function findOverlappingCampaigns(
  db: Db,
  counterIds: number[],
  startsOn: string,
  endsOn: string,
) {
  if (counterIds.length === 0) return [];
  return db
    .selectFrom('campaign_counter as cc')
    .innerJoin('campaign as c', 'c.id', 'cc.campaign_id')
    .innerJoin('counter as k', 'k.id', 'cc.counter_id')
    .select(['k.code as counter', 'c.code as campaign', 'c.starts_on', 'c.ends_on'])
    .where('cc.counter_id', 'in', counterIds)
    .where('c.starts_on', '<=', endsOn)
    .where('c.ends_on', '>=', startsOn)
    .orderBy('k.code')
    .orderBy('c.code')
    .execute();
}

/** The campaign's counters with their codes, targets and transaction counts. */
export async function listCampaignCounters(db: Db, campaignId: number) {
  return db
    .selectFrom('campaign_counter as cc')
    .innerJoin('counter as k', 'k.id', 'cc.counter_id')
    .select(['k.id', 'k.code', 'k.unit_id', 'cc.target', 'cc.transactions'])
    .where('cc.campaign_id', '=', campaignId)
    .orderBy('k.code')
    .execute();
}

export async function setCampaignCounterTransactions(
  db: Db,
  campaignId: number,
  counterId: number,
  transactions: number,
) {
  await db
    .updateTable('campaign_counter')
    .set({ transactions })
    .where('campaign_id', '=', campaignId)
    .where('counter_id', '=', counterId)
    .execute();
}
