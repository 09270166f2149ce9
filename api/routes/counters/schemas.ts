import { z } from '@hono/zod-openapi';
import { CODE_MAX, NAME_MAX } from '../../../shared/rules.ts';

const code = z.string().min(1).max(CODE_MAX);

export const counterParams = z.object({
  counter: code.openapi({ param: { name: 'counter', in: 'path' }, example: 'BRVT.SKHDT.Q1' }),
});

export const counterSchema = z
  .object({
    code: z.string(),
    name: z.string(),
    unit: z.string().openapi({ description: "The unit's code" }),
    hasToken: z.boolean().openapi({ description: 'Whether its QR code works' }),
  })
  .openapi('Counter');

export const counterListQuery = z.strictObject({
  unit: code.optional().openapi({ description: 'Only the counters of this unit' }),
});

export const newCounterSchema = z
  .strictObject({ code, unit: code, name: z.string().min(1).max(NAME_MAX) })
  .openapi('NewCounter');

export const counterChangeSchema = z
  .strictObject({ name: z.string().min(1).max(NAME_MAX).optional(), unit: code.optional() })
  .openapi('CounterChange');

export const importCountsSchema = z
  .object({ created: z.number().int(), updated: z.number().int() })
  .openapi('ImportCounts');

export const issuedTokenSchema = z
  .object({
    counter: z.string(),
    token: z.string().openapi({ description: 'Shown once: only its hash is stored' }),
    url: z.string().openapi({ description: 'The survey address the QR code holds' }),
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
