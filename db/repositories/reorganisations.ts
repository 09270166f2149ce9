// Reorganisations (docs/organisation.md): the map a reorganisation on D is checked against,
// read from the dated tables, and what applying one writes besides the dated links
// (links.ts): units ending and starting, the lineage edges and the reorganisation itself.
import { sql } from 'kysely';
import type { Db } from './kysely.ts';
import { validOn, type Day } from './links.ts';

/**
 * The units valid on `day` that have no end yet (a unit already given an end, on or after
 * `day`, belongs to an earlier reorganisation), with their parent and counters on `day`.
 */
export async function openUnitsOn(db: Db, day: Day) {
  return db
    .selectFrom('unit as u')
    .leftJoin('unit_parent as up', (join) =>
      join.onRef('up.unit_id', '=', 'u.id').on(validOn('up', day)),
    )
    .leftJoin('unit as p', 'p.id', 'up.parent_id')
    .select(['u.id', 'u.code', 'u.name', 'u.type', 'p.code as parent_code'])
    .where(validOn('u', day))
    .where('u.valid_to', 'is', null)
    .orderBy('u.code')
    .execute();
}

/** The counters that are members of a unit on `day`, with the unit's id. */
export async function membershipsOn(db: Db, day: Day) {
  return db
    .selectFrom('counter_unit as cu')
    .innerJoin('counter as k', 'k.id', 'cu.counter_id')
    .select(['k.id', 'k.code', 'cu.unit_id'])
    .where(validOn('cu', day))
    .orderBy('k.code')
    .execute();
}

/** The codes of units that end on or before `day`. */
export async function codesEndingBy(db: Db, day: Day): Promise<string[]> {
  const rows = await db
    .selectFrom('unit')
    .select('code')
    .distinct()
    .where('valid_to', '<=', day)
    .execute();
  return rows.map((row) => row.code);
}

/** The codes of units valid on some day on or after `day`. */
export async function codesValidFrom(db: Db, day: Day): Promise<string[]> {
  const rows = await db
    .selectFrom('unit')
    .select('code')
    .distinct()
    .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>', day)]))
    .execute();
  return rows.map((row) => row.code);
}

/** The codes of the counters in a campaign whose period has a day on or after `day`. */
export async function countersOfCampaignsFrom(db: Db, day: Day): Promise<string[]> {
  const rows = await db
    .selectFrom('campaign_counter as cc')
    .innerJoin('campaign as c', 'c.id', 'cc.campaign_id')
    .innerJoin('counter as k', 'k.id', 'cc.counter_id')
    .select('k.code')
    .distinct()
    .where('c.ends_on', '>=', day)
    .execute();
  return rows.map((row) => row.code);
}

/** The campaigns open on or after `day` holding any of the counters, with those counters. */
export async function campaignsHoldingFrom(db: Db, day: Day, counterCodes: readonly string[]) {
  if (counterCodes.length === 0) return [];
  return db
    .selectFrom('campaign_counter as cc')
    .innerJoin('campaign as c', 'c.id', 'cc.campaign_id')
    .innerJoin('counter as k', 'k.id', 'cc.counter_id')
    .select(['c.code', 'c.name', 'k.code as counter'])
    .where('c.ends_on', '>=', day)
    .where('k.code', 'in', counterCodes)
    .orderBy('c.code')
    .orderBy('k.code')
    .execute();
}

/** The peer groups holding any of the units, with those units' codes. */
export async function peerGroupsHolding(db: Db, unitIds: readonly number[]) {
  if (unitIds.length === 0) return [];
  return db
    .selectFrom('peer_group_unit as gu')
    .innerJoin('peer_group as g', 'g.id', 'gu.peer_group_id')
    .innerJoin('unit as u', 'u.id', 'gu.unit_id')
    .select(['g.name', 'g.period', 'u.code as unit'])
    .where('gu.unit_id', 'in', unitIds)
    .orderBy('g.name')
    .orderBy('g.period')
    .orderBy('u.code')
    .execute();
}

/** The latest day a reorganisation took effect on; null before the first. */
export async function latestReorganisationDay(db: Db): Promise<Day | null> {
  const row = await db
    .selectFrom('reorganisation')
    .select(sql<string | null>`max(effective_on)`.as('on'))
    .executeTakeFirst();
  return row?.on ?? null;
}

/** Ends units at `on` (their links are ended through links.ts). */
export async function endUnits(db: Db, unitIds: readonly number[], on: Day) {
  if (unitIds.length === 0) return;
  await db.updateTable('unit').set({ valid_to: on }).where('id', 'in', unitIds).execute();
}

/** A unit that becomes a root on the latest map (its parent link was ended). */
export async function clearLatestParent(db: Db, unitId: number) {
  await db.updateTable('unit').set({ parent_id: null }).where('id', '=', unitId).execute();
}

export async function insertReorganisation(
  db: Db,
  row: { on: Day; appliedBy: string; plan: unknown },
): Promise<number> {
  const { id } = await db
    .insertInto('reorganisation')
    .values({ effective_on: row.on, applied_by: row.appliedBy, plan: JSON.stringify(row.plan) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function insertLineage(
  db: Db,
  reorganisationId: number,
  edges: readonly { predecessorId: number; successorId: number; share: number }[],
) {
  if (edges.length === 0) return;
  await db
    .insertInto('unit_lineage')
    .values(
      edges.map((edge) => ({
        reorganisation_id: reorganisationId,
        predecessor_id: edge.predecessorId,
        successor_id: edge.successorId,
        share: edge.share,
      })),
    )
    .execute();
}

/** Every reorganisation with its plan, the latest date first. */
export async function listReorganisations(db: Db) {
  return db
    .selectFrom('reorganisation')
    .select(['id', 'effective_on', 'applied_at', 'applied_by', 'plan'])
    .orderBy('effective_on', 'desc')
    .orderBy('id', 'desc')
    .execute();
}
