import { z } from '@hono/zod-openapi';
import { CODE_MAX } from '../../../shared/rules.ts';
import {
  newUnitSchema,
  unitChangeSchema,
  unitHistorySchema,
  unitOnDaySchema,
  unitViewSchema,
} from '../../services/units.ts';

export const unitParams = z.object({
  unit: z
    .string()
    .min(1)
    .max(CODE_MAX)
    .openapi({ param: { name: 'unit', in: 'path' }, example: 'BRVT.SKHDT' }),
});

export const unitOnParams = unitParams.extend({
  date: z.string().openapi({
    param: { name: 'date', in: 'path' },
    format: 'date',
    example: '2025-07-01',
    description: 'YYYY-MM-DD',
  }),
});

// The service's schemas, made before @hono/zod-openapi may have extended zod: named through
// zod's own metadata.
export const unitSchema = unitViewSchema.meta({ id: 'Unit' });
export const newUnit = newUnitSchema.meta({ id: 'NewUnit' });
export const unitChange = unitChangeSchema.meta({ id: 'UnitChange' });
export const unitOnDay = unitOnDaySchema.meta({ id: 'UnitOnDay' });
export const unitHistory = unitHistorySchema.meta({ id: 'UnitHistory' });
