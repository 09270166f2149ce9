// The one error shape of the API: problem+json (RFC 9457), mapped once for every route.
import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { isDatabaseUnavailable } from '../../db/errors.ts';
import { DomainError, errorStatus, TooManyRequests, type FieldError } from '../errors.ts';
import type { AppEnv } from './env.ts';

const titles: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  408: 'Request timeout',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Invalid input',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};

/** The body of every refusal (RFC 9457); `errors` names each offending field. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
}

export function problem(
  c: Context,
  status: ContentfulStatusCode,
  detail: string,
  errors?: FieldError[],
): Response {
  const body: Problem = {
    type: 'about:blank',
    title: titles[status] ?? 'Error',
    status,
    detail,
    ...(errors && errors.length > 0 ? { errors } : {}),
  };
  const headers: Record<string, string> = { 'Content-Type': 'application/problem+json' };
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
    return problem(c, errorStatus[error.code], error.message, error.errors);
  }
  if (error instanceof HTTPException && error.status < 500) {
    return problem(c, error.status, error.message || titles[error.status] || 'Error');
  }
  if (isDatabaseUnavailable(error)) {
    return problem(c, 503, 'The database is unavailable; try again shortly.');
  }
  if (isUnstorableText(error)) {
    return problem(c, 422, 'The request holds text that cannot be stored (a NUL character).');
  }
  // Never an internal message in a 5xx: log it under the request id instead. The route's
  // pattern, not its path: a survey path holds the counter's token.
  console.error(
    `[${c.get('requestId')}] ${c.req.method} ${c.req.routePath}: ${describeFailure(error)}`,
  );
  return problem(c, 500, `Internal error; request id ${c.get('requestId')}.`);
};

export const onNotFound: NotFoundHandler<AppEnv> = (c) =>
  problem(c, 404, `No route for ${c.req.method} ${c.req.path}.`);
