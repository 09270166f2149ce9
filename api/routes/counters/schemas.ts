import { z } from '@hono/zod-openapi';
import { CODE_MAX } from '../../../shared/rules.ts';
import { importCountsSchema } from '../../services/codes.ts';
import {
  counterChangeSchema,
  counterViewSchema,
  newCounterSchema,
} from '../../services/counters.ts';

const code = z.string().min(1).max(CODE_MAX);

export const counterParams = z.object({
  counter: code.openapi({ param: { name: 'counter', in: 'path' }, example: 'BRVT.SKHDT.Q1' }),
});

// The service's schemas, made before @hono/zod-openapi may have extended zod: named through
// zod's own metadata.
export const counterSchema = counterViewSchema.meta({ id: 'Counter' });
export const newCounter = newCounterSchema.meta({ id: 'NewCounter' });
export const counterChange = counterChangeSchema.meta({ id: 'CounterChange' });
export const importCounts = importCountsSchema.meta({ id: 'ImportCounts' });

export const counterListQuery = z.strictObject({
  unit: code.optional().openapi({ description: 'Only the counters of this unit' }),
});

export const issuedTokenSchema = z
  .object({
    counter: z.string(),
    token: z.string().openapi({ description: 'Shown once: only its hash is stored' }),
    url: z.string().openapi({ description: 'The survey address the QR code holds' }),
    code: z.string().openapi({
      description:
        'The short code to print under the QR code: `/c/{code}` leads to the same survey',
      example: 'K7QMX4R',
    }),
  })
  .openapi('IssuedToken');

export const revokedSchema = z.object({ counter: z.string(), revoked: z.boolean() });

export const qrQuery = z.strictObject({
  token: z
    .string()
    .min(1)
    .max(200)
    .openapi({ description: "The counter's current survey token, as just issued" }),
});
