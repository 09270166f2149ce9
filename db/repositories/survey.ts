// What the public survey endpoints read and write: a counter behind a QR token, the campaigns
// around a day, and online responses keyed by the client's id.
import type { Kysely, Transaction } from 'kysely';
import type { Database, QuarantineReason, ResponseStatus } from '../database.ts';

type Db = Kysely<Database> | Transaction<Database>;

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
      't.revoked_at',
    ])
    .where('t.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

/** The counter's campaigns whose period meets [from, to] (YYYY-MM-DD), with their instruments. */
export async function findCounterCampaigns(db: Db, counterId: number, from: string, to: string) {
  return db
    .selectFrom('campaign_counter as cc')
    .innerJoin('campaign as c', 'c.id', 'cc.campaign_id')
    .innerJoin('instrument as i', 'i.id', 'c.instrument_id')
    .select([
      'c.id',
      'c.code',
      'c.name',
      'c.starts_on',
      'c.ends_on',
      'c.instrument_id',
      'i.definition',
    ])
    .where('cc.counter_id', '=', counterId)
    .where('c.starts_on', '<=', to)
    .where('c.ends_on', '>=', from)
    .orderBy('c.starts_on')
    .execute();
}

export async function findOnlineResponse(db: Db, onlineId: string) {
  return db
    .selectFrom('response as r')
    .innerJoin('instrument as i', 'i.id', 'r.instrument_id')
    .select([
      'r.online_id',
      'r.counter_id',
      'r.answers',
      'r.texts',
      'r.status',
      'r.released_at',
      'i.definition',
    ])
    .where('r.online_id', '=', onlineId)
    .executeTakeFirst();
}

export interface NewOnlineResponse {
  onlineId: string;
  campaignId: number;
  counterId: number;
  instrumentId: number;
  submittedAt: Date;
  receivedAt: Date;
  answers: (number | null)[];
  texts: Record<string, string> | null;
  status: ResponseStatus;
  reason: QuarantineReason | null;
}

/**
 * Stores the response unless one with its online id exists (a replay racing this one):
 * true when this call stored it.
 */
export async function insertOnlineResponse(db: Db, response: NewOnlineResponse): Promise<boolean> {
  const inserted = await db
    .insertInto('response')
    .values({
      online_id: response.onlineId,
      campaign_id: response.campaignId,
      counter_id: response.counterId,
      instrument_id: response.instrumentId,
      mode: 'qr',
      submitted_at: response.submittedAt,
      received_at: response.receivedAt,
      answers: response.answers,
      texts: response.texts === null ? null : JSON.stringify(response.texts),
      status: response.status,
      reason: response.reason,
    })
    .onConflict((oc) => oc.column('online_id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}
