import { z } from '@hono/zod-openapi';
import { peerGroupSchema, peerGroupSummarySchema } from '../../services/peers.ts';

// Made before @hono/zod-openapi may have extended zod: named through zod's own metadata.
export const peerGroupDocument = peerGroupSchema.meta({ id: 'PeerGroup' });
export const peerGroupSummary = peerGroupSummarySchema.meta({ id: 'PeerGroupSummary' });

const period = z.string().min(1).max(32);

export const peerGroupsQuery = z.strictObject({
  period: period.optional().openapi({ description: 'Only the groups of this period' }),
});

export const peerGroupParams = z.object({
  name: z
    .string()
    .min(1)
    .max(200)
    .openapi({ param: { name: 'name', in: 'path' }, example: 'BRVT-departments' }),
  period: period.openapi({ param: { name: 'period', in: 'path' }, example: '2025' }),
});

export const peersImported = z
  .object({
    groups: z.array(
      z.object({
        name: z.string(),
        period: z.string(),
        units: z.number().int(),
        replaced: z
          .boolean()
          .openapi({ description: 'The group existed: its units were replaced' }),
      }),
    ),
  })
  .openapi('PeersImported');
