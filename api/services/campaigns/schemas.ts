// What the campaigns service takes and gives: the one definition of each shape, which the
// service validates with and the API documents (api/routes/campaigns/schemas.ts names them).
import * as z from 'zod';
import { scoringRulesSchema } from '../../../analysis/rules.ts';
import { NAME_MAX } from '../../../shared/rules.ts';
import { longerThan, required, says, text } from '../../errors.ts';
import { codeSchema, daySchema as day } from '../codes.ts';

const wholeNumber = says(text('một số nguyên từ 0 trở lên', 'a whole number, 0 or more'));
const count = z.number().int(wholeNumber).min(0, wholeNumber);

const targetNumber = says(
  text('chỉ tiêu là một số nguyên từ 0 trở lên', 'a target is a whole number, 0 or more'),
);
const target = z.number().int(targetNumber).min(0, targetNumber);

export const newCampaignSchema = z
  .strictObject({
    code: codeSchema,
    name: z
      .string()
      .max(NAME_MAX, says(longerThan(NAME_MAX)))
      .optional()
      .meta({ description: 'Defaults to the code' }),
    from: day.meta({ description: 'First day, inclusive (Vietnam time)' }),
    to: day.meta({ description: 'Last day, inclusive' }),
    rules: scoringRulesSchema.optional(),
    instrument: z.string().min(1, says(required)).meta({ example: 'sipas-2017' }),
    counters: z
      .union([z.literal('all'), z.array(codeSchema).min(1, says(required))])
      .meta({ description: '`all` (within reach) or counter codes' }),
    targets: z
      .record(z.string(), target)
      .optional()
      .meta({ description: 'Planned sample per counter' }),
  })
  .refine((input) => input.from <= input.to, {
    path: ['to'],
    ...says((issue: { input?: unknown }) => {
      const { from, to } = issue.input as { from: string; to: string };
      return text(`${to} trước ${from}`, `${to} is before ${from}`);
    }),
  });
export type CampaignInput = z.input<typeof newCampaignSchema>;

const nameLength = says(
  text(`tên dài từ 1 đến ${NAME_MAX} ký tự`, `a name of 1 to ${NAME_MAX} characters`),
);

export const campaignChangeSchema = z.strictObject({
  name: z.string().trim().min(1, nameLength).max(NAME_MAX, nameLength).optional(),
  from: day.optional().meta({ description: 'A new first day: never after a stored response' }),
  to: day.optional().meta({ description: 'A new last day: never before a stored response' }),
  targets: z
    .record(z.string(), target.nullable())
    .optional()
    .meta({ description: 'Planned sample per counter; null clears one' }),
});
export type CampaignChange = z.input<typeof campaignChangeSchema>;

export const newCountersSchema = z.strictObject({
  counters: z.array(codeSchema).min(1, 'required'),
  targets: z
    .record(z.string(), target)
    .optional()
    .meta({ description: 'Planned sample per added counter' }),
});
export type NewCounters = z.input<typeof newCountersSchema>;

export const transactionsSchema = z.record(z.string(), count).meta({
  description: 'Counter code → procedures completed there in the campaign period',
  example: { 'BRVT.SKHDT.Q1': 319 },
});

export const campaignSummarySchema = z.object({
  code: z.string(),
  name: z.string(),
  instrument: z.string(),
  startsOn: z.string(),
  endsOn: z.string(),
  counters: z.number().int(),
});
export type CampaignSummary = z.output<typeof campaignSummarySchema>;

export const campaignViewSchema = z.object({
  code: z.string(),
  name: z.string(),
  instrument: z.string(),
  startsOn: z.string(),
  endsOn: z.string(),
  rules: scoringRulesSchema,
  counters: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      unit: z.string(),
      target: z.number().int().nullable(),
      transactions: z.number().int().nullable(),
    }),
  ),
});
export type CampaignView = z.output<typeof campaignViewSchema>;

export const updatedSchema = z.object({ updated: z.number().int() });

const figures = z.object({
  /** Valid responses. */
  respondents: z.number().int(),
  /** Responses held in quarantine (not scored). */
  quarantined: z.number().int(),
  /** Valid responses by collection mode, modes with none left out. */
  modes: z.record(z.string(), z.number().int()),
  /** The planned sample: the campaign's target, else null. */
  target: z.number().int().nullable(),
  transactions: z.number().int().nullable(),
  /** 100 × respondents (at counters with a count) ÷ transactions; null without a count. */
  responseRate: z.number().nullable(),
  /** n = N / (1 + N × 0.05²), rounded up; null without a transaction count. */
  plannedSample: z.number().int().nullable(),
  /** 100 × respondents ÷ (target, else planned sample); null when neither is known. */
  progress: z.number().nullable(),
});
export type ProgressFigures = z.output<typeof figures>;

export const progressSchema = z.object({
  campaign: z.string(),
  startsOn: z.string(),
  endsOn: z.string(),
  counters: z.array(
    z.object({ counter: z.string(), name: z.string(), unit: z.string(), ...figures.shape }),
  ),
  /** Sums over the counters; rates and progress from those sums. */
  total: figures,
});
export type CampaignProgress = z.output<typeof progressSchema>;
