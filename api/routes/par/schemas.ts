import { z } from '@hono/zod-openapi';
import { parFrameworkSchema } from '../../../analysis/par.ts';
import { SCORECARD_LEVELS } from '../../../analysis/par-tree.ts';
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
  level: z
    .enum(SCORECARD_LEVELS)
    .optional()
    .openapi({
      description:
        'Each row adds its percent of the applicable maximum, its band and the nodes of the level ' +
        '(par-cycle.md §3): none (total), the fields, the criteria, or all',
    }),
  targets: z
    .string()
    .max(2000)
    .optional()
    .openapi({
      description:
        'Targets "top K" per node, as `--targets` rows `node,top` joined: `total:10,3:15`; ' +
        'the total’s replaces `top`. A bad pair is named by its place, pair N as line N + 1',
      example: 'total:10,3:15',
    }),
  format: z
    .enum(['json', 'csv', 'xlsx'])
    .default('json')
    .openapi({ description: 'The document, or one row per unit as CSV or XLSX' }),
  live: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true')
    .openapi({
      description:
        'A published period reads as published (docs/par.md, "Publication"); `true` computes ' +
        'the figures of now',
    }),
});

const component = z.object({
  points: z.number(),
  max: z.number(),
  available: z.number(),
  change: z.number().nullable(),
  rank: z.number().int(),
  rankChange: z.number().int().nullable(),
});

/** A node of the level (par-tree.ts `NodeCard`): ranked on percent of its applicable maximum. */
const nodeCard = z.object({
  points: z.number().nullable(),
  max: z.number(),
  applicableMax: z.number(),
  percent: z.number().nullable(),
  change: z.number().nullable(),
  rank: z.number().int().nullable(),
  rankChange: z.number().int().nullable(),
  target: z.number().nullable(),
  gapToTarget: z.number().nullable(),
});

export const scorecardSchema = z
  .object({
    framework: z.string(),
    period: z.string(),
    previous: z.string().nullable(),
    peers: z.string(),
    top: z.number().int().nullable(),
    target: z.number().nullable(),
    level: z.enum(SCORECARD_LEVELS).optional(),
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
        applicableMax: z.number().optional(),
        percent: z.number().nullable().optional(),
        band: z.string().nullable().optional(),
        nodes: z.record(z.string(), nodeCard).optional(),
      }),
    ),
    published: z
      .object({
        version: z.number().int(),
        at: z.string().openapi({ format: 'date-time' }),
        reason: z.string().nullable(),
        source: z.enum(['service', 'import']),
        origin: z.string().nullable(),
      })
      .optional()
      .openapi({
        description:
          'Present when the scorecard is the latest published version (`live=true` for the ' +
          'figures of now): its number, when, why (a correction), and whether it was imported',
      }),
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
