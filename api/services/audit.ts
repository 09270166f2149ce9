// The audit log viewer (issue 14): who did what, when, newest first, filtered by the unit the
// entry is about, the actor, the action and a period, a page at a time. An admin's alone: an
// entry's detail may name units outside any one subtree (a campaign's counters, say).
import type { Kysely } from 'kysely';
import * as z from 'zod';
import type { Database } from '../../db/database.ts';
import * as audit from '../../db/repositories/audit.ts';
import * as units from '../../db/repositories/units.ts';
import { DomainError, parseInput, text, unknown } from '../errors.ts';
import type { Principal } from './access.ts';
import { formatVietnamTime, isCalendarDate, parseInstant } from './vietnam-time.ts';

export const AUDIT_PAGE_MAX = 500;

const day = z
  .string()
  .refine(isCalendarDate, { error: (issue) => `${String(issue.input)} is not a date YYYY-MM-DD` });

export const auditQuerySchema = z.object({
  /** Entries about this unit and the units under it. */
  unit: z.string().min(1).max(100).optional(),
  /** `cli`, or `account:ID`. */
  actor: z.string().min(1).max(100).optional(),
  action: z.string().min(1).max(100).optional(),
  /** First and last day, inclusive, in Vietnam's time. */
  from: day.optional(),
  to: day.optional(),
  /** The `next` of the page before. */
  before: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  limit: z.coerce.number().int().min(1).max(AUDIT_PAGE_MAX).default(50),
});

export const auditEntrySchema = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.string(),
  /** The account's name, when the actor is an account. */
  actorName: z.string().nullable(),
  action: z.string(),
  subject: z.string(),
  detail: z.unknown(),
});

export const auditPageSchema = z.object({
  entries: z.array(auditEntrySchema),
  /** Pass as `before` for the next (older) page; null on the last. */
  next: z.string().nullable(),
});

export type AuditQuery = z.input<typeof auditQuerySchema>;
export type AuditPage = z.output<typeof auditPageSchema>;

function assertAdmin(principal: Principal) {
  if (principal.role !== 'admin') {
    throw new DomainError(
      'forbidden',
      text(
        `Vai trò ${principal.role} không được xem nhật ký thao tác.`,
        `Role ${principal.role} may not read the audit log.`,
      ),
    );
  }
}

/** Midnight in Vietnam at the start of the day, or of the day after it. */
const dayStart = (text: string, after = false) => {
  const start = parseInstant(text);
  if (!start) return null;
  return after ? new Date(start.getTime() + 86_400_000) : start;
};

export async function listAuditEntries(
  db: Kysely<Database>,
  principal: Principal,
  input: AuditQuery,
): Promise<AuditPage> {
  assertAdmin(principal);
  const query = parseInput(
    auditQuerySchema,
    input,
    text('Điều kiện tra cứu nhật ký không hợp lệ.', 'The audit query is not valid.'),
  );
  let unitIds: number[] | null = null;
  if (query.unit !== undefined) {
    const unit = await units.findUnitByCode(db, query.unit);
    if (!unit) throw unknown('unit', query.unit);
    unitIds = await units.findSubtreeUnitIds(db, unit.id);
  }
  const rows = await audit.listAudit(db, {
    unitIds,
    actor: query.actor ?? null,
    action: query.action ?? null,
    from: query.from === undefined ? null : dayStart(query.from),
    to: query.to === undefined ? null : dayStart(query.to, true),
    before: query.before ?? null,
    limit: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  return auditPageSchema.parse({
    entries: page.map((row) => ({
      id: String(row.id),
      at: formatVietnamTime(row.at),
      actor: row.actor,
      actorName: row.actor_name,
      action: row.action,
      subject: row.subject,
      detail: row.detail,
    })),
    next: rows.length > query.limit ? String(page.at(-1)?.id) : null,
  });
}

/** Every action in the log, for the viewer's filter. */
export async function listAuditActions(db: Kysely<Database>, principal: Principal) {
  assertAdmin(principal);
  return audit.listAuditActions(db);
}
