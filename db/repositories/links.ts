// The dated links of the organisation (docs/organisation.md): a unit's parent (unit_parent) and
// a counter's unit (counter_unit), each valid from a day (inclusive, null: since always) to a
// day (exclusive, null: still valid). unit.parent_id and counter.unit_id mirror the link with
// no end, and are written here only, in the same statements' transaction as their link.
import { sql } from 'kysely';
import type { Db } from './kysely.ts';

/** A day as YYYY-MM-DD. */
export type Day = string;

/** The SQL condition "valid on `on`" for a table alias with valid_from/valid_to. */
export const validOn = (alias: string, on: Day) =>
  sql<boolean>`(${sql.ref(`${alias}.valid_from`)} is null or ${sql.ref(`${alias}.valid_from`)} <= ${on}::date)
    and (${sql.ref(`${alias}.valid_to`)} is null or ${sql.ref(`${alias}.valid_to`)} > ${on}::date)`;

/**
 * Corrects a unit's latest parent in place (a mistake, not a change: the caller audits it):
 * the open link takes the new parent, or goes when there is none, or starts when there was none.
 */
export async function correctParent(db: Db, unitId: number, parentId: number | null) {
  const open = await db
    .selectFrom('unit_parent')
    .select(['id'])
    .where('unit_id', '=', unitId)
    .where('valid_to', 'is', null)
    .executeTakeFirst();
  if (open && parentId === null) {
    await db.deleteFrom('unit_parent').where('id', '=', open.id).execute();
  } else if (open && parentId !== null) {
    await db
      .updateTable('unit_parent')
      .set({ parent_id: parentId })
      .where('id', '=', open.id)
      .execute();
  } else if (parentId !== null) {
    const unit = await db
      .selectFrom('unit')
      .select(['valid_from'])
      .where('id', '=', unitId)
      .executeTakeFirstOrThrow();
    await db
      .insertInto('unit_parent')
      .values({ unit_id: unitId, parent_id: parentId, valid_from: unit.valid_from })
      .execute();
  }
  await db.updateTable('unit').set({ parent_id: parentId }).where('id', '=', unitId).execute();
}

/** Corrects a counter's latest unit in place (a mistake, not a move: the caller audits it). */
export async function correctMembership(db: Db, counterId: number, unitId: number) {
  await db
    .updateTable('counter_unit')
    .set({ unit_id: unitId })
    .where('counter_id', '=', counterId)
    .where('valid_to', 'is', null)
    .execute();
  await db.updateTable('counter').set({ unit_id: unitId }).where('id', '=', counterId).execute();
}

/**
 * Ends a unit's open parent link on `on` (a reorganisation's day). A link that started that
 * same day (an earlier reorganisation of the day) never held on any day: it goes.
 */
export async function endParent(db: Db, unitId: number, on: Day) {
  await db
    .deleteFrom('unit_parent')
    .where('unit_id', '=', unitId)
    .where('valid_to', 'is', null)
    .where('valid_from', '=', on)
    .execute();
  await db
    .updateTable('unit_parent')
    .set({ valid_to: on })
    .where('unit_id', '=', unitId)
    .where('valid_to', 'is', null)
    .execute();
}

/** Starts a unit's parent link on `on` (null: since always), which becomes its latest. */
export async function startParent(db: Db, unitId: number, parentId: number, on: Day | null) {
  await db
    .insertInto('unit_parent')
    .values({ unit_id: unitId, parent_id: parentId, valid_from: on })
    .execute();
  await db.updateTable('unit').set({ parent_id: parentId }).where('id', '=', unitId).execute();
}

/** Ends a counter's open membership on `on`; one that started that day goes, as in endParent. */
export async function endMembership(db: Db, counterId: number, on: Day) {
  await db
    .deleteFrom('counter_unit')
    .where('counter_id', '=', counterId)
    .where('valid_to', 'is', null)
    .where('valid_from', '=', on)
    .execute();
  await db
    .updateTable('counter_unit')
    .set({ valid_to: on })
    .where('counter_id', '=', counterId)
    .where('valid_to', 'is', null)
    .execute();
}

/** Starts a counter's membership of a unit on `on` (null: since always), its latest. */
export async function startMembership(db: Db, counterId: number, unitId: number, on: Day | null) {
  await db
    .insertInto('counter_unit')
    .values({ counter_id: counterId, unit_id: unitId, valid_from: on })
    .execute();
  await db.updateTable('counter').set({ unit_id: unitId }).where('id', '=', counterId).execute();
}
