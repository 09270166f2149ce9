// The scoring rules of spec §5. Each is chosen per campaign (the design also per request),
// and every output echoes the rules that produced it.
import * as z from 'zod';
import { SATISFIED_DEFAULT } from '../shared/rules.ts';

/** The 0.975 normal quantile to full precision (spec §5). */
export const Z_975 = 1.959963984540054;

export const designSchema = z.enum(['srs', 'stratified']);
export type Design = z.infer<typeof designSchema>;

export const scoringRulesSchema = z.object({
  /** `share`: percent satisfied; `mean`: (mean answer − 1) / 4 × 100. */
  score: z.enum(['share', 'mean']).default('share'),
  satisfied: z
    .array(z.number().int().min(1).max(5))
    .min(1)
    .default([...SATISFIED_DEFAULT])
    .transform((values) => [...new Set(values)].sort((a, b) => a - b)),
  /** `exclude`: a blank is not a valid answer; `unsatisfied`: it counts as not satisfied. */
  blanks: z.enum(['exclude', 'unsatisfied']).default('exclude'),
  factor: z.enum(['meanOfItems', 'pooled', 'overallItem']).default('meanOfItems'),
  sipas: z.enum(['meanOfFactors', 'pooled', 'overallItem']).default('meanOfFactors'),
  /** How a unit is scored from what lies below it. */
  above: z.enum(['pooled', 'meanOfChildren']).default('pooled'),
  design: designSchema.default('srs'),
  confidence: z.literal(0.95).default(0.95),
  adequacy: z
    .object({
      minRespondents: z.number().int().min(1).default(30),
      maxIntervalWidth: z.number().positive().default(10),
      minItemValid: z.number().int().min(1).default(30),
    })
    .default({ minRespondents: 30, maxIntervalWidth: 10, minItemValid: 30 }),
});

export type ScoringRules = z.output<typeof scoringRulesSchema>;
export type ScoringRulesInput = z.input<typeof scoringRulesSchema>;

export const defaultRules: ScoringRules = scoringRulesSchema.parse({});
