// Corrections of keyed forms (issue 14): a mis-keyed paper form is voided, or replaced by a
// corrected copy, with a reason. Responses are never edited (spec §7): the original keeps its
// answers, changes status (`voided` or `replaced`) and leaves the scores; the audit log keeps
// who did it, when, why and the answers before and after. A survey answer from a citizen (a
// mode outside KEYED_MODES) is not staff's to correct: it can only be quarantined.
import type { Kysely } from 'kysely';
import * as z from 'zod';
import type { Database, Db } from '../../db/database.ts';
import * as audit from '../../db/repositories/audit.ts';
import * as responses from '../../db/repositories/responses.ts';
import { KEYED_MODES, MODES, RESPONSE_ID_MAX, type Mode } from '../../shared/rules.ts';
import {
  conflict,
  invalid,
  longerThan,
  notFound,
  parseInput,
  required,
  says,
  text,
  type FieldError,
} from '../errors.ts';
import { campaignReach, type Principal } from './access.ts';
import { answerColumns, answersFromCells, decodeAnswers, encodeAnswers } from './answers.ts';
import { campaignByCode, type Campaign } from './campaigns/index.ts';
import { addToTallies, withdrawFromTallies } from './tallies.ts';
import { formatVietnamTime, parseInstant, vietnamDate } from './vietnam-time.ts';

export const VOID_REASON_MAX = 500;

const reason = z
  .string()
  .trim()
  .min(1, says(text('bắt buộc: lý do hủy phiếu', 'required: why the form is voided')))
  .max(VOID_REASON_MAX, says(longerThan(VOID_REASON_MAX)))
  .meta({ example: 'Nhập nhầm câu TC3 (5 thay vì 2)' });

export const voidSchema = z.strictObject({ reason });

export const replaceSchema = z.strictObject({
  reason,
  /** The corrected answers, as keying in a form takes them. */
  answers: z.record(z.string(), z.unknown()).meta({
    description:
      'Item code → a value of its scale, an array of option values for a multi-choice item; ' +
      'null or left out is a blank. Every answer of the copy: none is carried over.',
    example: { TC1: 4, TC2: 5, PAQ: 0, HL: 4 },
  }),
  /** Defaults to the original's. */
  submittedAt: z.string().min(1).max(64).optional(),
  /** Defaults to the original's. */
  serviceArea: z.string().min(1).max(100).nullable().optional(),
});

export const formQuerySchema = z.strictObject({
  responseId: z.string().trim().min(1, says(required)).max(RESPONSE_ID_MAX),
});

export const storedResponseSchema = z.object({
  id: z.string(),
  /** The form's number (or the source system's id), or a survey answer's online id. */
  responseId: z.string().nullable(),
  counter: z.string(),
  submittedAt: z.string(),
  mode: z.enum(MODES),
  serviceArea: z.string().nullable(),
  status: z.enum(['valid', 'quarantined', 'voided', 'replaced']),
  /** The quarantine reason, if it was ever quarantined. */
  reason: z.string().nullable(),
  voidedAt: z.string().nullable(),
  voidReason: z.string().nullable(),
  /** The id of the response this one is the corrected copy of. */
  replaces: z.string().nullable(),
  /** The id of this one's corrected copy. */
  replacedBy: z.string().nullable(),
  /** Whether staff may void or replace it: a keyed form still in or awaiting the scores. */
  correctable: z.boolean(),
  answers: z.record(z.string(), z.unknown()),
});
export type StoredResponse = z.output<typeof storedResponseSchema>;

export const replacedSchema = z.object({
  original: storedResponseSchema,
  replacement: storedResponseSchema,
});

const isKeyed = (mode: Mode) => (KEYED_MODES as readonly Mode[]).includes(mode);
const textsSchema = z.record(z.string(), z.string()).nullable();

type Row = Awaited<ReturnType<typeof responses.findResponses>>[number];

/** The answers as keying in takes them: item code → value, array or text; null for a blank. */
function answersOf(campaign: Campaign, row: Row): Record<string, unknown> {
  const cells = decodeAnswers(campaign.instrument, row.answers, textsSchema.parse(row.texts));
  const columns = answerColumns(campaign.instrument);
  return answersFromCells(
    campaign.instrument,
    columns.map((code, i): [string, string] => [code, String(cells[i] ?? '')]),
  );
}

function viewOf(campaign: Campaign, row: Row): StoredResponse {
  return {
    id: String(row.id),
    responseId: row.online_id ?? row.source_id,
    counter: row.counter,
    submittedAt: formatVietnamTime(row.submitted_at),
    mode: row.mode,
    serviceArea: row.service_area,
    status: row.status,
    reason: row.reason,
    voidedAt: row.voided_at === null ? null : formatVietnamTime(row.voided_at),
    voidReason: row.void_reason,
    replaces: row.replaces === null ? null : String(row.replaces),
    replacedBy: row.replaced_by === null ? null : String(row.replaced_by),
    correctable: isKeyed(row.mode) && (row.status === 'valid' || row.status === 'quarantined'),
    answers: answersOf(campaign, row),
  };
}

/** The campaign's responses with a form number, every status, oldest first. */
export async function findForms(
  db: Kysely<Database>,
  principal: Principal,
  campaignCode: string,
  query: z.input<typeof formQuerySchema>,
): Promise<StoredResponse[]> {
  const { responseId } = parseInput(
    formQuerySchema,
    query,
    text('Điều kiện tìm kiếm không hợp lệ.', 'The search is not valid.'),
  );
  const reach = await campaignReach(db, principal, campaignCode);
  const campaign = await campaignByCode(db, campaignCode);
  const rows = await responses.findResponses(
    db,
    campaign.id,
    { sourceId: responseId },
    reach.counterIds,
  );
  return rows.map((row) => viewOf(campaign, row));
}

async function responseView(
  db: Db,
  campaign: Campaign,
  id: number,
  only: readonly number[] | null = null,
): Promise<StoredResponse> {
  const [row] = await responses.findResponses(db, campaign.id, { ids: [id] }, only);
  if (!row)
    throw notFound(
      text(
        `Không có phiếu ${id} trong đợt khảo sát ${campaign.code}.`,
        `No response ${id} in campaign ${campaign.code}.`,
      ),
    );
  return viewOf(campaign, row);
}

/**
 * The campaign and the locked response `id` of it that staff may correct: a keyed form, valid
 * or quarantined; else 404 or 409 saying why.
 */
async function correctable(db: Db, principal: Principal, campaignCode: string, id: string) {
  // A scoped surveyor corrects the forms of its own counters; another counter's form is
  // answered as unknown, as it is not to be seen.
  const reach = await campaignReach(db, principal, campaignCode);
  const campaign = await campaignByCode(db, campaignCode);
  const numeric = /^[1-9]\d{0,14}$/.test(id) ? Number(id) : undefined;
  const locked = numeric === undefined ? undefined : await responses.lockResponse(db, numeric);
  if (numeric === undefined || !locked || locked.campaign_id !== campaign.id) {
    throw notFound(
      text(
        `Không có phiếu ${id} trong đợt khảo sát ${campaign.code}.`,
        `No response ${id} in campaign ${campaign.code}.`,
      ),
    );
  }
  const before = await responseView(db, campaign, numeric, reach.counterIds);
  if (!isKeyed(before.mode)) {
    throw conflict(
      text(
        `Phiếu ${id} do người dân tự trả lời (hình thức ${before.mode}): chỉ phiếu được nhập ` +
          `lại (${KEYED_MODES.join(', ')}) mới có thể hủy hoặc thay thế; phiếu khảo sát trực ` +
          'tuyến chỉ có thể đưa vào diện cách ly.',
        `Response ${id} was answered by a citizen (mode ${before.mode}): only a form keyed in ` +
          `(${KEYED_MODES.join(', ')}) can be voided or replaced; a survey answer can only be ` +
          'quarantined.',
      ),
    );
  }
  if (before.status === 'voided' || before.status === 'replaced') {
    throw conflict(
      text(
        `Phiếu ${id} đã ${before.status === 'voided' ? 'bị hủy' : 'được thay thế'} (${before.voidedAt ?? ''}: ${before.voidReason ?? ''}).`,
        `Response ${id} is ${before.status} already (${before.voidedAt ?? ''}: ${before.voidReason ?? ''}).`,
      ),
    );
  }
  return { campaign, id: numeric, before };
}

/** Voids a keyed form: it leaves the scores, its number stays taken. */
export async function voidForm(
  db: Kysely<Database>,
  principal: Principal,
  campaignCode: string,
  id: string,
  input: z.input<typeof voidSchema>,
): Promise<StoredResponse> {
  const { reason } = parseInput(
    voidSchema,
    input,
    text('Không hủy được phiếu.', 'The form cannot be voided.'),
  );
  return db.transaction().execute(async (trx) => {
    const { campaign, before, ...target } = await correctable(trx, principal, campaignCode, id);
    await withdrawFromTallies(trx, campaign, target.id);
    await responses.voidResponse(trx, target.id, { status: 'voided', reason });
    await audit.recordAudit(trx, {
      actor: principal.actor.id,
      action: 'response.void',
      subject: `response:${id}`,
      detail: {
        campaign: campaign.code,
        responseId: before.responseId,
        counter: before.counter,
        reason,
        before: { status: before.status },
        after: { status: 'voided' },
      },
    });
    return responseView(trx, campaign, target.id);
  });
}

/**
 * Replaces a keyed form by a corrected copy, in one transaction: the original `replaced` (out
 * of the scores), and a new valid response at the same counter, in the same mode, with the
 * form's number, the corrected answers, and `replaces` naming the original. The copy obeys the
 * rules of keying in a form; it can itself be replaced.
 */
export async function replaceForm(
  db: Kysely<Database>,
  principal: Principal,
  campaignCode: string,
  id: string,
  input: z.input<typeof replaceSchema>,
): Promise<z.output<typeof replacedSchema>> {
  const message = text('Không thay thế được phiếu.', 'The form cannot be replaced.');
  const change = parseInput(replaceSchema, input, message);
  return db.transaction().execute(async (trx) => {
    const { campaign, before, ...target } = await correctable(trx, principal, campaignCode, id);
    const [row] = await responses.findResponses(trx, campaign.id, { ids: [target.id] });
    if (!row)
      throw notFound(
        text(
          `Không có phiếu ${id} trong đợt khảo sát ${campaign.code}.`,
          `No response ${id} in campaign ${campaign.code}.`,
        ),
      );
    const errors: FieldError[] = [];
    const submittedAt =
      change.submittedAt === undefined ? row.submitted_at : parseInstant(change.submittedAt);
    if (!submittedAt) {
      errors.push({
        path: 'submittedAt',
        message: text(
          `${change.submittedAt ?? ''} không phải ngày hoặc ngày giờ theo ISO 8601`,
          `${change.submittedAt ?? ''} is not an ISO 8601 date or date-time`,
        ),
      });
    } else {
      const day = vietnamDate(submittedAt);
      if (day < campaign.startsOn || day > campaign.endsOn) {
        errors.push({
          path: 'submittedAt',
          message: text(
            `ngoài thời gian của đợt khảo sát, từ ${campaign.startsOn} đến ${campaign.endsOn} (giờ Việt Nam)`,
            `outside the campaign's period, ${campaign.startsOn} to ${campaign.endsOn} (Vietnam time)`,
          ),
        });
      }
    }
    const encoded = encodeAnswers(campaign.instrument, change.answers);
    errors.push(...encoded.errors);
    if (errors.length > 0 || !submittedAt) throw invalid(message, errors);

    await withdrawFromTallies(trx, campaign, target.id);
    await responses.voidResponse(trx, target.id, { status: 'replaced', reason: change.reason });
    const copyId = await responses.insertReplacement(trx, {
      online_id: null,
      source_id: row.source_id,
      campaign_id: campaign.id,
      counter_id: row.counter_id,
      instrument_id: campaign.instrument.id,
      mode: row.mode,
      submitted_at: submittedAt,
      service_area: change.serviceArea === undefined ? row.service_area : change.serviceArea,
      answers: encoded.answers,
      texts: encoded.texts === null ? null : JSON.stringify(encoded.texts),
      status: 'valid',
      reason: null,
      released_at: null,
      replaces: target.id,
    });
    await addToTallies(trx, campaign, copyId);
    const replacement = await responseView(trx, campaign, copyId);
    await audit.recordAudit(trx, {
      actor: principal.actor.id,
      action: 'response.replace',
      subject: `response:${id}`,
      detail: {
        campaign: campaign.code,
        responseId: before.responseId,
        counter: before.counter,
        reason: change.reason,
        replacement: replacement.id,
        before: { status: before.status, submittedAt: before.submittedAt, answers: before.answers },
        after: {
          status: 'replaced',
          submittedAt: replacement.submittedAt,
          answers: replacement.answers,
        },
      },
    });
    return { original: await responseView(trx, campaign, target.id), replacement };
  });
}

/**
 * The id of the campaign's form numbered `responseId` that staff may correct now (after a
 * replacement, its corrected copy): 404 when no form has the number, 409 when none of its
 * forms may be corrected, saying what they are. The command line names a form so, as the
 * files it reads and writes do (`response_id`).
 */
export async function correctableFormId(
  db: Kysely<Database>,
  principal: Principal,
  campaignCode: string,
  responseId: string,
): Promise<string> {
  const forms = await findForms(db, principal, campaignCode, { responseId });
  const open = forms.find((form) => form.correctable);
  if (open) return open.id;
  if (forms.length === 0) {
    throw notFound(
      text(
        `Không có phiếu số ${responseId} trong đợt khảo sát ${campaignCode}.`,
        `No form numbered ${responseId} in campaign ${campaignCode}.`,
      ),
    );
  }
  const seen = forms.map((form) => `${form.id} ${form.mode} ${form.status}`).join('; ');
  throw conflict(
    text(
      `Phiếu số ${responseId} không thể hủy hoặc thay thế (${seen}): chỉ phiếu được nhập lại ` +
        'còn đang tính hoặc đang cách ly mới sửa được.',
      `Form ${responseId} cannot be voided or replaced (${seen}): only a keyed form, valid or ` +
        'quarantined, can be corrected.',
    ),
  );
}
