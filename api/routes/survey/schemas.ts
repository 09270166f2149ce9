import { z } from '@hono/zod-openapi';
import { instrumentSchema } from '../../../analysis/instrument.ts';
import { submissionReplySchema, submissionSchema } from '../../services/submissions.ts';

export const tokenParams = z.object({
  token: z.string().openapi({
    param: { name: 'token', in: 'path' },
    description: "The counter's survey token, as printed in its QR code.",
    example: 'q3Yh0mWZ8o2kq1Yc7cX6Xg',
  }),
});

export const submissionQuery = z.object({
  mode: z
    .enum(['qr', 'kiosk'])
    .default('qr')
    .openapi({
      param: { name: 'mode', in: 'query' },
      description:
        "`kiosk` for an answer from a counter's shared tablet (its kiosk page); `qr` otherwise.",
    }),
});

// Schemas made before @hono/zod-openapi may have extended zod are named through zod's own
// metadata rather than `.openapi()`.
export const instrumentDocument = instrumentSchema.meta({ id: 'Instrument' });

const codeName = z.object({ code: z.string(), name: z.string() });

export const surveySchema = z
  .object({
    counter: codeName,
    unit: codeName,
    campaign: z.object({
      code: z.string(),
      name: z.string(),
      startsOn: z.string().openapi({ format: 'date' }),
      endsOn: z.string().openapi({ format: 'date' }),
    }),
    instrument: instrumentDocument,
  })
  .openapi('Survey');

export const submission = submissionSchema.meta({ id: 'Submission' });
export const submissionReply = submissionReplySchema.meta({ id: 'SubmissionReply' });
