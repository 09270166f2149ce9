import { z } from '@hono/zod-openapi';
import { planDraftSchema, planRollUpSchema, planSchema } from '../../../analysis/plan-document.ts';
import { CODE_MAX } from '../../../shared/rules.ts';
import { periodSchema } from '../../services/par.ts';
import { planDraftRequestSchema } from '../../services/plan-facts.ts';
import {
  planListQuerySchema,
  planListSchema,
  reportInputSchema,
  rollUpQuerySchema,
  sectionsPatchSchema,
  taskInputSchema,
  taskPatchSchema,
} from '../../services/plans.ts';

// Made with plain zod in analysis/ and the services: named here through zod's own metadata.
export const planDocument = planSchema.meta({ id: 'Plan' });
export const planDraftDocument = planDraftSchema.meta({ id: 'PlanDraft' });
export const planListDocument = planListSchema.meta({ id: 'PlanList' });
export const rollUpDocument = planRollUpSchema.meta({ id: 'PlanRollUp' });
export const planRequest = z
  .strictObject(planDraftRequestSchema.shape)
  .meta({ id: 'PlanDraftRequest' });
export const sectionsPatch = sectionsPatchSchema.meta({ id: 'PlanSectionsPatch' });
export const taskInput = taskInputSchema.meta({ id: 'PlanTaskInput' });
export const taskPatch = taskPatchSchema.meta({ id: 'PlanTaskPatch' });
export const reportInput = reportInputSchema.meta({ id: 'ProgressReportInput' });
export const listQuery = planListQuerySchema;
export const rollUpQuery = rollUpQuerySchema;

const code = z.string().min(1).max(CODE_MAX);

/** A draft's query: as PlanDraftRequest, without per-node targets. */
export const draftQuery = z.strictObject({
  framework: code.openapi({ example: 'brvt-2025-commune' }),
  period: periodSchema.meta({ example: '2025' }),
  unit: code.openapi({ example: 'BRVT.CHAUDUC.NGAIGIAO' }),
  peers: code.optional().openapi({
    description: "A peer group of the period, or a unit whose children; default the unit's parent",
  }),
  campaign: code.optional().openapi({ description: 'The campaign whose SIPAS figures to state' }),
  top: z.coerce
    .number()
    .int()
    .positive()
    .max(10_000)
    .optional()
    .openapi({ type: 'integer', description: 'The target of the total: the top K' }),
});

const id = (name: string, description: string) =>
  z.coerce
    .number()
    .int()
    .positive()
    .max(2 ** 31 - 1)
    .openapi({ param: { name, in: 'path' }, type: 'integer', example: 1, description });

export const planParams = z.object({ id: id('id', 'The plan') });
export const taskParams = planParams.extend({ taskId: id('taskId', 'A task of the plan') });
export const reportParams = planParams.extend({
  reportId: id('reportId', 'A progress report on a task of the plan'),
});
export const fileParams = z.object({ fileId: id('fileId', "A progress report's file") });

export const fileUploadQuery = z.strictObject({
  name: z
    .string()
    .min(1)
    .max(1000)
    .openapi({
      description:
        "The file's name: its extension must agree with its content. Path parts and control " +
        'characters are dropped; Vietnamese letters are kept',
      example: 'Báo cáo quý 1.pdf',
    }),
});
