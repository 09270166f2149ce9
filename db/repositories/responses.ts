import { sql, type Kysely, type Transaction } from 'kysely';
import type { Copy } from '../copy.ts';
import type { Database, NewResponse, ResponseMode } from '../database.ts';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Tells the planner what a bulk import added: with autovacuum lagging or off, the statistics of
 * a table that grew by a large import still describe it as it was, and an export then crawled.
 */
export async function analyzeResponses(db: Kysely<Database>): Promise<void> {
  await sql`analyze response`.execute(db);
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
      on conflict (campaign_id, source_id) do nothing
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

/** One page of a campaign's responses in id order, after the given id (keyset paging). */
export async function responsesPage(
  db: Db,
  campaignId: number,
  page: { after: number | null; limit: number; includeQuarantined: boolean },
) {
  let query = db
    .selectFrom('response as r')
    .innerJoin('counter as k', 'k.id', 'r.counter_id')
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
    ])
    .where('r.campaign_id', '=', campaignId)
    .orderBy('r.id')
    .limit(page.limit);
  if (!page.includeQuarantined) query = query.where('r.status', '=', 'valid');
  if (page.after !== null) query = query.where('r.id', '>', page.after);
  return query.execute();
}

export async function listQuarantinedResponses(db: Db, campaignId: number) {
  return db
    .selectFrom('response as r')
    .innerJoin('counter as k', 'k.id', 'r.counter_id')
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
    .where('r.campaign_id', '=', campaignId)
    .where('r.status', '=', 'quarantined')
    .orderBy('r.id')
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
