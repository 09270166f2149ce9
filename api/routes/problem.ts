// The one error shape of the API: problem+json (RFC 9457), mapped once for every route.
import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import { isDatabaseUnavailable } from '../../db/errors.ts';
import { DomainError, errorStatus, type FieldError } from '../errors.ts';
import type { AppEnv } from './env.ts';

const titles: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Invalid input',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};

export function problem(
  c: Context,
  status: ContentfulStatusCode,
  detail: string,
  errors?: FieldError[],
): Response {
  const body = {
    type: 'about:blank',
    title: titles[status] ?? 'Error',
    status,
    detail,
    ...(errors && errors.length > 0 ? { errors } : {}),
  };
  return c.body(JSON.stringify(body), status, { 'Content-Type': 'application/problem+json' });
}

/** zod issues as field errors with dotted paths (`answers.TC1`). */
export function fieldErrors(error: ZodError, prefix: string[] = []): FieldError[] {
  return error.issues.map((issue) => ({
    path: [...prefix, ...issue.path.map(String)].join('.') || '(body)',
    message: issue.message,
  }));
}

export const onError: ErrorHandler<AppEnv> = (error, c) => {
  if (error instanceof DomainError) {
    return problem(c, errorStatus[error.code], error.message, error.errors);
  }
  if (error instanceof HTTPException && error.status < 500) {
    return problem(c, error.status, error.message || titles[error.status] || 'Error');
  }
  if (isDatabaseUnavailable(error)) {
    return problem(c, 503, 'The database is unavailable; try again shortly.');
  }
  // Never an internal message in a 5xx: log it under the request id instead.
  console.error(`[${c.get('requestId')}] ${c.req.method} ${c.req.path}:`, error);
  return problem(c, 500, `Internal error; request id ${c.get('requestId')}.`);
};

export const onNotFound: NotFoundHandler<AppEnv> = (c) =>
  problem(c, 404, `No route for ${c.req.method} ${c.req.path}.`);
