// The units that ended (unit.valid_to set) among some, with their successors by lineage: what an
// admin reviews of the accounts and tokens scoped to a unit that a reorganisation ended.
import { sql } from 'kysely';
import { validOn } from './links.ts';
import type { Db } from './kysely.ts';

/** For each ended unit among `unitIds`, its successors' codes (none when it ended without). */
export async function findEndedWithSuccessors(
  db: Db,
  unitIds: readonly number[],
): Promise<Map<number, string[]>> {
  if (unitIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('unit as u')
    .leftJoin('unit_lineage as l', 'l.predecessor_id', 'u.id')
    .leftJoin('unit as s', 's.id', 'l.successor_id')
    .select(['u.id', 's.code as successor'])
    .where('u.id', 'in', [...new Set(unitIds)])
    .where('u.valid_to', 'is not', null)
    .orderBy('s.code')
    .execute();
  const ended = new Map<number, string[]>();
  for (const row of rows) {
    const successors = ended.get(row.id) ?? [];
    if (row.successor !== null) successors.push(row.successor);
    ended.set(row.id, successors);
  }
  return ended;
}

/**
 * What an ended unit held on its last day (the day before `valid_to`), through the dated links:
 * the units of its subtree then and the counters that were their members; null for a unit in
 * force.
 */
export async function findHeldOnLastDay(
  db: Db,
  unitId: number,
): Promise<{ unitIds: number[]; counterIds: number[] } | null> {
  const unit = await db
    .selectFrom('unit')
    .select('valid_to')
    .where('id', '=', unitId)
    .executeTakeFirst();
  if (!unit?.valid_to) return null;
  const lastDay = new Date(Date.parse(`${unit.valid_to}T00:00:00Z`) - 86_400_000)
    .toISOString()
    .slice(0, 10);
  const { rows } = await sql<{ id: number }>`
    with recursive down (id) as (
      select ${unitId}::integer
      union
      select l.unit_id from unit_parent l join down on l.parent_id = down.id
      where ${validOn('l', lastDay)}
    )
    select id from down
  `.execute(db);
  const unitIds = rows.map((row) => row.id);
  const counters = await db
    .selectFrom('counter_unit as m')
    .select('m.counter_id')
    .distinct()
    .where('m.unit_id', 'in', unitIds)
    .where(sql<boolean>`${validOn('m', lastDay)}`)
    .execute();
  return { unitIds, counterIds: counters.map((row) => row.counter_id) };
}
