import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, NewResponse } from '../database.ts';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * A scratch table for one import's response ids, dropped when its transaction ends: the ids
 * of a million-row file are checked for repeats in the database rather than held in memory.
 */
export async function createImportIdTable(trx: Transaction<Database>) {
  await sql`
    create temporary table import_source_id (source_id text primary key, line integer not null)
    on commit drop
  `.execute(trx);
}

/** Of the given ids, those already met earlier in the file, with the line where they were. */
export async function findImportIds(trx: Transaction<Database>, ids: string[]) {
  if (ids.length === 0) return new Map<string, number>();
  const { rows } = await sql<{ source_id: string; line: number }>`
    select source_id, line from import_source_id where source_id in (${sql.join(ids)})
  `.execute(trx);
  return new Map(rows.map((row) => [row.source_id, row.line]));
}

export async function insertImportIds(
  trx: Transaction<Database>,
  ids: { sourceId: string; line: number }[],
) {
  if (ids.length === 0) return;
  const values = ids.map((id) => sql`(${id.sourceId}, ${id.line})`);
  await sql`insert into import_source_id (source_id, line) values ${sql.join(values)}`.execute(trx);
}

/** Of the given ids, those stored in the campaign already. */
export async function findStoredSourceIds(db: Db, campaignId: number, ids: string[]) {
  if (ids.length === 0) return new Set<string>();
  const rows = await db
    .selectFrom('response')
    .select('source_id')
    .where('campaign_id', '=', campaignId)
    .where('source_id', 'in', ids)
    .execute();
  return new Set(rows.flatMap((row) => (row.source_id === null ? [] : [row.source_id])));
}

/** One multi-row statement. */
export async function insertResponses(db: Db, responses: NewResponse[]) {
  if (responses.length === 0) return;
  await db.insertInto('response').values(responses).execute();
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
