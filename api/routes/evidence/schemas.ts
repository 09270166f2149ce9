import { z } from '@hono/zod-openapi';
import { nodeCodeSchema } from '../../../analysis/par-tree.ts';
import { CODE_MAX } from '../../../shared/rules.ts';
import { evidenceFileSchema } from '../../services/evidence.ts';
import { periodSchema } from '../../services/par.ts';

// Made before @hono/zod-openapi may have extended zod: named through zod's own metadata.
export const evidenceFileDocument = evidenceFileSchema.meta({ id: 'EvidenceFile' });

const code = z.string().min(1).max(CODE_MAX);

export const evidenceLeafParams = z.object({
  framework: code.openapi({
    param: { name: 'framework', in: 'path' },
    example: 'brvt-2025-commune',
  }),
  // Made with zod before @hono/zod-openapi extended it: described through zod's own metadata.
  period: periodSchema.meta({ example: '2026' }),
  unit: code.openapi({ param: { name: 'unit', in: 'path' }, example: 'BRVT.CHAUDUC.NGAIGIAO' }),
  node: nodeCodeSchema.meta({ example: '1.2.1', description: 'A leaf of the framework' }),
});

export const evidenceUploadQuery = z.strictObject({
  name: z
    .string()
    .min(1)
    .max(1000)
    .openapi({
      description:
        "The file's name: its extension must agree with its content. Path parts and control " +
        'characters are dropped; Vietnamese letters are kept',
      example: 'Báo cáo CCHC năm 2026.pdf',
    }),
});

export const evidenceParams = z.object({
  id: z.coerce
    .number()
    .int()
    .positive()
    .max(2 ** 31 - 1)
    .openapi({
      param: { name: 'id', in: 'path' },
      type: 'integer',
      example: 42,
      description: 'The evidence file',
    }),
});
