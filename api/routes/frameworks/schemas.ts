import { z } from '@hono/zod-openapi';
import { frameworkTreeSchema } from '../../../analysis/par-tree.ts';
import { CODE_MAX } from '../../../shared/rules.ts';

// Made before @hono/zod-openapi may have extended zod: named through zod's own metadata.
export const frameworkTreeDocument = frameworkTreeSchema.meta({ id: 'FrameworkTree' });

export const frameworkCodeParams = z.object({
  code: z
    .string()
    .min(1)
    .max(CODE_MAX)
    .openapi({ param: { name: 'code', in: 'path' }, example: 'par-2020-province' }),
});

export const frameworkImportQuery = z.strictObject({
  name: z.string().trim().min(1).max(200).optional().openapi({
    description: "The framework's name; its code when left out",
  }),
  bands: z
    .string()
    .max(200)
    .optional()
    .openapi({
      description:
        'Each band with its lowest percent of the applicable maximum, highest first; below the ' +
        'last, the next letter from 0. Default A:90,B:80,C:70 (D below 70).',
      example: 'A:90,B:80,C:70',
    }),
});

export const frameworkImportedSchema = z
  .object({
    framework: frameworkTreeDocument,
    replaced: z.boolean().openapi({ description: 'True when it replaced one without points' }),
  })
  .openapi('FrameworkImported');
