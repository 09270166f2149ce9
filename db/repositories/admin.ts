// One unit, counter or campaign at a time, as the admin API edits them (the CSV imports are in
// organisation.ts and campaigns.ts): what refers to each, deletions, listings with codes.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, NewResponse } from '../database.ts';

type Db = Kysely<Database> | Transaction<Database>;

const count = (rows: { n: number | string | bigint }[]) => Number(rows[0]?.n ?? 0);

/** Units with their parent's code, ordered by code. */
export async function listUnitsWithParents(db: Db) {
  return db
    .selectFrom('unit as u')
    .leftJoin('unit as p', 'p.id', 'u.parent_id')
    .select(['u.id', 'u.code', 'u.name', 'p.code as parent'])
    .orderBy('u.code')
    .execute();
}

/** Counters with their unit's code and whether their QR code works, ordered by code. */
export async function listCountersWithUnits(db: Db) {
  return db
    .selectFrom('counter as k')
    .innerJoin('unit as u', 'u.id', 'k.unit_id')
    .select((eb) => [
      'k.id',
      'k.code',
      'k.name',
      'k.unit_id',
      'u.code as unit',
      eb
        .exists(
          eb
            .selectFrom('counter_token as t')
            .select('t.id')
            .whereRef('t.counter_id', '=', 'k.id')
            .where('t.revoked_at', 'is', null),
        )
        .as('has_token'),
    ])
    .orderBy('k.code')
    .execute();
}

/** What refers to a unit: child units, counters, accounts and PAR points. */
export async function unitReferences(db: Db, unitId: number) {
  const [children, counters, accounts, points] = await Promise.all([
    db
      .selectFrom('unit')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('parent_id', '=', unitId)
      .execute(),
    db
      .selectFrom('counter')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('unit_id', '=', unitId)
      .execute(),
    db
      .selectFrom('account')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('unit_id', '=', unitId)
      .execute(),
    db
      .selectFrom('par_points')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('unit_id', '=', unitId)
      .execute(),
  ]);
  return {
    children: count(children),
    counters: count(counters),
    accounts: count(accounts),
    points: count(points),
  };
}

export async function deleteUnit(db: Db, unitId: number) {
  await db.deleteFrom('unit').where('id', '=', unitId).execute();
}

/** What refers to a counter: campaigns and responses (its survey tokens go with it). */
export async function counterReferences(db: Db, counterId: number) {
  const [campaigns, responses] = await Promise.all([
    db
      .selectFrom('campaign_counter')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('counter_id', '=', counterId)
      .execute(),
    db
      .selectFrom('response')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('counter_id', '=', counterId)
      .execute(),
  ]);
  return { campaigns: count(campaigns), responses: count(responses) };
}

export async function deleteCounter(db: Db, counterId: number) {
  await db.deleteFrom('counter_token').where('counter_id', '=', counterId).execute();
  await db.deleteFrom('counter').where('id', '=', counterId).execute();
}

/** Campaigns with their instrument's code and counter count, ordered by first day then code. */
export async function listCampaignsWithCounts(db: Db) {
  return db
    .selectFrom('campaign as c')
    .innerJoin('instrument as i', 'i.id', 'c.instrument_id')
    .select([
      'c.id',
      'c.code',
      'c.name',
      'i.code as instrument',
      'c.starts_on',
      'c.ends_on',
      (eb) =>
        eb
          .selectFrom('campaign_counter as cc')
          .select((e) => e.fn.countAll<number>().as('n'))
          .whereRef('cc.campaign_id', '=', 'c.id')
          .as('counters'),
    ])
    .orderBy('c.starts_on', 'desc')
    .orderBy('c.code')
    .execute();
}

/** For each campaign, the units of its counters. */
export async function listCampaignUnits(db: Db) {
  return db
    .selectFrom('campaign_counter as cc')
    .innerJoin('counter as k', 'k.id', 'cc.counter_id')
    .select(['cc.campaign_id', 'k.unit_id'])
    .distinct()
    .execute();
}

export async function renameCampaign(db: Db, campaignId: number, name: string) {
  await db.updateTable('campaign').set({ name }).where('id', '=', campaignId).execute();
}

export async function setCampaignCounterTarget(
  db: Db,
  campaignId: number,
  counterId: number,
  target: number | null,
) {
  await db
    .updateTable('campaign_counter')
    .set({ target })
    .where('campaign_id', '=', campaignId)
    .where('counter_id', '=', counterId)
    .execute();
}

export async function countCampaignResponses(db: Db, campaignId: number): Promise<number> {
  const rows = await db
    .selectFrom('response')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('campaign_id', '=', campaignId)
    .execute();
  return count(rows);
}

export async function deleteCampaign(db: Db, campaignId: number) {
  await db.deleteFrom('campaign_counter').where('campaign_id', '=', campaignId).execute();
  await db.deleteFrom('campaign').where('id', '=', campaignId).execute();
}

/**
 * Per counter of the campaign: its unit, target, transactions, and its valid and quarantined
 * responses, counted in the database.
 */
export async function campaignProgressRows(db: Db, campaignId: number) {
  return db
    .selectFrom('campaign_counter as cc')
    .innerJoin('counter as k', 'k.id', 'cc.counter_id')
    .innerJoin('unit as u', 'u.id', 'k.unit_id')
    .leftJoin('response as r', (join) =>
      join
        .onRef('r.campaign_id', '=', 'cc.campaign_id')
        .onRef('r.counter_id', '=', 'cc.counter_id'),
    )
    .select([
      'k.id',
      'k.code',
      'k.name',
      'u.code as unit',
      'cc.target',
      'cc.transactions',
      sql<number>`count(r.id) filter (where r.status = 'valid')`.as('respondents'),
      sql<number>`count(r.id) filter (where r.status = 'quarantined')`.as('quarantined'),
    ])
    .where('cc.campaign_id', '=', campaignId)
    .groupBy(['k.id', 'k.code', 'k.name', 'u.code', 'cc.target', 'cc.transactions'])
    .orderBy('k.code')
    .execute();
}

/** Stores one keyed-in response unless its source id is stored in the campaign: its id, or undefined. */
export async function insertEnteredResponse(db: Db, response: NewResponse) {
  const row = await db
    .insertInto('response')
    .values(response)
    .onConflict((oc) => oc.columns(['campaign_id', 'source_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row === undefined ? undefined : String(row.id);
}
