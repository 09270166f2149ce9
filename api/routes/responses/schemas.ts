import { z } from '@hono/zod-openapi';
import { MODES } from '../../../shared/rules.ts';
import {
  formQuerySchema,
  replacedSchema,
  replaceSchema,
  storedResponseSchema,
  voidSchema,
} from '../../services/corrections.ts';
import {
  enteredReplySchema,
  enteredResponseSchema,
  QUARANTINE_PAGE_MAX,
  quarantineSummarySchema,
  RELEASE_NOTE_MAX,
} from '../../services/responses.ts';
import { delimiterField } from '../openapi.ts';

/** A yes/no query parameter: `true` or `false`. */
const flag = (description: string) =>
  z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true')
    .openapi({ description });

// Made before @hono/zod-openapi may have extended zod: named through zod's own metadata.
export const enteredResponse = enteredResponseSchema.meta({ id: 'EnteredResponse' });
export const enteredReply = enteredReplySchema.meta({ id: 'EnteredReply' });

export const importQuery = z.strictObject({
  dryRun: flag('Validate (duplicates included) without storing'),
  ignoreUnknown: flag('Skip columns that are neither a response field nor an item'),
  delimiter: delimiterField,
});

export const importResultSchema = z
  .object({
    stored: z.number().int().openapi({ description: 'Rows stored (with dryRun: would be)' }),
    duplicates: z.array(z.string()).openapi({ description: 'Response ids stored already' }),
    dryRun: z.boolean(),
  })
  .openapi('ResponsesImport');

export const exportQuery = z.strictObject({
  format: z.enum(['csv', 'xlsx']).default('csv'),
  includeQuarantined: flag('Add quarantined responses and the `status` and `reason` columns'),
  includeVoided: flag(
    'Add voided and replaced forms and the `status` and `reason` (why voided) columns',
  ),
});

export const quarantineSummary = quarantineSummarySchema.meta({ id: 'QuarantineSummary' });

export const quarantineQuery = z.strictObject({
  after: z
    .string()
    .max(20)
    .optional()
    .openapi({ description: "The id of the previous page's last response" }),
  limit: z
    .string()
    .max(4)
    .optional()
    .openapi({ description: `Responses a page, 1 to ${QUARANTINE_PAGE_MAX}; every one without` }),
});

export const quarantinedSchema = z
  .object({
    id: z.string(),
    responseId: z.string().nullable(),
    counter: z.string(),
    submittedAt: z.string(),
    receivedAt: z.string(),
    mode: z.enum(MODES),
    reason: z.string().nullable(),
  })
  .openapi('QuarantinedResponse');

export const releaseSchema = z
  .strictObject({
    ids: z.array(z.string().min(1).max(20)).min(1).max(10_000),
    note: z
      .string()
      .max(RELEASE_NOTE_MAX)
      .optional()
      .openapi({ description: 'Why the responses are genuine; kept in the audit log' }),
  })
  .openapi('Release');

export const releasedSchema = z.object({ released: z.number().int() });

export const formQuery = formQuerySchema;
export const voidBody = voidSchema.meta({ id: 'VoidForm' });
export const replaceBody = replaceSchema.meta({ id: 'ReplaceForm' });
export const storedResponse = storedResponseSchema.meta({ id: 'StoredResponse' });
export const replaced = replacedSchema.meta({ id: 'ReplacedForm' });
