import { sql } from 'kysely';
import type { Db } from './kysely.ts';

export interface AuditEntry {
  /** `cli`, or `account:ID` for an API token's account. */
  actor: string;
  action: string;
  subject: string;
  detail?: unknown;
}

export async function recordAudit(db: Db, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      actor: entry.actor,
      action: entry.action,
      subject: entry.subject,
      detail: entry.detail === undefined ? null : JSON.stringify(entry.detail),
    })
    .execute();
}

export interface AuditFilter {
  /** Entries about these units (a subtree): see `aboutUnits`. */
  unitIds: readonly number[] | null;
  actor: string | null;
  action: string | null;
  /** Entries at or after `from` and before `to`. */
  from: Date | null;
  to: Date | null;
  /** Keyset paging: entries with a smaller id. */
  before: number | null;
  limit: number;
}

const RESPONSE_SUBJECT = '^response:[0-9]{1,15}$';
const ACCOUNT_SUBJECT = '^account:[0-9]{1,9}$';

/**
 * Whether an entry is about one of the units, read from its subject as the services write it:
 * `response:ID` (the response's counter), a counter code for `counter.*`, a unit code for
 * `unit.*`, `account:ID` (the unit the account is scoped to), a campaign code for
 * `campaign.*`, `transactions.*` and `responses.import` (any of the campaign's counters), and
 * `FRAMEWORK/PERIOD/UNIT` for `assessment.*` and `evidence.*`, and `plan:UNIT/FRAMEWORK/PERIOD`
 * for `plan.*` (codes hold no `/`).
 * Entries about anything else (instruments, PAR frameworks) and about what no longer exists (a
 * deleted campaign) belong to no unit. The CASEs keep a cast from text that is no number.
 */
function aboutUnits(unitIds: readonly number[]) {
  const ids = sql`${[...unitIds]}::int[]`;
  return sql<boolean>`(
    (a.subject ~ ${RESPONSE_SUBJECT} and exists (
      select 1 from response r join counter k on k.id = r.counter_id
      where r.id = (case when a.subject ~ ${RESPONSE_SUBJECT}
                         then substring(a.subject from 10)::bigint end)
        and k.unit_id = any(${ids})))
    or (a.action like 'counter.%' and exists (
      select 1 from counter k where k.code = a.subject and k.unit_id = any(${ids})))
    or (a.action like 'unit.%' and exists (
      select 1 from unit u where u.code = a.subject and u.id = any(${ids})))
    or (a.subject ~ ${ACCOUNT_SUBJECT} and exists (
      select 1 from account t
      where t.id = (case when a.subject ~ ${ACCOUNT_SUBJECT}
                         then substring(a.subject from 9)::int end)
        and t.unit_id = any(${ids})))
    or ((a.action like 'campaign.%' or a.action like 'transactions.%'
         or a.action = 'responses.import') and exists (
      select 1 from campaign c
      join campaign_counter cc on cc.campaign_id = c.id
      join counter k on k.id = cc.counter_id
      where c.code = a.subject and k.unit_id = any(${ids})))
    or ((a.action like 'assessment.%' or a.action like 'evidence.%') and exists (
      select 1 from unit u where u.code = split_part(a.subject, '/', 3) and u.id = any(${ids})))
    or (a.action like 'plan.%' and exists (
      select 1 from unit u
      where u.code = split_part(substring(a.subject from 6), '/', 1) and u.id = any(${ids})))
  )`;
}

/** Entries newest first, with the name of the account that acted (null for `cli` and the like). */
export async function listAudit(db: Db, filter: AuditFilter) {
  const { unitIds, actor, action, from, to, before } = filter;
  return db
    .selectFrom('audit_log as a')
    .leftJoin('account as t', (join) => join.on(sql<boolean>`a.actor = 'account:' || t.id::text`))
    .select([
      'a.id',
      'a.at',
      'a.actor',
      't.name as actor_name',
      'a.action',
      'a.subject',
      'a.detail',
    ])
    .$if(unitIds !== null, (q) => q.where(aboutUnits(unitIds ?? [])))
    .$if(actor !== null, (q) => q.where('a.actor', '=', actor ?? ''))
    .$if(action !== null, (q) => q.where('a.action', '=', action ?? ''))
    .$if(from !== null, (q) => q.where('a.at', '>=', from ?? new Date(0)))
    .$if(to !== null, (q) => q.where('a.at', '<', to ?? new Date(0)))
    .$if(before !== null, (q) => q.where('a.id', '<', before ?? 0))
    .orderBy('a.id', 'desc')
    .limit(filter.limit)
    .execute();
}

/** The actions in the log, for the viewer's choice. */
export async function listAuditActions(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('audit_log')
    .select('action')
    .distinct()
    .orderBy('action')
    .execute();
  return rows.map((row) => row.action);
}
