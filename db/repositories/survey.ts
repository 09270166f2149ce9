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

/** What a submission is looked up by: see `findSubmissionTargets`. */
export interface TargetKey {
  tokenHash: Buffer;
  onlineId: string | null;
  /** YYYY-MM-DD, the first and last days a campaign's period may meet. */
  from: string;
  to: string;
}

/**
 * In one round trip, what each submission needs before it is validated: whether its online id
 * is stored, the counter behind the token (revoked or not) with its unit, and the counter's
 * campaigns whose period meets [from, to] with their instruments' ids and codes; in the order
 * of the keys.
 */
export async function findSubmissionTargets(
  db: Db,
  keys: TargetKey[],
): Promise<SubmissionTarget[]> {
  // A function (db/migrations/2026_11_22_0900_submission_targets.ts), so that the server
  // plans its join once a session rather than once a call.
  const { rows } = await sql<TargetRow & { ordinal: number }>`
    select * from submission_targets(
      ${keys.map((k) => k.tokenHash)}::bytea[], ${keys.map((k) => k.onlineId)}::uuid[],
      ${keys.map((k) => k.from)}::date[], ${keys.map((k) => k.to)}::date[]
    )
  `.execute(db);
  const targets: SubmissionTarget[] = keys.map(() => ({
    stored: false,
    counter: null,
    campaigns: [],
  }));
  for (const row of rows) {
    const target = targets[row.ordinal - 1];
    if (!target) throw new Error(`submission_targets answered an unknown ordinal ${row.ordinal}`);
    target.stored = row.stored;
    if (row.counter_id !== null && target.counter === null) {
      target.counter = {
        id: row.counter_id,
        code: row.counter_code ?? '',
        name: row.counter_name ?? '',
        unit_code: row.unit_code ?? '',
        unit_name: row.unit_name ?? '',
        revoked_at: row.revoked_at,
      };
    }
    if (row.campaign_id !== null && row.instrument_id !== null) {
      target.campaigns.push({
        id: row.campaign_id,
        code: row.campaign_code ?? '',
        name: row.campaign_name ?? '',
        starts_on: row.starts_on ?? '',
        ends_on: row.ends_on ?? '',
        instrument_id: row.instrument_id,
        instrument_code: row.instrument_code ?? '',
      });
    }
  }
  return targets;
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
 * Stores each response unless one with its online id exists (a replay racing it, or an
 * earlier copy in the same array): true for each this call stored, in order. One statement,
 * so one transaction.
 */
export async function insertOnlineResponses(
  db: Db,
  responses: NewOnlineResponse[],
): Promise<boolean[]> {
  const first = new Map<string, number>();
  responses.forEach((r, i) => {
    if (!first.has(r.onlineId)) first.set(r.onlineId, i);
  });
  const distinct = responses.filter((r, i) => first.get(r.onlineId) === i);
  const inserted = await db
    .insertInto('response')
    .values(
      distinct.map((response) => ({
        online_id: response.onlineId,
        campaign_id: response.campaignId,
        counter_id: response.counterId,
        instrument_id: response.instrumentId,
        mode: 'qr' as const,
        submitted_at: response.submittedAt,
        received_at: response.receivedAt,
        answers: response.answers,
        texts: response.texts === null ? null : JSON.stringify(response.texts),
        status: response.status,
        reason: response.reason,
      })),
    )
    .onConflict((oc) => oc.column('online_id').doNothing())
    .returning('online_id')
    .execute();
  const stored = new Set(inserted.map((row) => row.online_id));
  return responses.map((r, i) => first.get(r.onlineId) === i && stored.has(r.onlineId));
}
