// The one validation hook of the API: every body, query and path parameter goes through zod,
// and a failure becomes the project's problem+json through app.onError (api/routes/problem.ts):
// 400 for a body that is not a JSON object, 422 naming each field otherwise.
import { Readable } from 'node:stream';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context, Env, MiddlewareHandler, ValidationTargets } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ZodError } from 'zod';
import { DomainError, fieldErrorsFromZod, invalid, text, type FieldError } from '../errors.ts';
import { jsonProblems } from '../input.ts';

type ValidationResult = { target: keyof ValidationTargets } & (
  { success: true; data: unknown } | { success: false; error: ZodError }
);

const notValid = text(
  'Nội dung gửi lên chưa hợp lệ; xem từng mục trong errors.',
  'The request is not valid.',
);

/** 422 for what no route accepts (api/input.ts), whatever the schema lets through. */
const refused = (problems: FieldError[]) => invalid(notValid, problems);

export function validationHook(result: ValidationResult): void {
  // What was parsed (the body, the query, the path's parameters): on a failure too, where
  // @hono/zod-validator passes it though its type does not say so.
  const problems = jsonProblems('data' in result ? result.data : undefined);
  if (result.success) {
    if (problems.length > 0) throw refused(problems);
    return;
  }
  const notAnObject = result.error.issues.some(
    (issue) => issue.path.length === 0 && issue.code === 'invalid_type',
  );
  if (result.target === 'json' && notAnObject) {
    throw new DomainError(
      'bad-request',
      text('Nội dung gửi lên không phải là một đối tượng JSON.', 'The body is not a JSON object.'),
    );
  }
  throw invalid(notValid, [...fieldErrorsFromZod(result.error), ...problems]);
}

/** A sub-app of the API: its routes are documented in the OpenAPI document and use the hook. */
export function apiApp<E extends Env>(): OpenAPIHono<E> {
  return new OpenAPIHono<E>({ defaultHook: validationHook });
}

function limit(maxSize: number): MiddlewareHandler {
  return bodyLimit({
    maxSize,
    onError: () => {
      throw tooLarge(maxSize);
    },
  });
}

/** For JSON bodies of the admin API. */
export const jsonBodyLimit = limit(256 * 1024);
/** For uploaded CSV files. */
export const fileBodyLimit = limit(32 * 1024 * 1024);

export interface BodyReading {
  /**
   * The refusal past the size limit, given the start of the body (what the first chunk held),
   * so that a caller can still tell a body that is no JSON object at all: 413 by default.
   */
  refuse?: (start: string) => Error;
  /** 408 unless the whole body has arrived this many milliseconds after reading began. */
  deadlineMs?: number;
}

/** 408 for a body that has not arrived in time: a slow client, or one holding a connection. */
const tooSlow = (deadlineMs: number) =>
  new DomainError(
    'timeout',
    text(
      `Nội dung gửi lên chưa đến đủ sau ${deadlineMs / 1000} giây.`,
      `The body did not arrive within ${deadlineMs / 1000} s.`,
    ),
  );

/**
 * The body's bytes, refused past `maxSize`: first by its Content-Length, then by the bytes
 * actually read (a client may send more than it announced, or announce nothing).
 */
export async function readBodyBytes(
  c: Context,
  maxSize: number,
  { refuse = () => tooLarge(maxSize), deadlineMs }: BodyReading = {},
): Promise<Uint8Array<ArrayBuffer>> {
  const reading = readBounded(c, maxSize, refuse);
  if (deadlineMs === undefined) return reading;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(tooSlow(deadlineMs)), deadlineMs);
  });
  try {
    // A read left behind ends when the 408 closes the connection; the race has handled it.
    return await Promise.race([reading, late]);
  } finally {
    clearTimeout(timer);
  }
}

async function readBounded(
  c: Context,
  maxSize: number,
  refuse: (start: string) => Error,
): Promise<Uint8Array<ArrayBuffer>> {
  const announced = Number(c.req.header('content-length') ?? 0);
  if (Number.isSafeInteger(announced) && announced > 0 && announced <= maxSize) {
    // Read whole, without a stream: @hono/node-server then reads the socket's chunks itself
    // instead of building a web Request around them, a third of the CPU of a survey
    // submission (issue 7). Node's HTTP parser stops at the announced length.
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    if (bytes.byteLength > maxSize) throw refuse(new TextDecoder().decode(bytes.slice(0, 64)));
    return bytes;
  }
  const body = c.req.raw.body;
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    chunks.push(value);
    if (size > maxSize || announced > maxSize) {
      await reader.cancel();
      throw refuse(new TextDecoder().decode(chunks[0]).slice(0, 64));
    }
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}

/** The body as UTF-8 text, refused as `readBodyBytes` refuses; 400 when it is not UTF-8. */
export async function readBodyText(
  c: Context,
  maxSize: number,
  reading?: BodyReading,
): Promise<string> {
  const bytes = await readBodyBytes(c, maxSize, reading);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new DomainError(
      'bad-request',
      text('Nội dung gửi lên không phải UTF-8 hợp lệ.', 'The body is not valid UTF-8.'),
    );
  }
}

/**
 * Only `application/json` (any parameters, e.g. a charset): another site's form or no-cors
 * fetch can post text/plain, form data or no type at all from its visitors' browsers without
 * asking, but JSON needs a CORS preflight that this service never grants.
 */
export function requireJson(c: Context): void {
  const type = c.req.header('content-type')?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new DomainError(
      'unsupported-media-type',
      text(
        'Nội dung phải được gửi với Content-Type: application/json.',
        'The body must be sent as Content-Type: application/json.',
      ),
    );
  }
}

/** 413 for a body over `maxSize` bytes. */
export const tooLarge = (maxSize: number) =>
  new DomainError(
    'too-large',
    text(
      `Nội dung gửi lên lớn hơn ${Math.round(maxSize / 1024)} KB.`,
      `The body is larger than ${Math.round(maxSize / 1024)} KB.`,
    ),
  );

/** The request body as a stream of bytes for the CSV readers (an empty one without a body). */
export function bodyStream(c: Context): Readable {
  const body = c.req.raw.body;
  async function* chunks() {
    if (!body) return;
    const reader = body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  }
  return Readable.from(chunks());
}

/**
 * Parses JSON text, or 400; an object holding what no route accepts (api/input.ts) is 422.
 * Anything but an object is left to the caller, whose 400 for it comes first.
 */
export function parseJson(
  body: string,
  message = text('Nội dung gửi lên không phải JSON hợp lệ.', 'The body is not valid JSON.'),
): unknown {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new DomainError('bad-request', message);
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const problems = jsonProblems(value);
    if (problems.length > 0) throw refused(problems);
  }
  return value;
}
