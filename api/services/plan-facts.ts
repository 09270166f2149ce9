// PLACEHOLDER on branch h-plans only, until h-facts' module of this name is merged: the
// contract's signature (CONTRACT17.md), so that the plan service and its routes compile. The
// merge takes h-facts' file in its place.
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { PlanDraft } from '../../analysis/plan-document.ts';
import type { Database } from '../../db/database.ts';
import { DomainError, text } from '../errors.ts';
import type { Principal } from './access.ts';
import { periodSchema } from './par.ts';

export const planDraftRequestSchema = z.object({
  framework: z.string().min(1),
  period: periodSchema,
  unit: z.string().min(1),
  peers: z.string().min(1).optional(),
  campaign: z.string().min(1).optional(),
  top: z.number().int().positive().optional(),
  targets: z.record(z.string(), z.number().int().positive()).optional(),
});

export type PlanDraftRequest = z.input<typeof planDraftRequestSchema>;

export function draftPlanFor(
  _db: Kysely<Database>,
  _principal: Principal,
  _request: PlanDraftRequest,
): Promise<PlanDraft> {
  return Promise.reject(
    new DomainError('unavailable', text('Chưa soạn được dự thảo.', 'Drafting is not merged yet.')),
  );
}
