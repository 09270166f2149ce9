// Peer groups (docs/organisation.md): a named set of units for a period, independent of the
// hierarchy, and the units a period's map holds, which a group's members must be.
import { sql } from 'kysely';
import { validOn, type Day } from './links.ts';
import type { Db } from './kysely.ts';

/** validOn as a condition of a query builder. */
const valid = (alias: string, on: Day) => sql<boolean>`${validOn(alias, on)}`;

/** The units of these codes valid on `on`: a code names at most one unit on a day. */
export async function findUnitsByCodesOn(db: Db, codes: readonly string[], on: Day) {
  if (codes.length === 0) return [];
  return db
    .selectFrom('unit as u')
    .select(['u.id', 'u.code'])
    .where('u.code', 'in', codes)
    .where(valid('u', on))
    .orderBy('u.code')
    .execute();
}

/** The children of a unit on `on`: units valid that day under a parent link valid that day. */
export async function findChildrenOn(db: Db, parentId: number, on: Day) {
  return db
    .selectFrom('unit_parent as l')
    .innerJoin('unit as u', 'u.id', 'l.unit_id')
    .select(['u.id', 'u.code'])
    .where('l.parent_id', '=', parentId)
    .where(valid('l', on))
    .where(valid('u', on))
    .execute();
}

export async function findGroup(db: Db, name: string, period: string) {
  return db
    .selectFrom('peer_group')
    .select(['id', 'name', 'period', 'created_at'])
    .where('name', '=', name)
    .where('period', '=', period)
    .executeTakeFirst();
}

/** Every group (of one period, if given) with its count of units, by period then name. */
export async function listGroups(db: Db, period?: string) {
  let query = db
    .selectFrom('peer_group as g')
    .leftJoin('peer_group_unit as m', 'm.peer_group_id', 'g.id')
    .select(({ fn }) => ['g.name', 'g.period', fn.count<number>('m.unit_id').as('units')])
    .groupBy(['g.id', 'g.name', 'g.period'])
    .orderBy('g.period')
    .orderBy('g.name');
  if (period !== undefined) query = query.where('g.period', '=', period);
  return query.execute();
}

/** A group's units with their codes and names, by code. */
export async function findMembers(db: Db, groupId: number) {
  return db
    .selectFrom('peer_group_unit as m')
    .innerJoin('unit as u', 'u.id', 'm.unit_id')
    .select(['u.id', 'u.code', 'u.name'])
    .where('m.peer_group_id', '=', groupId)
    .orderBy('u.code')
    .execute();
}

/** Creates the group, or empties the one of that name and period; then gives it these units. */
export async function replaceGroup(
  db: Db,
  group: { name: string; period: string },
  unitIds: readonly number[],
): Promise<number> {
  // An upsert that returns the id either way, so that two imports of a new group cannot clash.
  const { id } = await db
    .insertInto('peer_group')
    .values({ name: group.name, period: group.period })
    .onConflict((oc) => oc.columns(['name', 'period']).doUpdateSet({ name: group.name }))
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.deleteFrom('peer_group_unit').where('peer_group_id', '=', id).execute();
  if (unitIds.length > 0) {
    await db
      .insertInto('peer_group_unit')
      .values(unitIds.map((unitId) => ({ peer_group_id: id, unit_id: unitId })))
      .execute();
  }
  return id;
}
