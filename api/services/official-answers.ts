// An official answering an officials' survey through a single-use link (par-cycle.md §5,
// docs/officials.md "Answering"): the page a link opens, and the submission that uses the link
// up. The answer is stored in its group with its choices only; the invitation keeps that it was
// used and the phone's submission key, so that the same phone's retry is told "stored" and
// anyone else "already used". Neither row names the other (docs/officials.md "Anonymity").
import type { Kysely } from 'kysely';
import * as z from 'zod';
import {
  optionsOf,
  type OfficialInstrument,
  type OfficialItem,
} from '../../analysis/official-instrument.ts';
import type { Database, Db } from '../../db/database.ts';
import * as officials from '../../db/repositories/official-responses.ts';
import { day } from '../../shared/notation.ts';
import { INVITATION_TOKEN_PATTERN } from '../../shared/official.ts';
import {
  DomainError,
  fieldErrorsFromZod,
  invalid,
  required,
  says,
  text,
  type Text,
} from '../errors.ts';
import { officialInstrumentById } from './official-instruments.ts';
import { notAnObject } from './submissions.ts';
import { vietnamDate } from './vietnam-time.ts';

/** Why a link opens no questions; the page shows each its own way. */
export type LinkRefusal = 'unknown' | 'used' | 'revoked' | 'closed' | 'not-open';

/** A link that cannot be answered, with the reason the officials' page tells apart. */
export class LinkRefused extends DomainError {
  constructor(
    readonly reason: LinkRefusal,
    message: Text,
  ) {
    super(reason === 'unknown' ? 'not-found' : reason === 'used' ? 'conflict' : 'gone', message);
  }
}

const refusals = {
  unknown: () =>
    new LinkRefused(
      'unknown',
      text(
        'Không tìm thấy đường dẫn này. Xin kiểm tra lại đường dẫn trong thư mời.',
        'This link is unknown. Please check the link in your invitation.',
      ),
    ),
  used: () =>
    new LinkRefused(
      'used',
      text(
        'Đường dẫn này đã được dùng để trả lời. Mỗi đường dẫn chỉ trả lời được một lần.',
        'This link has already been used to answer. Each link answers once.',
      ),
    ),
  revoked: () =>
    new LinkRefused(
      'revoked',
      text(
        'Đường dẫn này đã bị thu hồi. Xin liên hệ đơn vị gửi thư mời để nhận đường dẫn mới.',
        'This link has been revoked. Please ask whoever invited you for a new one.',
      ),
    ),
  closed: (closesOn: string) =>
    new LinkRefused(
      'closed',
      text(
        `Cuộc điều tra đã kết thúc ngày ${day(closesOn)}; không nhận thêm câu trả lời.`,
        `The survey closed on ${closesOn}; it takes no more answers.`,
      ),
    ),
  notOpen: (opensOn: string) =>
    new LinkRefused(
      'not-open',
      text(
        `Cuộc điều tra bắt đầu nhận câu trả lời từ ngày ${day(opensOn)}.`,
        `The survey takes answers from ${opensOn}.`,
      ),
    ),
};

const messages = {
  invalid: text(
    'Phiếu trả lời chưa hợp lệ; xem từng mục trong errors.',
    'The answers are not valid; see each entry of errors.',
  ),
} as const;

const localized = z.object({ vi: z.string(), en: z.string() });

/** GET /api/v1/o/{token}: what the officials' page shows; no shares, no counts. */
export const officialPageSchema = z.object({
  survey: z.object({ name: z.string(), closesOn: z.string() }),
  unit: z.object({ name: z.string() }),
  group: z.string(),
  instrument: z.object({
    name: localized,
    note: localized.optional(),
    items: z.array(
      z.object({
        code: z.string(),
        text: localized,
        options: z.array(z.object({ code: z.string(), label: localized })),
      }),
    ),
  }),
});
export type OfficialPage = z.infer<typeof officialPageSchema>;

/** The reply to a stored submission, first (201) or again from the same phone (200). */
export const officialReplySchema = z.object({ status: z.literal('stored') });
export type OfficialReply = z.infer<typeof officialReplySchema>;

/**
 * The submission's shape, checked before the link is looked up: `id` is the phone's key, made
 * once per answer; `answers` maps each item's code to the code of the option chosen.
 */
export const officialSubmissionSchema = z.strictObject({
  id: z.guid(
    says(
      text(
        'một UUID do điện thoại tạo một lần cho mỗi phiếu',
        'a UUID made once per answer by the phone',
      ),
    ),
  ),
  answers: z.record(z.string(), z.unknown()).meta({
    description:
      "Item code → the code of the option chosen (A, B, …); every item of the survey's instrument.",
    example: { LD1: 'A', LD2: 'B' },
  }),
});
export type OfficialSubmission = z.infer<typeof officialSubmissionSchema>;

const TOKEN = new RegExp(`^${INVITATION_TOKEN_PATTERN}$`);

type Invitation = NonNullable<Awaited<ReturnType<typeof officials.findInvitationByToken>>>;

/** The invitation of a token, or 404; a token of another shape is not looked up. */
async function invitationOf(db: Db, token: string, lock = false): Promise<Invitation> {
  const invitation = TOKEN.test(token)
    ? await officials.findInvitationByToken(db, token, { lock })
    : undefined;
  if (!invitation) throw refusals.unknown();
  return invitation;
}

/** 410 unless the survey takes answers on `day` (Vietnam's). */
function checkOpen(invitation: Invitation, day: string): void {
  if (invitation.revoked_at !== null) throw refusals.revoked();
  if (day < invitation.opens_on) throw refusals.notOpen(invitation.opens_on);
  if (day > invitation.closes_on) throw refusals.closed(invitation.closes_on);
}

/**
 * The page of a link (GET /api/v1/o/{token}, and embedded in /o/{token}): 404 unknown, 409
 * used, 410 revoked, closed or not yet open.
 */
export async function officialPageOfToken(
  db: Kysely<Database>,
  token: string,
  now: Date = new Date(),
): Promise<OfficialPage> {
  const invitation = await invitationOf(db, token);
  if (invitation.used) throw refusals.used();
  checkOpen(invitation, vietnamDate(now));
  const instrument = await officialInstrumentById(db, invitation.instrument_id);
  return officialPageSchema.parse({
    survey: { name: invitation.survey_name, closesOn: invitation.closes_on },
    unit: { name: invitation.unit_name },
    group: invitation.group_name,
    instrument: {
      name: instrument.name,
      note: instrument.note,
      items: instrument.items.map((item) => ({
        code: item.code,
        text: item.text,
        options: optionsOf(instrument, item).map(({ code, label }) => ({ code, label })),
      })),
    },
  });
}

function chosenOption(instrument: OfficialInstrument, item: OfficialItem) {
  const codes = optionsOf(instrument, item).map((option) => option.code);
  return z.enum(
    codes,
    says((issue: { input?: unknown }) =>
      issue.input === undefined
        ? required
        : text(`một trong ${codes.join(', ')}`, `one of ${codes.join(', ')}`),
    ),
  );
}

/** Each item's chosen option as its index in the item's options (db/database.ts). */
function encode(instrument: OfficialInstrument, answers: Record<string, unknown>): number[] {
  const schema = z.strictObject(
    Object.fromEntries(instrument.items.map((item) => [item.code, chosenOption(instrument, item)])),
  );
  const parsed = schema.safeParse(answers);
  if (!parsed.success)
    throw invalid(messages.invalid, fieldErrorsFromZod(parsed.error, ['answers']));
  return instrument.items.map((item) =>
    optionsOf(instrument, item).findIndex((option) => option.code === parsed.data[item.code]),
  );
}

export interface OfficialOutcome {
  /** 201 stored now; 200 stored before under the same key (a retry of the same phone). */
  httpStatus: 200 | 201;
  reply: OfficialReply;
}

/**
 * POST /api/v1/o/{token}/responses with the parsed JSON body (the 413 and 415 are the route's).
 * In one transaction, the invitation locked: 400 not an object; 422 a body of another shape;
 * 404 unknown link; 200 used by this key before; 409 used by another; 410 revoked, closed or
 * not yet open on Vietnam's day of `now`; 422 an item unknown, missing or answered with no
 * option of it; else the answer is stored, the link used, 201. Nothing is stored on a refusal.
 */
export async function submitOfficialAnswers(
  db: Kysely<Database>,
  { token, body, now = new Date() }: { token: string; body: unknown; now?: Date },
): Promise<OfficialOutcome> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw notAnObject();
  const shape = officialSubmissionSchema.safeParse(body);
  if (!shape.success) throw invalid(messages.invalid, fieldErrorsFromZod(shape.error));
  const key = shape.data.id.toLowerCase();
  return db.transaction().execute(async (trx) => {
    const invitation = await invitationOf(trx, token, true);
    if (invitation.used) {
      if (invitation.submission_key === key)
        return { httpStatus: 200, reply: { status: 'stored' } };
      throw refusals.used();
    }
    checkOpen(invitation, vietnamDate(now));
    const instrument = await officialInstrumentById(trx, invitation.instrument_id);
    const answers = encode(instrument, shape.data.answers);
    await officials.storeOfficialResponse(trx, invitation.group_id, answers);
    await officials.markInvitationUsed(trx, invitation.id, key);
    return { httpStatus: 201, reply: { status: 'stored' } };
  });
}
