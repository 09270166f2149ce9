// The units of the organisation: their tree (a scoped account reaches its unit's subtree),
// their codes, and what refers to each.
import { sql } from 'kysely';
import { countWhere, type Db } from './kysely.ts';
import { correctParent, validOn, type Day } from './links.ts';

/**
 * The unit a code names on the latest map; a code whose every unit has ended names the one
 * that ended last (a code names one unit at a time: docs/organisation.md).
 */
export async function findUnitByCode(db: Db, code: string) {
  return db
    .selectFrom('unit')
    .selectAll()
    .where('code', '=', code)
    .orderBy(sql`valid_to desc nulls first`)
    .limit(1)
    .executeTakeFirst();
}

/** findUnitByCode for several codes at once. */
export async function findUnitsByCodes(db: Db, codes: readonly string[]) {
  if (codes.length === 0) return [];
  return db
    .selectFrom('unit')
    .distinctOn('code')
    .select(['id', 'code', 'name'])
    .where('code', 'in', codes)
    .orderBy('code')
    .orderBy(sql`valid_to desc nulls first`)
    .execute();
}

/** Unit code → the unit's type (what a framework node's `applies_to` reads). */
export async function findUnitTypes(db: Db, ids: readonly number[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('unit')
    .select(['code', 'type'])
    .where('id', 'in', ids)
    .execute();
  return new Map(rows.map((row) => [row.code, row.type]));
}

/** Every unit, ended ones too, oldest first: a code's last is the one it names today. */
export async function listUnits(db: Db) {
  return db
    .selectFrom('unit')
    .select(['id', 'code', 'name', 'type', 'parent_id', 'valid_from', 'valid_to'])
    .orderBy('id')
    .execute();
}

/**
 * The units of a map with their parent's code, by code: the latest map (units that have not
 * ended), or the map of the day `on` (units valid that day under the parent of that day).
 */
export async function listUnitsWithParents(db: Db, on?: Day) {
  if (on === undefined) {
    return db
      .selectFrom('unit as u')
      .leftJoin('unit as p', 'p.id', 'u.parent_id')
      .select(['u.id', 'u.code', 'u.name', 'p.code as parent'])
      .where('u.valid_to', 'is', null)
      .orderBy('u.code')
      .execute();
  }
  return db
    .selectFrom('unit as u')
    .leftJoin(
      (eb) =>
        eb
          .selectFrom('unit_parent as l')
          .select(['l.unit_id', 'l.parent_id'])
          .where(sql<boolean>`${validOn('l', on)}`)
          .as('l'),
      (join) => join.onRef('l.unit_id', '=', 'u.id'),
    )
    .leftJoin('unit as p', 'p.id', 'l.parent_id')
    .select(['u.id', 'u.code', 'u.name', 'p.code as parent'])
    .where(sql<boolean>`${validOn('u', on)}`)
    .orderBy('u.code')
    .execute();
}

/** Whether the database holds any unit at all. */
export async function hasUnits(db: Db): Promise<boolean> {
  const row = await db.selectFrom('unit').select('id').limit(1).executeTakeFirst();
  return row !== undefined;
}

/**
 * Serializes organisation imports (until the transaction ends), so that two cannot build a
 * cycle between them or insert one code twice; reads and survey submissions go on.
 */
export async function lockOrganisation(db: Db) {
  await sql`lock table unit, counter in share row exclusive mode`.execute(db);
}

/** A new unit, without a parent (`updateUnit` gives one), valid from `validFrom` (null: always). */
export async function insertUnit(
  db: Db,
  unit: { code: string; name: string; type?: string; validFrom?: Day | null },
): Promise<number> {
  const { id } = await db
    .insertInto('unit')
    .values({
      code: unit.code,
      name: unit.name,
      parent_id: null,
      ...(unit.type === undefined ? {} : { type: unit.type }),
      valid_from: unit.validFrom ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** Corrects a unit's name, type or latest parent in place: the caller audits it. */
export async function updateUnit(
  db: Db,
  id: number,
  unit: { name: string; parentId: number | null; type?: string },
) {
  await db
    .updateTable('unit')
    .set({ name: unit.name, ...(unit.type === undefined ? {} : { type: unit.type }) })
    .where('id', '=', id)
    .execute();
  await correctParent(db, id, unit.parentId);
}

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

/**
 * What refers to a unit: child units and counters it holds or held (its dated links), lineage
 * edges, accounts and PAR points.
 */
export async function unitReferences(db: Db, unitId: number) {
  const distinct = async (table: 'unit_parent' | 'counter_unit', column: string, of: string) => {
    const { rows } = await sql<{ n: number }>`
      select count(distinct ${sql.ref(of)}) as n from ${sql.table(table)}
      where ${sql.ref(column)} = ${unitId}
    `.execute(db);
    return Number(rows[0]?.n ?? 0);
  };
  const [children, counters, lineage, accounts, points, plans] = await Promise.all([
    distinct('unit_parent', 'parent_id', 'unit_id'),
    distinct('counter_unit', 'unit_id', 'counter_id'),
    db
      .selectFrom('unit_lineage')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where((eb) => eb.or([eb('predecessor_id', '=', unitId), eb('successor_id', '=', unitId)]))
      .executeTakeFirstOrThrow()
      .then((row) => Number(row.n)),
    countWhere(db, 'account', 'unit_id', unitId),
    countWhere(db, 'par_points', 'unit_id', unitId),
    countWhere(db, 'plan', 'unit_id', unitId),
  ]);
  return { children, counters, lineage, accounts, points, plans };
}

export async function deleteUnit(db: Db, unitId: number) {
  await db.deleteFrom('unit_parent').where('unit_id', '=', unitId).execute();
  await db.deleteFrom('peer_group_unit').where('unit_id', '=', unitId).execute();
  await db.deleteFrom('unit').where('id', '=', unitId).execute();
}

/** The unit a code names on `on`, if any (a code names one unit on any day). */
export async function findUnitOn(db: Db, code: string, on: Day) {
  return db
    .selectFrom('unit as u')
    .selectAll('u')
    .where('u.code', '=', code)
    .where(sql<boolean>`${validOn('u', on)}`)
    .executeTakeFirst();
}

/** Every unit a code has named, the earliest first. */
export async function findUnitsNamedBy(db: Db, code: string) {
  return db
    .selectFrom('unit')
    .selectAll()
    .where('code', '=', code)
    .orderBy(sql`valid_from asc nulls first`)
    .orderBy('id')
    .execute();
}

/** The unit's parent links (those valid on `on`, if given) with their parents, the earliest first. */
export async function listParentLinks(db: Db, unitId: number, on?: Day) {
  return db
    .selectFrom('unit_parent as l')
    .innerJoin('unit as p', 'p.id', 'l.parent_id')
    .select(['p.code', 'p.name', 'l.valid_from', 'l.valid_to'])
    .where('l.unit_id', '=', unitId)
    .$if(on !== undefined, (q) => q.where(sql<boolean>`${validOn('l', on ?? '')}`))
    .orderBy(sql`l.valid_from asc nulls first`)
    .orderBy('l.id')
    .execute();
}

/** The unit's counter memberships (those valid on `on`, if given), by counter, then date. */
export async function listMemberships(db: Db, unitId: number, on?: Day) {
  return db
    .selectFrom('counter_unit as m')
    .innerJoin('counter as k', 'k.id', 'm.counter_id')
    .select(['k.code', 'k.name', 'm.valid_from', 'm.valid_to'])
    .where('m.unit_id', '=', unitId)
    .$if(on !== undefined, (q) => q.where(sql<boolean>`${validOn('m', on ?? '')}`))
    .orderBy('k.code')
    .orderBy(sql`m.valid_from asc nulls first`)
    .execute();
}

/**
 * The unit's lineage edges: `in`, those it succeeds (the other side its predecessor); `out`,
 * those it precedes (the other side its successor); with the reorganisation's day.
 */
export async function listLineage(db: Db, unitId: number, side: 'in' | 'out') {
  const [self, other] =
    side === 'in'
      ? (['l.successor_id', 'l.predecessor_id'] as const)
      : (['l.predecessor_id', 'l.successor_id'] as const);
  return db
    .selectFrom('unit_lineage as l')
    .innerJoin('reorganisation as r', 'r.id', 'l.reorganisation_id')
    .innerJoin('unit as o', 'o.id', other)
    .select(['o.code', 'o.name', 'l.share', 'r.effective_on'])
    .where(self, '=', unitId)
    .orderBy('r.effective_on')
    .orderBy('o.code')
    .execute();
}
