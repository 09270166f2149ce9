import { z } from '@hono/zod-openapi';
import { CODE_MAX, NAME_MAX } from '../../../shared/rules.ts';

const code = z.string().min(1).max(CODE_MAX);

export const unitParams = z.object({
  unit: code.openapi({ param: { name: 'unit', in: 'path' }, example: 'BRVT.SKHDT' }),
});

export const unitSchema = z
  .object({
    code: z.string(),
    name: z.string(),
    parent: z.string().nullable().openapi({ description: "The parent's code; null for a root" }),
  })
  .openapi('Unit');

export const newUnitSchema = z
  .strictObject({ code, name: z.string().min(1).max(NAME_MAX), parent: code.nullable().optional() })
  .openapi('NewUnit');

export const unitChangeSchema = z
  .strictObject({
    name: z.string().min(1).max(NAME_MAX).optional(),
    parent: code.nullable().optional(),
  })
  .openapi('UnitChange');
