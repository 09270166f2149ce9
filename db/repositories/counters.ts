// The counters of the units, and what refers to each.
import { countWhere, type Db } from './kysely.ts';
import { correctMembership, startMembership, type Day } from './links.ts';

export async function findCounterByCode(db: Db, code: string) {
  return db.selectFrom('counter').selectAll().where('code', '=', code).executeTakeFirst();
}

/** The counter a survey token belongs to (revoked or not), with its unit. */
export async function findSurveyCounter(db: Db, tokenHash: Buffer) {
  return db
    .selectFrom('counter_token as t')
    .innerJoin('counter as k', 'k.id', 't.counter_id')
    .innerJoin('unit as u', 'u.id', 'k.unit_id')
    .select([
      'k.id',
      'k.code',
      'k.name',
      'u.code as unit_code',
      'u.name as unit_name',
      't.kind',
      't.revoked_at',
    ])
    .where('t.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

/** Every counter with its latest membership's first day (null: since always). */
export async function listCounters(db: Db) {
  return db
    .selectFrom('counter as k')
    .leftJoin('counter_unit as m', (join) =>
      join.onRef('m.counter_id', '=', 'k.id').on('m.valid_to', 'is', null),
    )
    .select(['k.id', 'k.code', 'k.name', 'k.unit_id', 'm.valid_from as member_from'])
    .orderBy('k.code')
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

/** A new counter, a member of its unit from `validFrom` (null: since always). */
export async function insertCounter(
  db: Db,
  counter: { code: string; name: string; unitId: number; validFrom?: Day | null },
) {
  const { id } = await db
    .insertInto('counter')
    .values({ code: counter.code, name: counter.name, unit_id: counter.unitId })
    .returning('id')
    .executeTakeFirstOrThrow();
  await startMembership(db, id, counter.unitId, counter.validFrom ?? null);
}

/** Corrects a counter's name or latest unit in place: the caller audits it. */
export async function updateCounter(db: Db, id: number, counter: { name: string; unitId: number }) {
  await db.updateTable('counter').set({ name: counter.name }).where('id', '=', id).execute();
  await correctMembership(db, id, counter.unitId);
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

/** What refers to a counter: campaigns and responses (its survey tokens go with it). */
export async function counterReferences(db: Db, counterId: number) {
  const [campaigns, responses] = await Promise.all([
    countWhere(db, 'campaign_counter', 'counter_id', counterId),
    countWhere(db, 'response', 'counter_id', counterId),
  ]);
  return { campaigns, responses };
}

export async function deleteCounter(db: Db, counterId: number) {
  await db.deleteFrom('counter_token').where('counter_id', '=', counterId).execute();
  await db.deleteFrom('counter_unit').where('counter_id', '=', counterId).execute();
  await db.deleteFrom('counter').where('id', '=', counterId).execute();
}
