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
