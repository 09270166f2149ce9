// Campaigns and the counters each surveys (campaign_counter: target, transactions).
import { sql } from 'kysely';
import type { Db } from './kysely.ts';

export async function findCampaignByCode(db: Db, code: string) {
  return db.selectFrom('campaign').selectAll().where('code', '=', code).executeTakeFirst();
}

/**
 * Campaigns with their instrument's code and counter count, ordered by first day (latest
 * first) then code. With `unitIds` (a scoped account's subtree), only the campaigns with a
 * counter in those units, and only those counters counted.
 */
export async function listCampaignsWithCounts(db: Db, unitIds: readonly number[] | null) {
  const counted = db
    .selectFrom('campaign_counter as cc')
    .innerJoin('counter as k', 'k.id', 'cc.counter_id')
    .select(['cc.campaign_id', (e) => e.fn.countAll<number>().as('n')])
    .$if(unitIds !== null, (q) => q.where('k.unit_id', '=', (e) => e.fn.any(e.val(unitIds ?? []))))
    .groupBy('cc.campaign_id')
    .as('n');
  return db
    .selectFrom('campaign as c')
    .innerJoin('instrument as i', 'i.id', 'c.instrument_id')
    .leftJoin(counted, 'n.campaign_id', 'c.id')
    .select([
      'c.id',
      'c.code',
      'c.name',
      'i.code as instrument',
      'c.starts_on',
      'c.ends_on',
      'n.n as counters',
    ])
    .$if(unitIds !== null, (q) => q.where('n.n', '>', 0))
    .orderBy('c.starts_on', 'desc')
    .orderBy('c.code')
    .execute();
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

export async function renameCampaign(db: Db, campaignId: number, name: string) {
  await db.updateTable('campaign').set({ name }).where('id', '=', campaignId).execute();
}

export async function setCampaignPeriod(
  db: Db,
  campaignId: number,
  period: { startsOn: string; endsOn: string },
) {
  await db
    .updateTable('campaign')
    .set({ starts_on: period.startsOn, ends_on: period.endsOn })
    .where('id', '=', campaignId)
    .execute();
}

export async function deleteCampaignCounter(db: Db, campaignId: number, counterId: number) {
  await db
    .deleteFrom('campaign_counter')
    .where('campaign_id', '=', campaignId)
    .where('counter_id', '=', counterId)
    .execute();
}

/**
 * The first day (Vietnam time, UTC+7 without daylight saving) of a stored response of any
 * status before `startsOn`, and the first after `endsOn`, or null.
 */
export async function responseDaysOutside(
  db: Db,
  campaignId: number,
  period: { startsOn: string; endsOn: string },
) {
  const day = sql<string>`((r.submitted_at at time zone 'UTC') + interval '7 hours')::date`;
  return db
    .selectFrom('response as r')
    .select([
      sql<string | null>`min(${day}) filter (where ${day} < ${period.startsOn}::date)`.as('before'),
      sql<string | null>`min(${day}) filter (where ${day} > ${period.endsOn}::date)`.as('after'),
    ])
    .where('r.campaign_id', '=', campaignId)
    .executeTakeFirstOrThrow();
}

/** A counter's stored responses of any status in the campaign. */
export async function countCounterResponses(db: Db, campaignId: number, counterId: number) {
  const row = await db
    .selectFrom('response')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('campaign_id', '=', campaignId)
    .where('counter_id', '=', counterId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function deleteCampaign(db: Db, campaignId: number) {
  await db.deleteFrom('campaign_counter').where('campaign_id', '=', campaignId).execute();
  await db.deleteFrom('campaign').where('id', '=', campaignId).execute();
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
    .select([
      'k.code as counter',
      'c.id as campaign_id',
      'c.code as campaign',
      'c.starts_on',
      'c.ends_on',
    ])
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

/** Counters of the campaign whose unit lies outside the subtree of `unitId`. */
export async function findCampaignCountersOutside(db: Db, campaignId: number, unitId: number) {
  return db
    .withRecursive('down(id)', (qb) =>
      qb
        .selectFrom('unit')
        .select('id')
        .where('id', '=', unitId)
        .unionAll((q) =>
          q.selectFrom('unit as u').innerJoin('down', 'down.id', 'u.parent_id').select('u.id'),
        ),
    )
    .selectFrom('campaign_counter as cc')
    .innerJoin('counter as k', 'k.id', 'cc.counter_id')
    .select('k.code')
    .where('cc.campaign_id', '=', campaignId)
    .where('k.unit_id', 'not in', (qb) => qb.selectFrom('down').select('id'))
    .orderBy('k.code')
    .execute();
}

async function updateCampaignCounter(
  db: Db,
  campaignId: number,
  counterId: number,
  values: { target: number | null } | { transactions: number },
) {
  await db
    .updateTable('campaign_counter')
    .set(values)
    .where('campaign_id', '=', campaignId)
    .where('counter_id', '=', counterId)
    .execute();
}

export async function setCampaignCounterTarget(
  db: Db,
  campaignId: number,
  counterId: number,
  target: number | null,
) {
  await updateCampaignCounter(db, campaignId, counterId, { target });
}

export async function setCampaignCounterTransactions(
  db: Db,
  campaignId: number,
  counterId: number,
  transactions: number,
) {
  await updateCampaignCounter(db, campaignId, counterId, { transactions });
}

/**
 * Per counter of the campaign (of `only`, by id, unless null): its unit on the campaign's last
 * day, target, transactions, and its valid and quarantined responses, counted in the database.
 */
export async function campaignProgressRows(
  db: Db,
  campaignId: number,
  only: readonly number[] | null,
) {
  return (
    db
      .selectFrom('campaign_counter as cc')
      .innerJoin('campaign as c', 'c.id', 'cc.campaign_id')
      .innerJoin('counter as k', 'k.id', 'cc.counter_id')
      .innerJoin('unit as u', 'u.id', 'k.unit_id')
      // Its unit on the campaign's map (its last day), as its scores roll up; today's otherwise.
      .leftJoin('counter_unit as m', (join) =>
        join
          .onRef('m.counter_id', '=', 'k.id')
          .on(sql<boolean>`(m.valid_from is null or m.valid_from <= c.ends_on)`)
          .on(sql<boolean>`(m.valid_to is null or m.valid_to > c.ends_on)`),
      )
      .leftJoin('unit as mu', 'mu.id', 'm.unit_id')
      .leftJoin('response as r', (join) =>
        join
          .onRef('r.campaign_id', '=', 'cc.campaign_id')
          .onRef('r.counter_id', '=', 'cc.counter_id'),
      )
      .select([
        'k.id',
        'k.code',
        'k.name',
        sql<string>`coalesce(mu.code, u.code)`.as('unit'),
        'cc.target',
        'cc.transactions',
        sql<number>`count(r.id) filter (where r.status = 'valid')`.as('respondents'),
        sql<number>`count(r.id) filter (where r.status = 'quarantined')`.as('quarantined'),
      ])
      .where('cc.campaign_id', '=', campaignId)
      .$if(only !== null, (q) => q.where('k.id', '=', (e) => e.fn.any(e.val(only ?? []))))
      .groupBy(['k.id', 'k.code', 'k.name', 'u.code', 'mu.code', 'cc.target', 'cc.transactions'])
      .orderBy('k.code')
      .execute()
  );
}
