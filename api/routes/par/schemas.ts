import { z } from '@hono/zod-openapi';
import { parFrameworkSchema } from '../../../analysis/par.ts';
import { CODE_MAX } from '../../../shared/rules.ts';
import { periodSchema } from '../../services/par.ts';

// Made before @hono/zod-openapi may have extended zod: named through zod's own metadata.
export const frameworkDocument = parFrameworkSchema.meta({ id: 'ParFramework' });

const code = z.string().min(1).max(CODE_MAX);

export const frameworkParams = z.object({
  framework: code.openapi({
    param: { name: 'framework', in: 'path' },
    example: 'par-2020-province',
  }),
});

const period = periodSchema.meta({ example: '2020' });

export const scorecardQuery = z.strictObject({
  period,
  peers: z.string().min(1).max(200).openapi({
    description:
      "A peer group of the period, or a unit whose children on the period's map are compared",
  }),
  top: z.coerce
    .number()
    .int()
    .positive()
    .optional()
    .openapi({ type: 'integer', description: 'The target group: top K' }),
  format: z
    .enum(['json', 'csv', 'xlsx'])
    .default('json')
    .openapi({ description: 'The document, or one row per unit as CSV or XLSX' }),
});

const component = z.object({
  points: z.number(),
  max: z.number(),
  available: z.number(),
  change: z.number().nullable(),
  rank: z.number().int(),
  rankChange: z.number().int().nullable(),
});

export const scorecardSchema = z
  .object({
    framework: z.string(),
    period: z.string(),
    previous: z.string().nullable(),
    peers: z.string(),
    top: z.number().int().nullable(),
    target: z.number().nullable(),
    rows: z.array(
      z.object({
        unit: z.string(),
        previousFrom: z
          .array(z.string())
          .optional()
          .openapi({
            description:
              'Present when the previous points come from predecessors in a reorganisation: ' +
              'their codes, sorted; the rank changes are then null',
          }),
        total: z.number(),
        change: z.number().nullable(),
        rank: z.number().int(),
        rankChange: z.number().int().nullable(),
        gapToTarget: z.number().nullable(),
        components: z.record(z.string(), component),
      }),
    ),
  })
  .openapi('Scorecard');

export const pointsQuery = z.strictObject({ period });

export const storedSchema = z.object({ stored: z.number().int() });

export const deriveSchema = z
  .strictObject({ period, campaign: code })
  .openapi('Derive', { description: "SIPAS points from a campaign's SIPAS index per unit" });

export const derivedSchema = z.object({
  stored: z.number().int(),
  withoutIndex: z.array(z.string()).openapi({ description: 'Units without a SIPAS index' }),
});
