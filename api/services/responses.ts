// The responses CSV (interchange §1): import, all or nothing, streamed in batches inside one
// transaction; export in the same columns, so that an export imports back unchanged; and the
// quarantine of suspect survey answers (spec §7).
import { setImmediate } from 'node:timers/promises';
import type { Readable, Writable } from 'node:stream';
import type { Kysely, Transaction } from 'kysely';
import * as z from 'zod';
import { bulkTransaction, type Copy } from '../../db/copy.ts';
import type { Database, Db, ResponseMode, ResponseStatus } from '../../db/database.ts';
import * as audit from '../../db/repositories/audit.ts';
import * as responses from '../../db/repositories/responses.ts';
import { quarantineCounts } from '../../analysis/queries/index.ts';
import { isMode, MODES, RESPONSE_ID_MAX } from '../../shared/rules.ts';
import {
  alsoOnLine,
  conflict,
  DomainError,
  invalid,
  longerThan,
  parseInput,
  required,
  text,
  type FieldError,
  type Text,
} from '../errors.ts';
import {
  answerColumns,
  cellsEncoder,
  decodeAnswers,
  encodeAnswers,
  type EncodedAnswers,
} from './answers.ts';
import {
  campaignByCode,
  campaignCounters,
  notInCampaign,
  outsideReach,
  type Campaign,
} from './campaigns/index.ts';
import { campaignReach, type CampaignReach, type Principal } from './access.ts';
import {
  at,
  columnName,
  csvRecords,
  CsvSyntaxError,
  type Delimiter,
  emptyFile,
  headerProblems,
  ImportProblems,
  MAX_LISTED_PROBLEMS,
  recordProblem,
  semicolonHeaderProblem,
} from './csv.ts';
import { formatVietnamTime, parseInstant, vietnamDate } from './vietnam-time.ts';
import {
  type Cell,
  neutralise,
  type SheetFormat,
  unneutralise,
  writeTable,
} from './spreadsheet.ts';

/** A counter of the campaign outside a scoped principal's reach, named. */
const counterOutsideReach = (counter: string, reach: CampaignReach): Text =>
  text(
    `quầy ${counter} nằm ${outsideReach(reach).vi}`,
    `counter ${counter} is ${outsideReach(reach).en}`,
  );

export const FIXED_COLUMNS = [
  'response_id',
  'counter',
  'submitted_at',
  'mode',
  'service_area',
] as const;
const REQUIRED_COLUMNS = ['counter', 'submitted_at', 'mode'];
const responseNotValid = text('Phiếu trả lời không hợp lệ.', 'The response is not valid.');
const nothingReleased = text('Không phiếu nào được giải phóng.', 'Nothing was released.');

const notInstant = (given: string) =>
  text(
    `${given} không phải ngày hoặc thời điểm ISO 8601`,
    `${given} is not an ISO 8601 date or date-time`,
  );

/** Outside the campaign's days, said of the value given (a file's cell) or of the field. */
function outsidePeriod(campaign: Campaign, given?: string): Text {
  const { startsOn, endsOn } = campaign;
  return text(
    `${given === undefined ? '' : `${given} `}nằm ngoài thời gian của đợt khảo sát, ${startsOn} đến ${endsOn} (giờ Việt Nam)`,
    `${given === undefined ? '' : `${given} is `}outside the campaign's period, ${startsOn} to ${endsOn} (Vietnam time)`,
  );
}

/** Rows read between progress reports; rows a page of an export. */
const BATCH_SIZE = 1_000;
/** Rows an import stores at once: one COPY (PostgreSQL) or one statement (PGlite). */
const STORE_BATCH_SIZE = 5 * BATCH_SIZE;
/** Batches an import has read and checked that may wait for their turn to be stored. */
const STORES_AHEAD = 4;
/** Rows an import stores before the planner's statistics are brought up to date. */
const ANALYZE_AFTER_ROWS = BATCH_SIZE;
/** Rows read between turns of the event loop. */
const YIELD_ROWS = 100;

export interface ImportOptions {
  /** Validate (duplicates included) without storing. */
  dryRun?: boolean;
  /** Skip columns that are neither a response field nor an item of the instrument. */
  ignoreUnknown?: boolean;
  /** The CSV's separator; found on its first line when not told (csv.ts csvRecords). */
  delimiter?: Delimiter | undefined;
  /** Called every 1,000 data rows read, and after the last, with the number read so far. */
  onProgress?: (rows: number) => void;
}

export interface ImportResult {
  /** Rows stored (with dryRun: rows that would be stored). */
  stored: number;
  /** Response ids already stored in the campaign: skipped, not an error. */
  duplicates: string[];
}

interface Layout {
  header: string[];
  fixed: Record<(typeof FIXED_COLUMNS)[number], number>;
  items: [code: string, index: number][];
  /** Checks and encodes a row's answer cells, in the order of `items`. */
  encode: (cells: readonly string[]) => EncodedAnswers;
  /** Where "no answers at all" is reported. */
  answersColumn: string;
}

interface PendingRow {
  line: number;
  sourceId: string | null;
  /** Null when the row has problems. */
  response: responses.ImportedResponse | null;
}

function layoutOf(
  header: string[],
  campaign: Campaign,
  ignoreUnknown: boolean,
): { layout: Layout; problems: FieldError[] } {
  const semicolons = semicolonHeaderProblem(header);
  const problems = semicolons ? [semicolons] : headerProblems(header, REQUIRED_COLUMNS);
  const items = new Set(answerColumns(campaign.instrument));
  const index = (name: string) => header.indexOf(name);
  const itemColumns = header.flatMap((name, i): [string, number][] =>
    items.has(name) ? [[name, i]] : [],
  );
  const layout: Layout = {
    header,
    fixed: {
      response_id: index('response_id'),
      counter: index('counter'),
      submitted_at: index('submitted_at'),
      mode: index('mode'),
      service_area: index('service_area'),
    },
    items: itemColumns,
    encode: cellsEncoder(
      campaign.instrument,
      itemColumns.map(([code]) => code),
    ),
    answersColumn: header.find((name) => items.has(name)) ?? 'answers',
  };
  const fixed = new Set<string>(FIXED_COLUMNS);
  if (!ignoreUnknown && !semicolons) {
    for (const name of header) {
      if (name !== '' && !fixed.has(name) && !items.has(name)) {
        problems.push({
          path: at(1, name),
          message: text(
            `cột không xác định: không phải trường của phiếu, cũng không phải câu hỏi của ${campaign.instrument.code}`,
            `unknown column: neither a response field nor an item of ${campaign.instrument.code}`,
          ),
        });
      }
    }
  }
  return { layout, problems };
}

/** Validates one data row; reports its problems and returns what to store, if anything. */
function readRow(
  fields: string[],
  line: number,
  context: {
    layout: Layout;
    campaign: Campaign;
    counters: ReadonlyMap<string, number>;
    reach: CampaignReach;
    report: (problem: FieldError) => void;
  },
): PendingRow {
  const { layout, campaign, counters, reach, report } = context;
  const problem = (column: string, message: Text) => report({ path: at(line, column), message });
  const fixed = (name: (typeof FIXED_COLUMNS)[number]) =>
    unneutralise((fields[layout.fixed[name]] ?? '').trim());

  const rawId = fixed('response_id');
  const sourceId = rawId === '' ? null : rawId;
  const pending: PendingRow = { line, sourceId, response: null };
  const unreadable = recordProblem(layout.header, { line, fields });
  if (unreadable) {
    report(unreadable);
    return pending;
  }
  let valid = true;
  const fail = (column: string, message: Text) => {
    problem(column, message);
    valid = false;
  };

  // The limit counts characters: a string no longer in UTF-16 units is within it, uncounted.
  if (
    sourceId !== null &&
    sourceId.length > RESPONSE_ID_MAX &&
    [...sourceId].length > RESPONSE_ID_MAX
  ) {
    fail('response_id', longerThan(RESPONSE_ID_MAX));
  }
  const counterCode = fixed('counter');
  const counterId = counters.get(counterCode);
  if (counterCode === '') fail('counter', required);
  else if (counterId === undefined) {
    fail('counter', notInCampaign(counterCode, campaign.code));
  } else if (reach.counterIds !== null && !reach.counterIds.includes(counterId)) {
    fail('counter', counterOutsideReach(counterCode, reach));
  }
  const submittedText = fixed('submitted_at');
  const submittedAt = parseInstant(submittedText);
  if (submittedText === '') fail('submitted_at', required);
  else if (!submittedAt) fail('submitted_at', notInstant(submittedText));
  else {
    const day = vietnamDate(submittedAt);
    if (day < campaign.startsOn || day > campaign.endsOn) {
      fail('submitted_at', outsidePeriod(campaign, submittedText));
    }
  }
  const modeText = fixed('mode');
  const mode = isMode(modeText) ? modeText : undefined;
  if (modeText === '') fail('mode', required);
  else if (!mode) {
    fail(
      'mode',
      text(
        `${modeText} không phải một trong ${MODES.join(', ')}`,
        `${modeText} is not one of ${MODES.join(', ')}`,
      ),
    );
  }
  const serviceArea = fixed('service_area');

  const encoded = layout.encode(layout.items.map(([, i]) => unneutralise(fields[i] ?? '')));
  for (const error of encoded.errors) {
    const column =
      error.path === 'answers' ? layout.answersColumn : error.path.replace(/^answers\./, '');
    fail(column, error.message);
  }
  if (!valid || counterId === undefined || !submittedAt || !mode) return pending;
  pending.response = {
    sourceId,
    counterId,
    mode,
    submittedAt,
    serviceArea: serviceArea === '' ? null : serviceArea,
    answers: encoded.answers,
    texts: encoded.texts === null ? null : JSON.stringify(encoded.texts),
  };
  return pending;
}

/** Ends a dry run's transaction, which stored the rows only to count them, with its result. */
class DryRunResult extends Error {
  constructor(readonly result: ImportResult) {
    super('dry run');
  }
}

/**
 * Imports a responses CSV into the campaign: every row valid and stored in one transaction,
 * or nothing stored and one DomainError listing every problem as `line N, column C`. A dry
 * run does the same, then rolls back.
 */
export async function importResponses(
  db: Kysely<Database>,
  principal: Principal,
  campaignCode: string,
  input: Readable,
  options: ImportOptions = {},
): Promise<ImportResult> {
  let result: ImportResult;
  try {
    result = await bulkTransaction(db, async (trx, copy) => {
      const reach = await campaignReach(trx, principal, campaignCode);
      const { campaign, rows, stored, duplicates } = await importInto(
        trx,
        copy,
        reach,
        campaignCode,
        input,
        options,
      );
      if (options.dryRun) throw new DryRunResult({ stored, duplicates });
      await audit.recordAudit(trx, {
        actor: principal.actor.id,
        action: 'responses.import',
        subject: campaign,
        detail: { rows, stored, duplicates: duplicates.length },
      });
      return { stored, duplicates };
    });
  } catch (error) {
    if (!(error instanceof DryRunResult)) throw error;
    return error.result;
  }
  if (result.stored >= ANALYZE_AFTER_ROWS) {
    // Stored already: a failure here leaves the statistics to autovacuum, not the import undone.
    await responses.analyzeResponses(db).catch(() => {});
  }
  return result;
}

async function importInto(
  trx: Transaction<Database>,
  copy: Copy | undefined,
  reach: CampaignReach,
  campaignCode: string,
  input: Readable,
  options: ImportOptions,
): Promise<ImportResult & { campaign: string; rows: number }> {
  const campaign = await campaignByCode(trx, campaignCode);
  const counters = new Map((await campaignCounters(trx, campaign.id)).map((c) => [c.code, c.id]));
  await responses.createImportIdTable(trx);

  const problems = new ImportProblems();
  const report = (problem: FieldError) => problems.add(problem);
  // Rows whose response id was stored already: skipped, and duplicates unless they repeat
  // an earlier line of the file, which the end's check tells.
  const skipped: string[] = [];
  let stored = 0;
  let rows = 0;
  let batch: PendingRow[] = [];

  const store = async (pending: PendingRow[]) => {
    const ids = pending.flatMap((row) =>
      row.sourceId === null ? [] : [{ sourceId: row.sourceId, line: row.line }],
    );
    // After the first problem nothing more is inserted: the transaction will roll back.
    if (problems.count > 0) await responses.rememberImportIds(trx, ids);
    else {
      const valid = pending.flatMap((row) => (row.response ? [row.response] : []));
      const outcome = await responses.storeImportBatch(
        trx,
        copy,
        { id: campaign.id, instrumentId: campaign.instrument.id },
        ids,
        valid,
      );
      stored += outcome.inserted;
      skipped.push(...outcome.skipped);
    }
  };
  // Batches are stored while the next ones are read and checked: the database and this process
  // work at the same time. The transaction has one connection, so the batches take turns, a
  // few waiting at most: either side may run ahead of the other for a while, neither waits for
  // the other batch by batch.
  let storing: Promise<void> = Promise.resolve();
  const waiting: Promise<void>[] = [];
  const flush = async () => {
    const pending = batch;
    batch = [];
    if (pending.length === 0) return;
    if (waiting.length >= STORES_AHEAD) await waiting.shift();
    // After a failure the batches behind it are not stored: the failure is thrown.
    storing = storing.then(() => store(pending));
    waiting.push(storing);
    // Awaited in turn or at the end; marked handled meanwhile.
    storing.catch(() => {});
  };

  let layout: Layout | undefined;
  try {
    for await (const record of csvRecords(input, options.delimiter)) {
      if (!layout) {
        const header = record.fields.map((name) => name.trim());
        const checked = layoutOf(header, campaign, options.ignoreUnknown === true);
        checked.problems.forEach((problem) => problems.add(problem));
        problems.throwIfAny();
        layout = checked.layout;
        continue;
      }
      rows++;
      batch.push(
        readRow(record.fields, record.line, { layout, campaign, counters, reach, report }),
      );
      if (rows % BATCH_SIZE === 0) options.onProgress?.(rows);
      // The rows of a chunk of the file arrive without a turn of the event loop in between:
      // a turn now and then lets the batch being stored hear from the database and go on.
      if (rows % YIELD_ROWS === 0) await setImmediate();
      if (batch.length >= STORE_BATCH_SIZE) await flush();
    }
  } catch (error) {
    if (!(error instanceof CsvSyntaxError)) {
      // Nothing may use the transaction's connection once this callback has ended.
      await storing.catch(() => {});
      throw error;
    }
    report({
      path: at(error.line, columnName(layout?.header ?? [], error.field)),
      message: error.reason,
    });
  }
  if (rows % BATCH_SIZE !== 0) options.onProgress?.(rows);
  await flush();
  await storing;
  // A repeated id is skipped by the insert like a stored one, or is on a line with problems:
  // with neither, the file has no repeats.
  if (problems.count > 0 || skipped.length > 0) {
    const repeated = await responses.findRepeatedImportIds(trx, MAX_LISTED_PROBLEMS);
    for (const { source_id: id, line, first } of repeated.lines) {
      report({ path: at(line, 'response_id'), message: alsoOnLine(id, first) });
    }
    problems.addUnlisted(repeated.count - repeated.lines.length);
  }
  if (!layout && problems.count === 0) report({ path: 'line 1', message: emptyFile });
  problems.throwIfAny();
  return { campaign: campaign.code, rows, stored, duplicates: skipped };
}

export interface ExportOptions {
  format: SheetFormat;
  /** Adds quarantined responses and the `status` and `reason` columns. */
  includeQuarantined?: boolean;
  /**
   * Adds voided and replaced forms and the `status` and `reason` columns (for these, the
   * reason they were voided).
   */
  includeVoided?: boolean;
  /** Called after each page with the number of responses written so far. */
  onProgress?: (rows: number) => void;
}

const textsSchema = z.record(z.string(), z.string()).nullable();

/** The header, then one row of cells per response, a page of rows at a time. */
async function* exportRows(
  db: Db,
  campaign: Campaign,
  only: readonly number[] | null,
  { includeQuarantined = false, includeVoided = false, onProgress }: Omit<ExportOptions, 'format'>,
): AsyncGenerator<Cell[]> {
  const statuses: ResponseStatus[] = [
    'valid',
    ...(includeQuarantined ? (['quarantined'] as const) : []),
    ...(includeVoided ? (['voided', 'replaced'] as const) : []),
  ];
  const withStatus = statuses.length > 1;
  yield [
    ...FIXED_COLUMNS,
    ...answerColumns(campaign.instrument),
    ...(withStatus ? ['status', 'reason'] : []),
  ];
  let after: number | null = null;
  let written = 0;
  for (;;) {
    const page = await responses.responsesPage(db, campaign.id, {
      after,
      limit: BATCH_SIZE,
      statuses,
      only,
    });
    for (const row of page) {
      const cells: Cell[] = [
        row.source_id,
        row.counter,
        row.submitted_at,
        row.mode,
        row.service_area,
        ...decodeAnswers(campaign.instrument, row.answers, textsSchema.parse(row.texts)),
        ...(withStatus ? [row.status, row.void_reason ?? row.reason] : []),
      ];
      yield cells.map(neutralise);
    }
    written += page.length;
    onProgress?.(written);
    const last = page.at(-1);
    if (page.length < BATCH_SIZE || !last) return;
    after = last.id;
  }
}

/**
 * Writes the campaign's valid responses (and quarantined ones, if asked) at the counters
 * within the principal's reach in the import's columns, streaming page by page, and ends
 * `output`.
 */
export async function exportResponses(
  db: Kysely<Database>,
  principal: Principal,
  campaignCode: string,
  options: ExportOptions,
  output: Writable,
): Promise<void> {
  const reach = await campaignReach(db, principal, campaignCode);
  const campaign = await campaignByCode(db, campaignCode);
  const rows = exportRows(db, campaign, reach.counterIds, options);
  await writeTable(options.format, rows, output, campaign.code);
}

export interface QuarantinedResponse {
  id: string;
  responseId: string | null;
  counter: string;
  submittedAt: string;
  receivedAt: string;
  mode: ResponseMode;
  reason: string | null;
}

/** The most quarantined responses a page lists. */
export const QUARANTINE_PAGE_MAX = 1000;

export const quarantinePageSchema = z.strictObject({
  /** The id of the previous page's last response. */
  after: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  /** Without it, every one. */
  limit: z.coerce.number().int().min(1).max(QUARANTINE_PAGE_MAX).optional(),
});

/**
 * The campaign's quarantined responses at the counters within reach, oldest first: all of
 * them, or a page of `limit` after the response `after` (keyset paging).
 */
export async function listQuarantined(
  db: Kysely<Database>,
  principal: Principal,
  campaignCode: string,
  query: z.input<typeof quarantinePageSchema> = {},
): Promise<QuarantinedResponse[]> {
  const { after, limit } = parseInput(
    quarantinePageSchema,
    query,
    text('Trang không hợp lệ.', 'The page is not valid.'),
  );
  const reach = await campaignReach(db, principal, campaignCode);
  const rows = await responses.listQuarantinedResponses(
    db,
    reach.campaignId,
    reach.counterIds,
    limit === undefined ? undefined : { after: after ?? null, limit },
  );
  return rows.map((row) => ({
    id: String(row.id),
    responseId: row.online_id ?? row.source_id,
    counter: row.counter,
    submittedAt: formatVietnamTime(row.submitted_at),
    receivedAt: formatVietnamTime(row.received_at),
    mode: row.mode,
    reason: row.reason,
  }));
}

const quarantineCountSchema = z.object({
  /** A reason (null for a response quarantined before reasons were kept), or a counter code. */
  key: z.string().nullable(),
  responses: z.number().int().nonnegative(),
});

export const quarantineSummarySchema = z.object({
  /** Every quarantined response at the counters within reach. */
  total: z.number().int().nonnegative(),
  /** Most first, then by reason. */
  byReason: z.array(quarantineCountSchema),
  /** Most first, then by counter code. */
  byCounter: z.array(quarantineCountSchema.extend({ key: z.string() })),
});
export type QuarantineSummary = z.output<typeof quarantineSummarySchema>;

/** Totals of the cells, most first, then by key. */
function totals<K extends string | null>(cells: readonly { key: K; responses: number }[]) {
  const sums = new Map<K, number>();
  for (const { key, responses: n } of cells) sums.set(key, (sums.get(key) ?? 0) + n);
  return [...sums]
    .map(([key, n]) => ({ key, responses: n }))
    .sort((a, b) => b.responses - a.responses || (a.key ?? '').localeCompare(b.key ?? ''));
}

/**
 * The campaign's quarantined responses at the counters within reach, counted by reason and by
 * counter in the database (analysis/queries/quarantine-counts.sql): the review's tables,
 * whichever page of the list is shown.
 */
export async function quarantineSummary(
  db: Kysely<Database>,
  principal: Principal,
  campaignCode: string,
): Promise<QuarantineSummary> {
  const reach = await campaignReach(db, principal, campaignCode);
  const cells = await quarantineCounts(db, reach.campaignId, reach.counterIds);
  return {
    total: cells.reduce((n, cell) => n + cell.responses, 0),
    byReason: totals(cells.map((cell) => ({ key: cell.reason, responses: cell.responses }))),
    byCounter: totals(cells.map((cell) => ({ key: cell.counter, responses: cell.responses }))),
  };
}

/** The longest note a release keeps. */
export const RELEASE_NOTE_MAX = 1000;

/**
 * Releases quarantined responses into the scores: status valid, released_at set, the reason
 * kept, and the reviewer's note (why they are genuine) in each one's audit entry. All or
 * nothing: an unknown id or one not quarantined releases none. An admin's alone: a response's
 * id says nothing of the unit it belongs to.
 */
export async function releaseQuarantined(
  db: Kysely<Database>,
  principal: Principal,
  ids: string[],
  note: string | null = null,
): Promise<{ released: number }> {
  if (principal.role !== 'admin') {
    throw new DomainError(
      'forbidden',
      text(
        `Vai trò ${principal.role} không được trả phiếu về.`,
        `Role ${principal.role} may not release responses.`,
      ),
    );
  }
  const unique = [...new Set(ids)];
  const errors: FieldError[] = unique
    .filter((id) => !/^[1-9]\d{0,14}$/.test(id))
    .map((id) => ({ path: id, message: text('không phải mã phiếu trả lời', 'not a response id') }));
  if (unique.length === 0) errors.push({ path: 'ids', message: required });
  const noteText = note?.trim() ?? '';
  if ([...noteText].length > RELEASE_NOTE_MAX) {
    errors.push({ path: 'note', message: longerThan(RELEASE_NOTE_MAX) });
  }
  if (errors.length > 0) throw invalid(nothingReleased, errors);
  return db.transaction().execute(async (trx) => {
    const numeric = unique.map(Number);
    const found = new Map(
      (await responses.lockResponses(trx, numeric)).map((row) => [String(row.id), row]),
    );
    for (const id of unique) {
      const row = found.get(id);
      if (!row)
        errors.push({ path: id, message: text('không có phiếu trả lời này', 'no such response') });
      else if (row.status !== 'quarantined') {
        errors.push({ path: id, message: text('không nằm trong diện cách ly', 'not quarantined') });
      }
    }
    if (errors.length > 0) throw invalid(nothingReleased, errors);
    await responses.releaseResponses(trx, numeric);
    for (const id of unique) {
      const row = found.get(id);
      await audit.recordAudit(trx, {
        actor: principal.actor.id,
        action: 'response.release',
        subject: `response:${id}`,
        detail: {
          campaign: row?.campaign_id ?? null,
          reason: row?.reason ?? null,
          note: noteText === '' ? null : noteText,
        },
      });
    }
    return { released: unique.length };
  });
}

// Keying in one paper form (spec §2: a survey unit enters paper forms): the rules of a row of
// the responses CSV (interchange §1), as JSON, one response at a time.

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
  principal: Principal,
  campaignCode: string,
  input: z.input<typeof enteredResponseSchema>,
): Promise<EnteredReply> {
  const entry = parseInput(enteredResponseSchema, input, responseNotValid);
  return db.transaction().execute(async (trx) => {
    const reach = await campaignReach(trx, principal, campaignCode);
    const campaign = await campaignByCode(trx, campaignCode);
    const counter = (await campaignCounters(trx, campaign.id)).find(
      (c) => c.code === entry.counter,
    );
    const errors: FieldError[] = [];
    if (!counter) {
      errors.push({
        path: 'counter',
        message: notInCampaign(entry.counter, campaign.code),
      });
    } else if (reach.counterIds !== null && !reach.counterIds.includes(counter.id)) {
      errors.push({
        path: 'counter',
        message: counterOutsideReach(entry.counter, reach),
      });
    }
    const submittedAt = parseInstant(entry.submittedAt);
    if (!submittedAt) {
      errors.push({
        path: 'submittedAt',
        message: notInstant(entry.submittedAt),
      });
    } else {
      const day = vietnamDate(submittedAt);
      if (day < campaign.startsOn || day > campaign.endsOn) {
        errors.push({
          path: 'submittedAt',
          message: outsidePeriod(campaign),
        });
      }
    }
    const encoded = encodeAnswers(campaign.instrument, entry.answers);
    errors.push(...encoded.errors);
    if (errors.length > 0 || !counter || !submittedAt) throw invalid(responseNotValid, errors);
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
        text(
          `Phiếu trả lời ${entry.responseId ?? ''} đã được lưu trong đợt khảo sát ${campaign.code}.`,
          `Response ${entry.responseId ?? ''} is stored in campaign ${campaign.code} already.`,
        ),
      );
    }
    await audit.recordAudit(trx, {
      actor: principal.actor.id,
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
