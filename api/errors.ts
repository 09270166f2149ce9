// The one error vocabulary of the service. Services throw DomainError with a code from this
// closed set; the HTTP layer turns it into problem+json once (api/routes/problem.ts), and
// the command line into a report on stderr with exit status 1.
import type { ZodError, ZodType, z } from 'zod';

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
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** 429: the client is to wait `retryAfterSeconds` before sending again (Retry-After). */
export class TooManyRequests extends DomainError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super('too-many-requests', message);
  }
}

export const invalid = (message: string, errors: FieldError[] = []) =>
  new DomainError('invalid', message, errors);
export const notFound = (message: string) => new DomainError('not-found', message);
export const conflict = (message: string) => new DomainError('conflict', message);

/**
 * zod issues as field errors with dotted paths (`answers.TC1`); an unknown key is named on
 * its own path, so that a client sees which field to drop.
 */
export function fieldErrorsFromZod(error: ZodError, prefix: readonly string[] = []): FieldError[] {
  return error.issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path.map(String)];
    const at = (parts: string[]) => parts.join('.') || '(body)';
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: at([...path, key]), message: 'unknown field' }));
    }
    return [{ path: at(path), message: issue.message }];
  });
}

/** The input as `schema` parses it, or 422 `message` naming each bad field. */
export function parseInput<S extends ZodType>(
  schema: S,
  input: unknown,
  message: string,
): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw invalid(message, fieldErrorsFromZod(result.error));
  return result.data;
}

/**
 * Refuses to delete what something still refers to, counting the references by kind
 * (`{ counters: 2, responses: 0 }` → "Unit X is in use (2 counters); it stays.").
 */
export function refuseIfReferenced(what: string, references: Record<string, number>): void {
  const held = Object.entries(references).filter(([, n]) => n > 0);
  if (held.length > 0) {
    throw conflict(
      `${what} is in use (${held.map(([kind, n]) => `${n} ${kind}`).join(', ')}); it stays.`,
    );
  }
}
