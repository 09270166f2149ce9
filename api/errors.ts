// The one error vocabulary of the service. Services throw DomainError with a code from this
// closed set and a message in both languages (shared/text.ts); the HTTP layer turns it into
// problem+json once, in the language the request asks for (api/routes/problem.ts), and the
// command line into a report on stderr with exit status 1 (api/cli/run.ts).
import * as z from 'zod';
import type { ZodError, ZodType } from 'zod';
import { en as enMessages, vi as viMessages } from 'zod/locales';
import {
  ISSUE_TEXT_KEY,
  isText,
  joinTexts,
  keepText,
  text,
  type Language,
  type Text,
} from '../shared/text.ts';

export { says, text, type Language, type Text } from '../shared/text.ts';

export const errorStatus = {
  'bad-request': 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  timeout: 408,
  conflict: 409,
  gone: 410,
  'too-large': 413,
  'unsupported-media-type': 415,
  invalid: 422,
  'too-many-requests': 429,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export interface FieldError {
  /** Dotted path of the offending field, e.g. `answers.TC1`, or `line 4, column TC1`. */
  path: string;
  message: Text;
}

export class DomainError extends Error {
  /**
   * `message` is the English text, for logs and the stack; a person reads `text` in their
   * language.
   */
  constructor(
    readonly code: ErrorCode,
    readonly text: Text,
    readonly errors: FieldError[] = [],
  ) {
    super(text.en);
    this.name = 'DomainError';
  }
}

/** 429: the client is to wait `retryAfterSeconds` before sending again (Retry-After). */
export class TooManyRequests extends DomainError {
  constructor(
    message: Text,
    readonly retryAfterSeconds: number,
  ) {
    super('too-many-requests', message);
  }
}

export const invalid = (message: Text, errors: FieldError[] = []) =>
  new DomainError('invalid', message, errors);
export const notFound = (message: Text) => new DomainError('not-found', message);
export const conflict = (message: Text) => new DomainError('conflict', message);

/** An error in one language, as a person reads it (the command line, a log). */
export const inLanguage = (error: DomainError, language: Language) => ({
  detail: error.text[language],
  errors: error.errors.map((e) => ({ path: e.path, message: e.message[language] })),
});

// zod's own messages, through its Vietnamese and English locales, kept on the issue at the
// moment it is made (when the input, which a message may describe, is still at hand).
const viLocale = viMessages().localeError;
const enLocale = enMessages().localeError;

const messageOf = (made: ReturnType<typeof viLocale>): string | undefined =>
  typeof made === 'string' ? made : made?.message;

z.config({
  customError: (issue) =>
    keepText(issue, text(messageOf(viLocale(issue)) ?? '', messageOf(enLocale(issue)) ?? '')),
});

/**
 * The text of a zod issue: kept by `says` or the locales above, or given as `params.text` by a
 * refinement that adds its own issue. A message that came any other way is shown as it is in
 * both languages.
 */
export function issueText(issue: z.core.$ZodIssue): Text {
  const kept: unknown = Reflect.get(issue, ISSUE_TEXT_KEY);
  if (isText(kept)) return kept;
  const params: unknown = issue.code === 'custom' ? issue.params : undefined;
  const given: unknown = typeof params === 'object' && params ? Reflect.get(params, 'text') : 0;
  if (isText(given)) return given;
  return text(issue.message, issue.message);
}

/**
 * zod issues as field errors with dotted paths (`answers.TC1`); an unknown key is named on
 * its own path, so that a client sees which field to drop.
 */
export function fieldErrorsFromZod(error: ZodError, prefix: readonly string[] = []): FieldError[] {
  return error.issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path.map(String)];
    const at = (parts: string[]) => parts.join('.') || '(body)';
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: at([...path, key]),
        message: text('trường không được chấp nhận', 'unknown field'),
      }));
    }
    return [{ path: at(path), message: issueText(issue) }];
  });
}

/** The input as `schema` parses it, or 422 `message` naming each bad field. */
export function parseInput<S extends ZodType>(
  schema: S,
  input: unknown,
  message: Text,
): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw invalid(message, fieldErrorsFromZod(result.error));
  return result.data;
}

// What can hold a row back from deletion (db/repositories: unitReferences, counterReferences).
const kinds = {
  children: text('đơn vị trực thuộc', 'child units'),
  counters: text('quầy', 'counters'),
  lineage: text('quan hệ sáp nhập, chia tách', 'lineage edges'),
  accounts: text('tài khoản', 'accounts'),
  points: text('điểm PAR', 'PAR points'),
  plans: text('kế hoạch khắc phục', 'remediation plans'),
  campaigns: text('đợt khảo sát', 'campaigns'),
  responses: text('phiếu trả lời', 'responses'),
} satisfies Record<string, Text>;

/**
 * Refuses to delete what something still refers to, counting the references by kind
 * (`{ counters: 2, responses: 0 }` → "Unit X is in use (2 counters); it stays.").
 */
export function refuseIfReferenced(
  what: Text,
  references: Partial<Record<keyof typeof kinds, number>>,
): void {
  const held = Object.entries(kinds).flatMap(([kind, name]) => {
    const n = references[kind as keyof typeof kinds] ?? 0;
    return n > 0 ? [text(`${n} ${name.vi}`, `${n} ${name.en}`)] : [];
  });
  if (held.length > 0) {
    const list = joinTexts(held, ', ');
    throw conflict(
      text(
        `${what.vi} đang được sử dụng (${list.vi}); không thể xoá.`,
        `${what.en} is in use (${list.en}); it stays.`,
      ),
    );
  }
}

// The things a code names, for the messages about a code that names nothing.
const named = {
  unit: text('đơn vị', 'unit'),
  counter: text('quầy', 'counter'),
  campaign: text('đợt khảo sát', 'campaign'),
  instrument: text('bộ câu hỏi', 'instrument'),
  framework: text('khung chỉ số PAR', 'PAR framework'),
  officialInstrument: text('bộ câu hỏi điều tra cán bộ', "officials' instrument"),
  officialSurvey: text('cuộc điều tra cán bộ', "officials' survey"),
} satisfies Record<string, Text>;

/** A field's message for a code that names nothing: "unknown unit X". */
export const unknownCode = (kind: keyof typeof named, code: string): Text =>
  text(`không có ${named[kind].vi} ${code}`, `unknown ${named[kind].en} ${code}`);

/** 404 for a code that names nothing: "Unknown unit X." */
export const unknown = (kind: keyof typeof named, code: string) =>
  notFound(text(`Không tìm thấy ${named[kind].vi} ${code}.`, `Unknown ${named[kind].en} ${code}.`));

/** A field's message for a value left out. */
export const required = text('bắt buộc', 'required');

/** A field's message for a code given twice in one file. */
export const alsoOnLine = (code: string, line: number): Text =>
  text(`${code} đã có ở dòng ${line}`, `${code} is also on line ${line}`);

/** A field's message for text over `max` characters. */
export const longerThan = (max: number): Text =>
  text(`dài hơn ${max} ký tự`, `longer than ${max} characters`);
