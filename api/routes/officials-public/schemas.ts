import { z } from '@hono/zod-openapi';
// Schemas made with plain zod (the service's) are named through zod's own metadata.
import {
  officialPageSchema,
  officialReplySchema,
  officialSubmissionSchema,
} from '../../services/official-answers.ts';

export const invitationParams = z.object({
  token: z.string().openapi({
    param: { name: 'token', in: 'path' },
    description: "The invitation's single-use token, as in its link `/o/{token}` (22 characters).",
    example: 'Qm9uam91ciBsZXMgYW1pcw',
  }),
});

export const officialPage = officialPageSchema.meta({ id: 'OfficialPage' });
export const officialSubmission = officialSubmissionSchema.meta({ id: 'OfficialSubmission' });
export const officialReply = officialReplySchema.meta({ id: 'OfficialReply' });
