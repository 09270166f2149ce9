// What the public survey endpoints read and write: a counter behind a QR token, the campaigns
// around a day, and online responses keyed by the client's id.
import { sql, type Kysely, type Transaction } from 'kysely';
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

export interface SubmissionTarget {
  /** A response with the submission's online id is stored already. */
  stored: boolean;
  /** Null: no counter has the token. */
  counter: {
    id: number;
    code: string;
    name: string;
    unit_code: string;
    unit_name: string;
    revoked_at: Date | null;
  } | null;
  /** The counter's campaigns whose period meets [from, to], by start day. */
  campaigns: {
    id: number;
    code: string;
    name: string;
    starts_on: string;
    ends_on: string;
    instrument_id: number;
    instrument_code: string;
  }[];
}

interface TargetRow {
  stored: boolean;
  counter_id: number | null;
  counter_code: string | null;
  counter_name: string | null;
  unit_code: string | null;
  unit_name: string | null;
  revoked_at: Date | null;
  campaign_id: number | null;
  campaign_code: string | null;
  campaign_name: string | null;
  starts_on: string | null;
  ends_on: string | null;
  instrument_id: number | null;
  instrument_code: string | null;
}

/**
 * In one round trip, what a submission needs before it is validated: whether its online id
 * is stored, the counter behind the token (revoked or not) with its unit, and the counter's
 * campaigns whose period meets [from, to] (YYYY-MM-DD) with their instruments' ids and codes.
 */
export async function findSubmissionTarget(
  db: Db,
  tokenHash: Buffer,
  onlineId: string | null,
  from: string,
  to: string,
): Promise<SubmissionTarget> {
  // A function (db/migrations/2026_11_22_0700_submission_target.ts), so that the server
  // plans its join once a session rather than once a response.
  const { rows } = await sql<TargetRow>`
    select * from submission_target(${tokenHash}, ${onlineId}::uuid, ${from}::date, ${to}::date)
  `.execute(db);
  const first = rows[0];
  const counter =
    first !== undefined && first.counter_id !== null
      ? {
          id: first.counter_id,
          code: first.counter_code ?? '',
          name: first.counter_name ?? '',
          unit_code: first.unit_code ?? '',
          unit_name: first.unit_name ?? '',
          revoked_at: first.revoked_at,
        }
      : null;
  const campaigns = rows.flatMap((row) =>
    row.campaign_id === null || row.instrument_id === null
      ? []
      : [
          {
            id: row.campaign_id,
            code: row.campaign_code ?? '',
            name: row.campaign_name ?? '',
            starts_on: row.starts_on ?? '',
            ends_on: row.ends_on ?? '',
            instrument_id: row.instrument_id,
            instrument_code: row.instrument_code ?? '',
          },
        ],
  );
  return { stored: first?.stored === true, counter, campaigns };
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
      'r.instrument_id',
      'i.code as instrument_code',
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
