// Keying in one paper form (spec §2: a survey unit enters paper forms): the rules of a row of
// the responses CSV (interchange §1), as JSON, one response at a time.
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import * as audit from '../../db/repositories/audit.ts';
import * as responses from '../../db/repositories/responses.ts';
import { MODES, RESPONSE_ID_MAX } from '../../shared/rules.ts';
import { conflict, fieldErrorsFromZod, invalid, type FieldError } from '../errors.ts';
import { encodeAnswers } from './answers.ts';
import { campaignByCode, campaignCounters } from './campaigns.ts';
import type { Actor } from './credentials.ts';
import { formatVietnamTime, parseInstant, vietnamDate } from './vietnam-time.ts';

export const enteredResponseSchema = z.strictObject({
  counter: z.string().min(1),
  /** ISO 8601 date or date-time (Vietnam time without an offset), inside the campaign. */
  submittedAt: z.string().min(1).max(64),
  mode: z.enum(MODES).default('paper'),
  serviceArea: z.string().min(1).max(100).optional(),
  /** The paper form's number; unique within the campaign. */
  responseId: z.string().min(1).max(RESPONSE_ID_MAX).optional(),
  answers: z.record(z.string(), z.unknown()).meta({
    description:
      'Item code → a value of its scale, an array of option values for a multi-choice item; ' +
      'null or left out is a blank.',
    example: { TC1: 4, TC2: 5, PAQ: 0, HL: 4 },
  }),
});

export const enteredReplySchema = z.object({
  id: z.string(),
  responseId: z.string().nullable(),
  counter: z.string(),
  submittedAt: z.string(),
  mode: z.enum(MODES),
});
export type EnteredReply = z.infer<typeof enteredReplySchema>;

export async function enterResponse(
  db: Kysely<Database>,
  actor: Actor,
  campaignCode: string,
  input: z.input<typeof enteredResponseSchema>,
): Promise<EnteredReply> {
  const parsed = enteredResponseSchema.safeParse(input);
  if (!parsed.success)
    throw invalid('The response is not valid.', fieldErrorsFromZod(parsed.error));
  const entry = parsed.data;
  return db.transaction().execute(async (trx) => {
    const campaign = await campaignByCode(trx, campaignCode);
    const counter = (await campaignCounters(trx, campaign.id)).find(
      (c) => c.code === entry.counter,
    );
    const errors: FieldError[] = [];
    if (!counter) {
      errors.push({
        path: 'counter',
        message: `counter ${entry.counter} is not in campaign ${campaign.code}`,
      });
    }
    const submittedAt = parseInstant(entry.submittedAt);
    if (!submittedAt) {
      errors.push({
        path: 'submittedAt',
        message: `${entry.submittedAt} is not an ISO 8601 date or date-time`,
      });
    } else {
      const day = vietnamDate(submittedAt);
      if (day < campaign.startsOn || day > campaign.endsOn) {
        errors.push({
          path: 'submittedAt',
          message: `outside the campaign's period, ${campaign.startsOn} to ${campaign.endsOn} (Vietnam time)`,
        });
      }
    }
    const encoded = encodeAnswers(campaign.instrument, entry.answers);
    errors.push(...encoded.errors);
    if (errors.length > 0 || !counter || !submittedAt)
      throw invalid('The response is not valid.', errors);
    const id = await responses.insertEnteredResponse(trx, {
      online_id: null,
      source_id: entry.responseId ?? null,
      campaign_id: campaign.id,
      counter_id: counter.id,
      instrument_id: campaign.instrument.id,
      mode: entry.mode,
      submitted_at: submittedAt,
      service_area: entry.serviceArea ?? null,
      answers: encoded.answers,
      texts: encoded.texts === null ? null : JSON.stringify(encoded.texts),
      status: 'valid',
      reason: null,
      released_at: null,
    });
    if (id === undefined) {
      throw conflict(
        `Response ${entry.responseId ?? ''} is stored in campaign ${campaign.code} already.`,
      );
    }
    await audit.recordAudit(trx, {
      actor: actor.id,
      action: 'response.enter',
      subject: `response:${id}`,
      detail: { campaign: campaign.code, counter: entry.counter, mode: entry.mode },
    });
    return {
      id,
      responseId: entry.responseId ?? null,
      counter: entry.counter,
      submittedAt: formatVietnamTime(submittedAt),
      mode: entry.mode,
    };
  });
}
