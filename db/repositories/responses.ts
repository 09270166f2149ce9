// Responses: imported in bulk, keyed in one at a time, or submitted online (keyed by the
// client's online id, after a look-up of the counter behind the QR token), and read back.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Copy } from '../copy.ts';
import type {
  Database,
  NewResponse,
  QuarantineReason,
  ResponseMode,
  ResponseStatus,
} from '../database.ts';
import { countWhere, type Db } from './kysely.ts';

/**
 * Tells the planner what a bulk import added: with autovacuum lagging or off, the statistics of
 * a table that grew by a large import still describe it as it was, and an export then crawled.
 */
export async function analyzeResponses(db: Kysely<Database>): Promise<void> {
  await sql`analyze response`.execute(db);
}

/**
 * A brief ANALYZE of the columns by which queries find a campaign's valid responses, for the
 * embedded engine, which runs no autovacuum: without it the planner, knowing nothing of them,
 * took a campaign's valid responses for a row, and read 72,000 through the wrong index and sorted
 * them to find a fold's first 2,000 (250-320 ms, the embedded engine's only connection held; the
 * ingestion bench, issue 19). Ten as the statistics target samples 3,000 rows: 10 ms at 70,000
 * responses, against 240 ms for a whole ANALYZE. Returns the rows the table now counts.
 */
export async function analyzeResponsesBriefly(db: Kysely<Database>): Promise<number> {
  return db.transaction().execute(async (trx) => {
    await sql`set local default_statistics_target = 10`.execute(trx);
    await sql`analyze response (campaign_id, status, counter_id)`.execute(trx);
    const { rows } = await sql<{ rows: number }>`
      select greatest(reltuples, 0)::float8 as rows from pg_class where oid = 'response'::regclass
    `.execute(trx);
    return rows[0]?.rows ?? 0;
  });
}

/**
 * A scratch table for one import's response ids and their lines, dropped when its transaction
 * ends: the ids of a million-row file are checked for repeats in the database rather than
 * held in memory.
 */
export async function createImportIdTable(trx: Transaction<Database>) {
  await sql`
    create temporary table import_source_id (source_id text not null, line integer not null)
    on commit drop
  `.execute(trx);
}

export interface ImportId {
  sourceId: string;
  line: number;
}

const rememberIds = (ids: ImportId[]) => sql`
  insert into import_source_id (source_id, line)
  select * from unnest(${ids.map((id) => id.sourceId)}::text[], ${ids.map((id) => id.line)}::int[])
`;

/** Notes the file's ids at their lines, for `findRepeatedImportIds`. */
export async function rememberImportIds(trx: Transaction<Database>, ids: ImportId[]) {
  if (ids.length > 0) await rememberIds(ids).execute(trx);
}

/** Each line whose id was met on an earlier line of the file, by line, with the first line. */
export async function findRepeatedImportIds(trx: Transaction<Database>, limit: number) {
  const repeats = sql`
    with repeated as (
      select source_id, min(line) as first from import_source_id
      group by source_id having count(*) > 1
    )
    select i.source_id, i.line, r.first
    from import_source_id i join repeated r using (source_id)
    where i.line > r.first
  `;
  const { rows: counted } = await sql<{ n: number }>`
    select count(*)::int as n from (${repeats}) as repeats
  `.execute(trx);
  const { rows } = await sql<{ source_id: string; line: number; first: number }>`
    ${repeats} order by i.line limit ${limit}
  `.execute(trx);
  return { count: counted[0]?.n ?? 0, lines: rows };
}

const arrayLiteral = (values: (number | null)[]) =>
  `{${values.map((v) => (v === null ? 'NULL' : String(v))).join(',')}}`;

/** One multi-row statement. */
export async function insertResponses(db: Db, responses: NewResponse[]) {
  if (responses.length === 0) return;
  await db.insertInto('response').values(responses).execute();
}

/** A valid row of an import: the columns that vary from row to row. */
export interface ImportedResponse {
  sourceId: string | null;
  counterId: number;
  mode: ResponseMode;
  submittedAt: Date;
  serviceArea: string | null;
  answers: (number | null)[];
  /** JSON text, or null. */
  texts: string | null;
}

const COPY_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
};
/** A text field in COPY's text format: null as \\N, the format's special characters escaped. */
const copyText = (value: string | null): string =>
  value === null ? '\\N' : value.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c] ?? c);

const isUniqueViolation = (error: unknown) =>
  error instanceof Error && 'code' in error && error.code === '23505';

/**
 * One batch of an import, valid rows of the campaign: its ids noted at their lines, and its
 * responses stored unless their response id is stored in the campaign already; returns how
 * many were stored and the response ids skipped, in order. With `copy` (PostgreSQL) the
 * batch is streamed in by COPY, and only if that meets a stored id is it inserted instead.
 */
export async function storeImportBatch(
  trx: Transaction<Database>,
  copy: Copy | undefined,
  campaign: { id: number; instrumentId: number },
  ids: ImportId[],
  responses: ImportedResponse[],
): Promise<{ inserted: number; skipped: string[] }> {
  if (copy) {
    await copy(
      'copy import_source_id (source_id, line) from stdin',
      ids.map((id) => `${copyText(id.sourceId)}\t${id.line}`),
    );
    await sql`savepoint import_batch`.execute(trx);
    try {
      await copy(
        'copy response (source_id, campaign_id, counter_id, instrument_id, mode, submitted_at, ' +
          'service_area, answers, texts, status) from stdin',
        responses.map((r) =>
          [
            copyText(r.sourceId),
            campaign.id,
            r.counterId,
            campaign.instrumentId,
            r.mode,
            r.submittedAt.toISOString(),
            copyText(r.serviceArea),
            arrayLiteral(r.answers),
            copyText(r.texts),
            'valid',
          ].join('\t'),
        ),
      );
      await sql`release savepoint import_batch`.execute(trx);
      return { inserted: responses.length, skipped: [] };
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      await sql`rollback to savepoint import_batch`.execute(trx);
    }
    return insertImportBatch(trx, campaign, [], responses);
  }
  return insertImportBatch(trx, campaign, ids, responses);
}

/** The batch in one statement, skipping the response ids stored in the campaign already. */
async function insertImportBatch(
  trx: Transaction<Database>,
  campaign: { id: number; instrumentId: number },
  ids: ImportId[],
  responses: ImportedResponse[],
): Promise<{ inserted: number; skipped: string[] }> {
  // Each column goes as one array parameter: the statement's text and planning stay the same
  // whatever the batch's size.
  const remembered = ids.length > 0 ? sql`remembered as (${rememberIds(ids)}),` : sql``;
  const column = <T>(pick: (response: ImportedResponse) => T) => responses.map(pick);
  const { rows } = await sql<{ source_id: string | null }>`
    with ${remembered} inserted as (
      insert into response (
        source_id, campaign_id, counter_id, instrument_id, mode, submitted_at, service_area,
        answers, texts, status
      )
      select source_id, ${campaign.id}, counter_id, ${campaign.instrumentId}, mode, submitted_at,
        service_area, answers::smallint[], texts::jsonb, 'valid'
      from unnest(
        ${column((r) => r.sourceId)}::text[],
        ${column((r) => r.counterId)}::int[],
        ${column((r) => r.mode)}::text[],
        ${column((r) => r.submittedAt.toISOString())}::timestamptz[],
        ${column((r) => r.serviceArea)}::text[],
        ${column((r) => arrayLiteral(r.answers))}::text[],
        ${column((r) => r.texts)}::text[]
      ) as r (source_id, counter_id, mode, submitted_at, service_area, answers, texts)
      on conflict (campaign_id, source_id) where status <> 'replaced' do nothing
      returning source_id
    )
    select source_id from inserted
  `.execute(trx);
  // Each id returned was inserted once: a second row with it in the batch was skipped.
  const inserted = new Set(rows.map((row) => row.source_id));
  const skipped = responses.flatMap((r) => {
    if (r.sourceId === null) return [];
    return inserted.delete(r.sourceId) ? [] : [r.sourceId];
  });
  return { inserted: rows.length, skipped };
}

/**
 * The campaign's responses in id order, each with its counter. `only`: the counters to keep, by
 * id (a scoped account's); null for every counter.
 */
const campaignResponses = (db: Db, campaignId: number, only: readonly number[] | null) =>
  db
    .selectFrom('response as r')
    .innerJoin('counter as k', 'k.id', 'r.counter_id')
    .where('r.campaign_id', '=', campaignId)
    .$if(only !== null, (q) => q.where('r.counter_id', '=', (e) => e.fn.any(e.val(only ?? []))))
    .orderBy('r.id');

/** One page of a campaign's responses in id order, after the given id (keyset paging). */
export async function responsesPage(
  db: Db,
  campaignId: number,
  page: {
    after: number | null;
    limit: number;
    statuses: ResponseStatus[];
    only: readonly number[] | null;
  },
) {
  let query = campaignResponses(db, campaignId, page.only)
    .select([
      'r.id',
      'r.source_id',
      'k.code as counter',
      'r.submitted_at',
      'r.mode',
      'r.service_area',
      'r.answers',
      'r.texts',
      'r.status',
      'r.reason',
      'r.void_reason',
    ])
    .where('r.status', 'in', page.statuses)
    .limit(page.limit);
  if (page.after !== null) query = query.where('r.id', '>', page.after);
  return query.execute();
}

/** Quarantined responses in id order; a page of them after the given id, if `page`. */
export async function listQuarantinedResponses(
  db: Db,
  campaignId: number,
  only: readonly number[] | null,
  page?: { after: number | null; limit: number },
) {
  return campaignResponses(db, campaignId, only)
    .$if(page !== undefined, (q) => q.limit(page?.limit ?? 0))
    .$if(page?.after != null, (q) => q.where('r.id', '>', page?.after ?? 0))
    .select([
      'r.id',
      'r.source_id',
      'r.online_id',
      'k.code as counter',
      'r.submitted_at',
      'r.received_at',
      'r.mode',
      'r.reason',
    ])
    .where('r.status', '=', 'quarantined')
    .execute();
}

/** Locks the responses until the transaction ends and returns their campaign and status. */
export async function lockResponses(db: Db, ids: number[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('response')
    .select(['id', 'campaign_id', 'status', 'reason'])
    .where('id', 'in', ids)
    .orderBy('id')
    .forNoKeyUpdate()
    .execute();
}

/** Quarantined responses become valid; the reason stays, for the audit trail. */
export async function releaseResponses(db: Db, ids: number[]) {
  if (ids.length === 0) return;
  await db
    .updateTable('response')
    .set({ status: 'valid', released_at: new Date() })
    .where('id', 'in', ids)
    .where('status', '=', 'quarantined')
    .execute();
}

export async function countCampaignResponses(db: Db, campaignId: number): Promise<number> {
  return countWhere(db, 'response', 'campaign_id', campaignId);
}

/** Stores one keyed-in response unless its source id is stored in the campaign: its id, or undefined. */
export async function insertEnteredResponse(db: Db, response: NewResponse) {
  const row = await db
    .insertInto('response')
    .values(response)
    .onConflict((oc) =>
      oc.columns(['campaign_id', 'source_id']).where('status', '<>', 'replaced').doNothing(),
    )
    .returning('id')
    .executeTakeFirst();
  return row === undefined ? undefined : String(row.id);
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
  // A function (db/migrations/2026_11_22_0900_submission_targets.sql), so that the server
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
  mode: Extract<ResponseMode, 'qr' | 'kiosk'>;
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
        mode: response.mode,
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

/**
 * A campaign's responses of every status with the given ids or form number, in id order, each
 * with its counter and the id of its corrected copy, if any.
 */
export async function findResponses(
  db: Db,
  campaignId: number,
  which: { ids: number[] } | { sourceId: string },
  only: readonly number[] | null = null,
) {
  let query = campaignResponses(db, campaignId, only)
    .leftJoin('response as copy', 'copy.replaces', 'r.id')
    .select([
      'r.id',
      'r.source_id',
      'r.online_id',
      'k.code as counter',
      'r.counter_id',
      'r.submitted_at',
      'r.mode',
      'r.service_area',
      'r.answers',
      'r.texts',
      'r.status',
      'r.reason',
      'r.voided_at',
      'r.void_reason',
      'r.replaces',
      'copy.id as replaced_by',
    ]);
  if ('ids' in which) {
    if (which.ids.length === 0) return [];
    query = query.where('r.id', 'in', which.ids);
  } else query = query.where('r.source_id', '=', which.sourceId);
  return query.execute();
}

/** Locks the response until the transaction ends (its status is about to change). */
export async function lockResponse(db: Db, id: number) {
  return db
    .selectFrom('response')
    .select(['id', 'campaign_id', 'status'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/**
 * Takes a response out of the scores for good: `voided`, or `replaced` by a corrected copy.
 * Changing a valid response's status drops its campaign's tallies for a fold from scratch
 * (db/migrations/2026_11_22_1000_fold_by_snapshot.ts, response_tally_reset), unless the
 * transaction took it out of them first (api/services/tallies.ts, withdrawFromTallies).
 */
export async function voidResponse(
  db: Db,
  id: number,
  change: { status: 'voided' | 'replaced'; reason: string },
) {
  await db
    .updateTable('response')
    .set({ status: change.status, voided_at: new Date(), void_reason: change.reason })
    .where('id', '=', id)
    .execute();
}

/** Stores a corrected copy: its id. */
export async function insertReplacement(db: Db, response: NewResponse): Promise<number> {
  const { id } = await db
    .insertInto('response')
    .values(response)
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** A campaign's valid responses, whole: what the tests score without tallies to check them. */
export async function listValidAnswers(db: Db, campaignId: number) {
  return db
    .selectFrom('response')
    .select(['counter_id', 'mode', 'answers'])
    .where('campaign_id', '=', campaignId)
    .where('status', '=', 'valid')
    .execute();
}
