// The unit hierarchy as an API token's reach: a scoped account sees its unit's subtree.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../database.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** The unit's id and every ancestor's, from the unit up. */
export async function findUnitAncestors(db: Db, unitId: number): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`
    with recursive up (id, parent_id) as (
      select id, parent_id from unit where id = ${unitId}
      union all
      select u.id, u.parent_id from unit u join up on u.id = up.parent_id
    )
    select id from up
  `.execute(db);
  return rows.map((row) => row.id);
}

/** The unit's id and every descendant's. */
export async function findSubtreeUnitIds(db: Db, unitId: number): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`
    with recursive down (id) as (
      select id from unit where id = ${unitId}
      union all
      select u.id from unit u join down on u.parent_id = down.id
    )
    select id from down
  `.execute(db);
  return rows.map((row) => row.id);
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
