import { z } from '@hono/zod-openapi';
import { CODE_MAX } from '../../../shared/rules.ts';
import {
  campaignChangeSchema,
  campaignSummarySchema,
  campaignViewSchema,
  newCampaignSchema,
  newCountersSchema,
  progressSchema,
  transactionsSchema,
} from '../../services/campaigns/index.ts';

export { updatedSchema } from '../../services/campaigns/index.ts';

// The service's schemas, made before @hono/zod-openapi may have extended zod: named through
// zod's own metadata.
export const campaignSummary = campaignSummarySchema.meta({ id: 'CampaignSummary' });
export const campaign = campaignViewSchema.meta({ id: 'Campaign' });
export const newCampaign = newCampaignSchema.meta({ id: 'NewCampaign' });
export const campaignChange = campaignChangeSchema.meta({ id: 'CampaignChange' });
export const newCounters = newCountersSchema.meta({ id: 'NewCampaignCounters' });
export const transactions = transactionsSchema.meta({ id: 'Transactions' });
export const progress = progressSchema.meta({ id: 'CampaignProgress' });

export const campaignParams = z.object({
  campaign: z
    .string()
    .min(1)
    .max(CODE_MAX)
    .openapi({ param: { name: 'campaign', in: 'path' }, example: 'BRVT-2025' }),
});

export const campaignCounterParams = campaignParams.extend({
  counter: z
    .string()
    .min(1)
    .max(CODE_MAX)
    .openapi({ param: { name: 'counter', in: 'path' }, example: 'BRVT.STP.Q1' }),
});
