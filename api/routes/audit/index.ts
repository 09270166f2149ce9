// The audit log (issue 14): who did what, when; an admin's view.
import { z } from '@hono/zod-openapi';
import {
  auditPageSchema,
  listAuditActions,
  listAuditEntries,
  AUDIT_PAGE_MAX,
} from '../../services/audit.ts';
import { guarded, type AuthEnv } from '../auth.ts';
import { json, problems } from '../openapi.ts';
import { apiApp } from '../validation.ts';
import { CODE_MAX } from '../../../shared/rules.ts';

const tags = ['organisation'];

const day = (description: string) =>
  z.string().max(10).optional().openapi({ description, example: '2026-03-01' });

const auditQuery = z.strictObject({
  unit: z
    .string()
    .max(CODE_MAX)
    .optional()
    .openapi({
      description:
        'Entries about this unit or a unit under it: its counters, their responses, the ' +
        'accounts scoped to it, the campaigns with a counter in it (docs/interchange.md §3)',
    }),
  actor: z.string().max(100).optional().openapi({ description: '`cli` or `account:ID`' }),
  action: z.string().max(100).optional().openapi({ example: 'response.release' }),
  from: day('First day, Vietnam time, inclusive'),
  to: day('Last day, Vietnam time, inclusive'),
  before: z.string().max(20).optional().openapi({ description: "The previous page's `next`" }),
  limit: z
    .string()
    .max(4)
    .optional()
    .openapi({ description: `Entries a page, 1 to ${AUDIT_PAGE_MAX} (50)` }),
});

const page = auditPageSchema.meta({ id: 'AuditPage' });

const list = guarded(['admin'], {
  method: 'get',
  path: '/api/v1/audit',
  tags,
  summary: 'The audit log: who did what, when, newest first',
  description:
    'Every change by staff, filtered by unit, actor, action and days, a page at a time ' +
    '(keyset: pass `next` as `before`).',
  request: { query: auditQuery },
  responses: {
    200: { description: 'A page of entries', content: json(page) },
    ...problems({ 404: 'Unknown unit', 422: 'Bad query' }),
  },
});

const actions = guarded(['admin'], {
  method: 'get',
  path: '/api/v1/audit/actions',
  tags,
  summary: 'The actions in the audit log',
  responses: { 200: { description: 'Action names, sorted', content: json(z.array(z.string())) } },
});

export function auditRoutes() {
  return apiApp<AuthEnv>()
    .openapi(list, async (c) =>
      c.json(await listAuditEntries(c.var.db, c.var.principal, c.req.valid('query')), 200),
    )
    .openapi(actions, async (c) => c.json(await listAuditActions(c.var.db, c.var.principal), 200));
}
