import { z } from '@hono/zod-openapi';
import { CODE_MAX } from '../../../shared/rules.ts';
import {
  appraisalInputSchema,
  assessmentDocumentSchema,
  leafInputSchema,
  overviewSchema,
  queueSchema,
  returnInputSchema,
  roundInputSchema,
  roundSchema,
} from '../../services/assessments.ts';
import { periodSchema } from '../../services/par.ts';

// Made in the service with plain zod: named here through zod's own metadata.
export const roundInput = roundInputSchema.meta({ id: 'AssessmentRoundInput' });
export const roundDocument = roundSchema.meta({ id: 'AssessmentRound' });
export const assessmentDocument = assessmentDocumentSchema.meta({ id: 'Assessment' });
export const overviewDocument = overviewSchema.meta({ id: 'AssessmentOverview' });
export const queueDocument = queueSchema.meta({ id: 'AppraisalQueue' });
export const leafInput = leafInputSchema.meta({ id: 'AssessmentLeafInput' });
export const appraisalInput = appraisalInputSchema.meta({ id: 'AppraisalInput' });
export const returnInput = returnInputSchema.meta({ id: 'AssessmentReturn' });

const code = z.string().min(1).max(CODE_MAX);

export const overviewQuery = z.strictObject({
  framework: code.openapi({ example: 'brvt-2025-commune' }),
  period: periodSchema.meta({ example: '2025' }),
});

export const assessmentParams = z.object({
  framework: code.openapi({
    param: { name: 'framework', in: 'path' },
    example: 'brvt-2025-commune',
  }),
  period: code.openapi({ param: { name: 'period', in: 'path' }, example: '2025' }),
  unit: code.openapi({ param: { name: 'unit', in: 'path' }, example: 'BRVT.XUYENMOC.BINHCHAU' }),
});

export const leafParams = assessmentParams.extend({
  node: z
    .string()
    .min(1)
    .max(300)
    .openapi({ param: { name: 'node', in: 'path' }, example: '1.2.1' }),
});
