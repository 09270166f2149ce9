import { z } from '@hono/zod-openapi';
import { scoringRulesSchema } from '../../../analysis/rules.ts';
import { CODE_MAX, NAME_MAX } from '../../../shared/rules.ts';

const code = z.string().min(1).max(CODE_MAX);
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD')
  .openapi({ format: 'date' });

// Made before @hono/zod-openapi may have extended zod: named through zod's own metadata.
const rules = scoringRulesSchema.meta({ id: 'ScoringRules' });

export const campaignParams = z.object({
  campaign: code.openapi({ param: { name: 'campaign', in: 'path' }, example: 'BRVT-2025' }),
});

export const campaignSummarySchema = z
  .object({
    code: z.string(),
    name: z.string(),
    instrument: z.string(),
    startsOn: z.string(),
    endsOn: z.string(),
    counters: z.number().int(),
  })
  .openapi('CampaignSummary');

export const campaignSchema = z
  .object({
    code: z.string(),
    name: z.string(),
    instrument: z.string(),
    startsOn: z.string(),
    endsOn: z.string(),
    rules,
    counters: z.array(
      z.object({
        code: z.string(),
        name: z.string(),
        unit: z.string(),
        target: z.number().int().nullable(),
        transactions: z.number().int().nullable(),
      }),
    ),
  })
  .openapi('Campaign');

const count = z.number().int().min(0);

export const newCampaignSchema = z
  .strictObject({
    code,
    name: z.string().min(1).max(NAME_MAX).optional(),
    instrument: z.string().min(1).openapi({ example: 'sipas-2017' }),
    from: day.openapi({ description: 'First day, inclusive (Vietnam time)' }),
    to: day.openapi({ description: 'Last day, inclusive' }),
    counters: z
      .union([z.literal('all'), z.array(code).min(1)])
      .openapi({ description: '`all` (within reach) or counter codes' }),
    rules: rules.optional(),
    targets: z
      .record(code, count)
      .optional()
      .openapi({ description: 'Planned sample per counter' }),
  })
  .openapi('NewCampaign');

export const campaignChangeSchema = z
  .strictObject({
    name: z.string().min(1).max(NAME_MAX).optional(),
    targets: z
      .record(code, count.nullable())
      .optional()
      .openapi({ description: 'Planned sample per counter; null clears one' }),
  })
  .openapi('CampaignChange');

export const transactionsSchema = z.record(code, count).openapi('Transactions', {
  description: 'Counter code → procedures completed there in the campaign period',
  example: { 'BRVT.SKHDT.Q1': 319 },
});

export const updatedSchema = z.object({ updated: z.number().int() });

const figures = {
  respondents: z.number().int(),
  quarantined: z.number().int(),
  modes: z.record(z.string(), z.number().int()),
  target: z.number().int().nullable(),
  transactions: z.number().int().nullable(),
  responseRate: z.number().nullable(),
  plannedSample: z.number().int().nullable(),
  progress: z.number().nullable(),
};

export const progressSchema = z
  .object({
    campaign: z.string(),
    startsOn: z.string(),
    endsOn: z.string(),
    counters: z.array(
      z.object({ counter: z.string(), name: z.string(), unit: z.string(), ...figures }),
    ),
    total: z.object(figures),
  })
  .openapi('CampaignProgress');
