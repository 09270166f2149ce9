// The anonymous survey behind a counter's QR code (interchange §4, spec §7): what the phone
// shows, and the submission that never loses or doubles an answer. The client's id is the
// idempotency key; a suspect answer is quarantined with its reason, never thrown away.
import type { Kysely } from 'kysely';
import * as z from 'zod';
import type { Instrument } from '../../analysis/instrument.ts';
import type {
  Database,
  QuarantineReason,
  ResponseMode,
  ResponseStatus,
} from '../../db/database.ts';
import { batched } from '../../db/batch.ts';
import * as responses from '../../db/repositories/responses.ts';
import {
  DomainError,
  fieldErrorsFromZod,
  invalid,
  says,
  text,
  TooManyRequests,
  type FieldError,
  type Text,
} from '../errors.ts';
import { encodeAnswers } from './answers.ts';
import { hashToken } from './credentials.ts';
import { instrumentById } from './instruments.ts';
import type { RateLimits, SubmissionLimiter } from './rate-limit.ts';
import { parseInstant, vietnamDate } from './vietnam-time.ts';

/** A submission's body is refused above this size (interchange §4). */
export const MAX_SUBMISSION_BYTES = 64 * 1024;
/** Answers sent later than this after a campaign's last day have nowhere to go. */
const LATE_DAYS = 30;
/** A respondent who finishes faster than this has not read the questions. */
const MIN_COMPLETION_MS = 20_000;

// What a citizen reads when the QR code leads nowhere.
const messages = {
  unknownToken: text(
    'Không tìm thấy mã QR này. Ông/Bà vui lòng quét lại mã QR dán tại quầy.',
    'This QR code is unknown. Please scan the QR code posted at the counter again.',
  ),
  revokedToken: text(
    'Mã QR này đã được thay bằng mã mới hoặc đã hết hiệu lực. Ông/Bà vui lòng quét mã QR mới ' +
      'tại quầy hoặc hỏi cán bộ tiếp nhận.',
    'This QR code was replaced by a new one or is no longer valid. Please scan the new QR code ' +
      'at the counter or ask the staff.',
  ),
  noCampaign: text(
    'Hiện quầy này không có đợt khảo sát nào đang diễn ra. Cảm ơn Ông/Bà đã quan tâm góp ý.',
    'This counter has no survey running now. Thank you for your interest.',
  ),
  notObject: text(
    'Nội dung gửi lên không phải là một đối tượng JSON.',
    'The body is not a JSON object.',
  ),
  otherContent: text(
    'Mã phiếu (id) này đã được dùng cho một phiếu trả lời khác.',
    'This response id was already used for another response.',
  ),
  invalid: text(
    'Phiếu trả lời chưa hợp lệ; xem từng mục trong errors.',
    'The response is not valid; see each entry of errors.',
  ),
  tooMany: (seconds: number) =>
    text(
      `Có quá nhiều phiếu gửi đến trong một phút; vui lòng gửi lại sau ${seconds} giây.`,
      `Too many submissions in a minute; send again in ${seconds} seconds.`,
    ),
} as const;

const instant = z
  .string()
  .max(64)
  .refine(
    (value) => parseInstant(value) !== undefined,
    says(text('không phải thời điểm ISO 8601', 'not an ISO 8601 date-time')),
  );

/** The submission JSON of interchange §4. */
export const submissionSchema = z.strictObject({
  id: z.guid(
    says(
      text(
        'một UUID do máy khách tạo một lần cho mỗi phiếu',
        'a UUID made once per response by the client',
      ),
    ),
  ),
  answers: z.record(z.string(), z.unknown()).meta({
    description:
      'Item code → a value of its scale, an array of option values for a multi-choice item, ' +
      'text for a free-text item; null or left out is a blank.',
    example: { TC1: 4, TC2: 5, PAQ: 0, HL: 4 },
  }),
  startedAt: instant.optional(),
  submittedAt: instant.optional(),
  device: z.string().min(1).max(200).optional(),
  lang: z
    .string()
    .regex(
      /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,3}$/,
      says(text('một mã ngôn ngữ như vi hoặc en', 'a language tag such as vi or en')),
    )
    .optional(),
  website: z.string().max(2_000).optional(),
});

export const submissionReplySchema = z.object({
  id: z.string(),
  status: z.enum(['valid', 'quarantined']),
});
export type SubmissionReply = z.infer<typeof submissionReplySchema>;

export interface SurveyPayload {
  counter: { code: string; name: string };
  unit: { code: string; name: string };
  campaign: { code: string; name: string; startsOn: string; endsOn: string };
  instrument: Instrument;
}

const gone = (message: Text) => new DomainError('gone', message);

/** 400: the body of a submission is not a JSON object. */
export const notAnObject = () => new DomainError('bad-request', messages.notObject);

function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

type CampaignRow = responses.SubmissionTarget['campaigns'][number];

// An instrument version never changes once stored (db/migrations: instrument), so each is
// parsed once per database and kept; its code is checked on each use, so that a database
// restored under the running service, where an id may name another version, is read again.
const instruments = new WeakMap<Kysely<Database>, Map<number, Promise<Instrument>>>();

function instrumentOf(db: Kysely<Database>, id: number, code: string): Promise<Instrument> {
  let cache = instruments.get(db);
  if (!cache) instruments.set(db, (cache = new Map()));
  const cached = cache.get(id);
  const fresh = (): Promise<Instrument> => {
    const loading = instrumentById(db, id).then(({ id: _id, ...instrument }) => instrument);
    loading.catch(() => cache.delete(id));
    cache.set(id, loading);
    return loading;
  };
  if (!cached) return fresh();
  return cached.then((instrument) => (instrument.code === code ? instrument : fresh()));
}

interface Intake {
  target(key: responses.TargetKey): Promise<responses.SubmissionTarget>;
  store(response: responses.NewOnlineResponse): Promise<boolean>;
}

// The submissions that arrive together share their look-up and their insert (db/batch.ts):
// at a few thousand a second, a round trip and a commit for each is what the service would
// spend most of its time on. One round trip of each kind under way at a time, while the next
// batch gathers: batches grow, and the database spends less per response than with two under
// way (BENCHMARKS.md, by hand).
const intakes = new WeakMap<Kysely<Database>, Intake>();

function intakeOf(db: Kysely<Database>): Intake {
  let intake = intakes.get(db);
  if (!intake) {
    const options = { maxBatch: 200, maxInFlight: 1 };
    intake = {
      target: batched(
        (keys: responses.TargetKey[]) => responses.findSubmissionTargets(db, keys),
        options,
      ),
      store: batched(
        (rows: responses.NewOnlineResponse[]) => responses.insertOnlineResponses(db, rows),
        options,
      ),
    };
    intakes.set(db, intake);
  }
  return intake;
}

/**
 * The campaign an answer received on `day` belongs to: the counter's campaign whose period
 * holds the day, else the one that ended most recently within 30 days (a late answer), else
 * the next one starting within 30 days (an early one).
 */
function campaignFor(campaigns: CampaignRow[], day: string): CampaignRow | undefined {
  const inside = campaigns.find((c) => c.starts_on <= day && day <= c.ends_on);
  if (inside) return inside;
  const ended = campaigns
    .filter((c) => c.ends_on < day)
    .sort((a, b) => (a.ends_on < b.ends_on ? 1 : -1));
  if (ended[0]) return ended[0];
  return campaigns
    .filter((c) => c.starts_on > day)
    .sort((a, b) => (a.starts_on < b.starts_on ? -1 : 1))[0];
}

function counterOf(target: responses.SubmissionTarget) {
  const { counter } = target;
  if (!counter) throw new DomainError('not-found', messages.unknownToken);
  return counter;
}

/**
 * The survey of a counter's token, and when the token was replaced, the problem a new visitor
 * is shown instead: the survey page (/s/{token}) carries both, so that a citizen who began under
 * the old QR code can finish after a reload, and the answer is still accepted (spec §7: a
 * replaced QR code never throws away an answer); nobody new starts under it.
 */
export async function surveyOfToken(
  db: Kysely<Database>,
  token: string,
  now: Date = new Date(),
): Promise<{ survey: SurveyPayload; replaced: DomainError | undefined }> {
  const today = vietnamDate(now);
  const target = await intakeOf(db).target({
    tokenHash: hashToken(token),
    onlineId: null,
    from: today,
    to: today,
  });
  const counter = counterOf(target);
  const replaced = counter.revoked_at === null ? undefined : gone(messages.revokedToken);
  const campaign = target.campaigns[0];
  if (!campaign) throw replaced ?? gone(messages.noCampaign);
  return {
    survey: {
      counter: { code: counter.code, name: counter.name },
      unit: { code: counter.unit_code, name: counter.unit_name },
      campaign: {
        code: campaign.code,
        name: campaign.name,
        startsOn: campaign.starts_on,
        endsOn: campaign.ends_on,
      },
      instrument: await instrumentOf(db, campaign.instrument_id, campaign.instrument_code),
    },
    replaced,
  };
}

/** What GET /api/v1/s/{token} answers: the survey, or 410 for a replaced token. */
export async function surveyForToken(
  db: Kysely<Database>,
  token: string,
  now: Date = new Date(),
): Promise<SurveyPayload> {
  const { survey, replaced } = await surveyOfToken(db, token, now);
  if (replaced) throw replaced;
  return survey;
}

export interface SubmissionRequest {
  token: string;
  /** The parsed JSON body. */
  body: unknown;
  /** The client's IP address, for the rate limit only; never stored. */
  ip?: string | undefined;
  receivedAt?: Date;
  /** `kiosk` only from the kiosk address of a counter's shared tablet. */
  mode: OnlineMode;
  limits: RateLimits;
  /** Config `revokedTokenGraceMs`: how long a revoked token still takes valid answers. */
  revokedTokenGraceMs: number;
  limiter: SubmissionLimiter;
}

/** The modes of an answer sent to this endpoint. */
export type OnlineMode = Extract<ResponseMode, 'qr' | 'kiosk'>;

export interface SubmissionOutcome {
  /** 201 for a first arrival, 200 for a replay. */
  httpStatus: 200 | 201;
  reply: SubmissionReply;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const sameTexts = (a: unknown, b: Record<string, string> | null): boolean => {
  const left = isPlainObject(a) ? a : {};
  const right = b ?? {};
  const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
  return [...keys].every((key) => left[key] === right[key]);
};

type StoredResponse = NonNullable<Awaited<ReturnType<typeof responses.findOnlineResponse>>>;

/**
 * The reply to a replay of a stored response: the stored one when the content is the same
 * (same counter, same answers; the other fields do not count), else 409.
 */
async function replay(
  db: Kysely<Database>,
  stored: StoredResponse,
  counterId: number | undefined,
  answers: unknown,
): Promise<SubmissionOutcome> {
  let same = counterId === stored.counter_id && isPlainObject(answers);
  if (same && isPlainObject(answers)) {
    const instrument = await instrumentOf(db, stored.instrument_id, stored.instrument_code);
    const encoded = encodeAnswers(instrument, answers);
    same =
      encoded.errors.length === 0 &&
      encoded.answers.length === stored.answers.length &&
      encoded.answers.every((value, i) => value === stored.answers[i]) &&
      sameTexts(stored.texts, encoded.texts);
  }
  if (!same) throw new DomainError('conflict', messages.otherContent);
  // A response released from quarantine since was first answered as quarantined. (A survey
  // answer is never voided: only keyed forms are, api/services/corrections.ts.)
  const status = stored.status === 'valid' && stored.released_at === null ? 'valid' : 'quarantined';
  return { httpStatus: 200, reply: { id: String(stored.online_id), status } };
}

function quarantineReason(
  submission: z.infer<typeof submissionSchema>,
  campaign: CampaignRow,
  day: string,
  revokedTooLongAgo: boolean,
  overLimit: boolean,
): QuarantineReason | null {
  if (submission.website !== undefined && submission.website.trim() !== '') return 'honeypot';
  const started =
    submission.startedAt === undefined ? undefined : parseInstant(submission.startedAt);
  const submitted =
    submission.submittedAt === undefined ? undefined : parseInstant(submission.submittedAt);
  if (started && submitted && submitted.getTime() - started.getTime() < MIN_COMPLETION_MS) {
    return 'too-fast';
  }
  if (day < campaign.starts_on || day > campaign.ends_on) return 'outside-period';
  // Without them the checks above and the per-device limit cannot be made: the phone always
  // sends them, so leaving them out is no way around the checks.
  if (submission.device === undefined || !started || !submitted) return 'unverifiable';
  if (revokedTooLongAgo) return 'revoked-token';
  return overLimit ? 'rate-limit' : null;
}

/**
 * POST /api/v1/s/{token}/responses, every reply of interchange §4 in its order (the 400 for a
 * body that is not JSON and the 413 are the caller's, who reads the bytes).
 */
export async function submitResponse(
  db: Kysely<Database>,
  request: SubmissionRequest,
): Promise<SubmissionOutcome> {
  const { body, token } = request;
  const receivedAt = request.receivedAt ?? new Date();
  if (!isPlainObject(body)) throw notAnObject();

  const id = typeof body.id === 'string' && GUID.test(body.id) ? body.id.toLowerCase() : null;
  const day = vietnamDate(receivedAt);
  // The happy path takes two round trips: this look-up, and the insert.
  const intake = intakeOf(db);
  const target = await intake.target({
    tokenHash: hashToken(token),
    onlineId: id,
    from: addDays(day, -LATE_DAYS),
    to: addDays(day, LATE_DAYS),
  });
  if (id !== null && target.stored) {
    const stored = await responses.findOnlineResponse(db, id);
    if (stored) return replay(db, stored, target.counter?.id, body.answers);
  }

  const counter = counterOf(target);
  const campaign = campaignFor(target.campaigns, day);
  if (!campaign) throw gone(messages.noCampaign);

  const parsed = submissionSchema.safeParse(body);
  const errors: FieldError[] = parsed.success ? [] : fieldErrorsFromZod(parsed.error);
  const instrument = await instrumentOf(db, campaign.instrument_id, campaign.instrument_code);
  const encoded = isPlainObject(body.answers) ? encodeAnswers(instrument, body.answers) : undefined;
  if (encoded) errors.push(...encoded.errors);
  if (!parsed.success || !encoded || errors.length > 0) throw invalid(messages.invalid, errors);
  const submission = parsed.data;
  const onlineId = submission.id.toLowerCase();

  // After the replay above: a stored answer sent again is never refused.
  const verdict = request.limiter.hit(request.limits, {
    token,
    device: submission.device,
    ip: request.ip,
  });
  if (verdict.kind === 'refused') {
    throw new TooManyRequests(
      messages.tooMany(verdict.retryAfterSeconds),
      verdict.retryAfterSeconds,
    );
  }
  // A QR code replaced while the citizen was answering still takes the answer, at the same
  // counter; past the grace period it is kept too, but out of scores until released.
  const revokedTooLongAgo =
    counter.revoked_at !== null &&
    receivedAt.getTime() - counter.revoked_at.getTime() > request.revokedTokenGraceMs;
  const reason = quarantineReason(
    submission,
    campaign,
    day,
    revokedTooLongAgo,
    verdict.kind === 'over',
  );
  const status: ResponseStatus = reason === null ? 'valid' : 'quarantined';
  // Committed with the others of its batch, before the reply.
  const stored = await intake.store({
    onlineId,
    campaignId: campaign.id,
    counterId: counter.id,
    instrumentId: campaign.instrument_id,
    mode: request.mode,
    // A phone's clock is not trusted: the response's time is when it arrived.
    submittedAt: receivedAt,
    receivedAt,
    answers: encoded.answers,
    texts: encoded.texts,
    status,
    reason,
  });
  if (stored) return { httpStatus: 201, reply: { id: onlineId, status } };
  // Another copy of this submission was stored between our look-up and our insert.
  const winner = await responses.findOnlineResponse(db, onlineId);
  if (!winner) throw new Error(`response ${onlineId} vanished after a conflicting insert`);
  return replay(db, winner, counter.id, body.answers);
}
