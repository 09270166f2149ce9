// PLACEHOLDER on branch h-plans only, until h-facts' module of this name is merged: the
// contract's signature (CONTRACT17.md), so that the plan service and its routes compile. The
// merge takes h-facts' file in its place.
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { PlanDraft } from '../../analysis/plan-document.ts';
import type { Database } from '../../db/database.ts';
import * as units from '../../db/repositories/units.ts';
import { notFound, text, unknown } from '../errors.ts';
import type { Principal } from './access.ts';
import { assertReadsAssessmentOf } from './assessment-access.ts';
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

export async function draftPlanFor(
  db: Kysely<Database>,
  principal: Principal,
  request: PlanDraftRequest,
): Promise<PlanDraft> {
  const unit = await units.findUnitByCode(db, request.unit);
  if (!unit) throw unknown('unit', request.unit);
  await assertReadsAssessmentOf(db, principal, unit);
  throw notFound(text('Chưa soạn được dự thảo.', 'Drafting is not merged yet.'));
}
