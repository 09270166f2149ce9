import { z } from '@hono/zod-openapi';
import { CODE_MAX } from '../../../shared/rules.ts';
import { periodSchema } from '../../services/par.ts';
import { REASON_MAX } from '../../services/publications.ts';
import { scorecardSchema } from './schemas.ts';

const period = periodSchema.meta({ example: '2025' });

const peers = z
  .string()
  .min(1)
  .max(200)
  .openapi({
    description:
      "A peer group of the period, or a unit whose children on the period's map are compared " +
      '(as the scorecard takes them); for an import, any name the results were published under',
  });

const reason = z.string().max(REASON_MAX).optional();

export const publicationKeyQuery = z.strictObject({ period, peers });

export const publishSchema = z
  .strictObject({
    period,
    peers,
    reason: reason.openapi({
      description: 'Why a correction is published: required from version 2 on',
    }),
  })
  .openapi('Publish');

export const importPublicationQuery = z.strictObject({
  period,
  peers,
  source: z
    .string()
    .min(1)
    .max(REASON_MAX)
    .openapi({ description: 'Where the results were published, e.g. a decision of the Ministry' }),
  reason: reason.openapi({ description: 'Required from version 2 on' }),
});

export const versionParams = z.object({
  framework: z
    .string()
    .min(1)
    .max(CODE_MAX)
    .openapi({ param: { name: 'framework', in: 'path' }, example: 'par-2020-province' }),
  version: z
    .union([z.literal('latest'), z.coerce.number().int().positive()])
    .openapi({ param: { name: 'version', in: 'path' }, description: 'A version, or `latest`' }),
});

const mark = {
  version: z.number().int(),
  at: z.string().openapi({ format: 'date-time' }),
  reason: z.string().nullable(),
  source: z.enum(['service', 'import']),
  origin: z
    .string()
    .nullable()
    .openapi({ description: 'Where imported results were published; null for the service’s own' }),
};

export const publicationSummarySchema = z
  .object({ ...mark, by: z.string().openapi({ description: '`cli` or `account:ID`' }) })
  .openapi('PublicationVersion');

export const publicationListSchema = z
  .object({
    framework: z.string(),
    period: z.string(),
    peers: z.string(),
    versions: z.array(publicationSummarySchema),
  })
  .openapi('Publications');

export const publicationSchema = publicationSummarySchema
  .extend({
    framework: z.string(),
    period: z.string(),
    peers: z.string(),
    document: scorecardSchema,
  })
  .openapi('Publication');

export const publishedSchema = publicationSummarySchema
  .extend({
    framework: z.string(),
    period: z.string(),
    peers: z.string(),
    assessments: z
      .array(z.string())
      .openapi({ description: 'The units whose appraised assessments became published' }),
  })
  .openapi('Published');

export const importedPublicationSchema = publicationSummarySchema
  .extend({ rows: z.number().int().openapi({ description: 'Units in the document' }) })
  .openapi('ImportedPublication');

/** What a scorecard read as published says of its publication. */
export const publicationMarkSchema = z.object(mark).openapi({
  description:
    'Present when the scorecard is a published one: the latest version; `live=true` computes ' +
    'the figures of now',
});
