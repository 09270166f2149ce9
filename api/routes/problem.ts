// The one error shape of the API: problem+json (RFC 9457), mapped once for every route.
import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { isDatabaseUnavailable } from '../../db/errors.ts';
import { detectFromHeader, type DetectorOptions } from 'hono/language';
import { languages, text, type Language, type Text } from '../../shared/text.ts';
import { DomainError, errorStatus, TooManyRequests, type FieldError } from '../errors.ts';
import type { AppEnv } from './env.ts';

const titles: Record<number, Text> = {
  400: text('Yêu cầu không hợp lệ', 'Bad request'),
  401: text('Chưa xác thực', 'Unauthorized'),
  403: text('Không có quyền', 'Forbidden'),
  404: text('Không tìm thấy', 'Not found'),
  405: text('Phương thức không được hỗ trợ', 'Method not allowed'),
  408: text('Hết thời gian chờ', 'Request timeout'),
  409: text('Xung đột', 'Conflict'),
  410: text('Không còn hiệu lực', 'Gone'),
  413: text('Nội dung quá lớn', 'Payload too large'),
  415: text('Định dạng không được hỗ trợ', 'Unsupported media type'),
  422: text('Dữ liệu không hợp lệ', 'Invalid input'),
  429: text('Quá nhiều yêu cầu', 'Too many requests'),
  500: text('Lỗi máy chủ', 'Internal server error'),
  503: text('Dịch vụ tạm thời không sẵn sàng', 'Service unavailable'),
};
const anyError = text('Lỗi', 'Error');

/** A field error as sent: its message in the reply's language. */
export interface ProblemFieldError {
  path: string;
  message: string;
}

/** The body of every refusal (RFC 9457); `errors` names each offending field. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: ProblemFieldError[];
}

// English for a client that asks for no language (scripts, curl: the API's language before
// issue 14); the console and the survey page ask for theirs.
const negotiation: DetectorOptions = {
  order: ['header'],
  lookupFromHeaderKey: 'accept-language',
  supportedLanguages: [...languages],
  fallbackLanguage: 'en',
  ignoreCase: true,
  caches: false,
  lookupQueryString: 'lang',
  lookupCookie: 'language',
  lookupFromPathIndex: 0,
};

/** The language of the reply: the first of Accept-Language's that the service speaks. */
export function replyLanguage(c: Context): Language {
  return detectFromHeader(c, negotiation) === 'vi' ? 'vi' : 'en';
}

export function problem(
  c: Context,
  status: ContentfulStatusCode,
  detail: Text,
  errors?: FieldError[],
): Response {
  const language = replyLanguage(c);
  const body: Problem = {
    type: 'about:blank',
    title: (titles[status] ?? anyError)[language],
    status,
    detail: detail[language],
    ...(errors && errors.length > 0
      ? { errors: errors.map((e) => ({ path: e.path, message: e.message[language] })) }
      : {}),
  };
  const headers: Record<string, string> = {
    'Content-Type': 'application/problem+json',
    'Content-Language': language,
    Vary: 'Accept-Language',
  };
  // Refused mid-body: the rest of the body is never read, so the connection cannot carry a
  // next request. Said so, the client reads this reply and opens a fresh one; kept alive, the
  // server dropped it soon after while the client sent its next request on it (no reply).
  if (status === 408 || status === 413) headers.Connection = 'close';
  return c.body(JSON.stringify(body), status, headers);
}

const SQLSTATE = /^[0-9A-Z]{5}$/;

/**
 * PostgreSQL refuses a NUL character in text (22021, 22P05), wherever the text came from:
 * the request's fault, and its statement stored nothing.
 */
function isUnstorableText(error: unknown): boolean {
  const code: unknown = error instanceof Error ? Reflect.get(error, 'code') : undefined;
  return code === '22021' || code === '22P05';
}

/**
 * A failure as a log line may tell it: never a request's data (a token, an answer, an address).
 * A database error's message, detail and parameters can quote the values sent, so of those only
 * the code and the schema objects involved are told.
 */
export function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return `a thrown ${typeof error}`;
  const frames = (error.stack ?? '').split('\n').slice(1).join('\n');
  const code: unknown = Reflect.get(error, 'code');
  if (typeof code === 'string' && SQLSTATE.test(code)) {
    const where = ['table', 'column', 'constraint', 'routine'].flatMap((key) => {
      const value: unknown = Reflect.get(error, key);
      return typeof value === 'string' ? [`${key} ${value}`] : [];
    });
    return `database error ${code}${where.length ? ` (${where.join(', ')})` : ''}\n${frames}`;
  }
  return `${error.name}: ${error.message}\n${frames}`;
}

export const onError: ErrorHandler<AppEnv> = (error, c) => {
  if (error instanceof DomainError) {
    if (error instanceof TooManyRequests) c.header('Retry-After', String(error.retryAfterSeconds));
    return problem(c, errorStatus[error.code], error.text, error.errors);
  }
  if (error instanceof HTTPException && error.status < 500) {
    // A library's refusal: its message is English only.
    const title = titles[error.status] ?? anyError;
    return problem(
      c,
      error.status,
      error.message ? text(`${title.vi}: ${error.message}`, error.message) : title,
    );
  }
  if (isDatabaseUnavailable(error)) {
    return problem(
      c,
      503,
      text(
        'Cơ sở dữ liệu tạm thời không truy cập được; vui lòng thử lại sau ít phút.',
        'The database is unavailable; try again shortly.',
      ),
    );
  }
  if (isUnstorableText(error)) {
    return problem(
      c,
      422,
      text(
        'Yêu cầu chứa văn bản không lưu được (ký tự NUL).',
        'The request holds text that cannot be stored (a NUL character).',
      ),
    );
  }
  // Never an internal message in a 5xx: log it under the request id instead. The route's
  // pattern, not its path: a survey path holds the counter's token.
  console.error(
    `[${c.get('requestId')}] ${c.req.method} ${c.req.routePath}: ${describeFailure(error)}`,
  );
  const id = c.get('requestId');
  return problem(
    c,
    500,
    text(`Lỗi nội bộ; mã yêu cầu ${id}.`, `Internal error; request id ${id}.`),
  );
};

export const onNotFound: NotFoundHandler<AppEnv> = (c) => {
  const route = `${c.req.method} ${c.req.path}`;
  return problem(c, 404, text(`Không có đường dẫn ${route}.`, `No route for ${route}.`));
};
