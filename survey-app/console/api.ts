// The console talks to the admin and analyst API with its session: an HttpOnly cookie the
// page's script never sees, and the session's CSRF token, held in memory only and sent with
// every write. Every body it reads is parsed with a schema (schemas.ts); every refusal is
// problem+json (interchange §7).
import type * as z from 'zod/mini';
import type { FieldError } from '../../api/contract.ts';
import { initialLang } from './i18n.ts';
import { problemSchema } from './schemas.ts';

/** The session's CSRF token (from the sign-in reply or GET /me); null when signed out. */
let csrfToken: string | null = null;
export const rememberCsrf = (token: string | null) => {
  csrfToken = token;
};

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Called when the API refuses the session (401), so that the console signs in again. */
let onUnauthorized: () => void = () => undefined;
export const whenUnauthorized = (handler: () => void) => {
  onUnauthorized = handler;
};

async function failure(response: Response): Promise<ApiError> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  const parsed = problemSchema.safeParse(body);
  const detail = parsed.success ? (parsed.data.detail ?? parsed.data.title ?? '') : '';
  return new ApiError(
    response.status,
    detail || response.statusText,
    parsed.success ? (parsed.data.errors ?? []) : [],
  );
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  query?: Record<string, string | number | boolean | undefined>;
  /** A JSON body, a file sent as it is, or a multipart form (several files). */
  json?: unknown;
  file?: Blob;
  form?: FormData;
  signal?: AbortSignal;
}

export function apiUrl(path: string, query: RequestOptions['query'] = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params.set(key, String(value));
  }
  const search = params.toString();
  return `/api/v1${path}${search ? `?${search}` : ''}`;
}

/** The raw response of a successful request; throws ApiError on a refusal. */
export async function send(path: string, options: RequestOptions = {}): Promise<Response> {
  // The server's messages (problem+json) in the console's language (api/routes/problem.ts).
  const headers: Record<string, string> = { 'Accept-Language': initialLang() };
  const method =
    options.method ??
    (options.json === undefined && !options.file && !options.form ? 'GET' : 'POST');
  if (method !== 'GET' && csrfToken !== null) headers['X-CSRF-Token'] = csrfToken;
  let body: BodyInit | undefined;
  if (options.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.file) {
    headers['Content-Type'] = options.file.type || 'text/csv';
    body = options.file;
  } else if (options.form) {
    // The browser writes the multipart Content-Type, with its boundary.
    body = options.form;
  }
  const response = await fetch(apiUrl(path, options.query), {
    method,
    headers,
    credentials: 'same-origin',
    body,
    signal: options.signal,
  });
  if (!response.ok) {
    const error = await failure(response);
    if (response.status === 401) onUnauthorized();
    throw error;
  }
  return response;
}

/** A request whose JSON reply is parsed with the schema. */
export async function request<T>(
  schema: z.ZodMiniType<T>,
  path: string,
  options: RequestOptions = {},
): Promise<T> {
  const response = await send(path, options);
  const body: unknown = response.status === 204 ? null : await response.json();
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new ApiError(response.status, `Unexpected reply from ${path}: ${parsed.error.message}`);
  }
  return parsed.data;
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/**
 * Saves a reply (an export) as a file, as a link the user clicked would. A reply of another
 * type than asked for (a server without that format) is refused rather than saved misnamed.
 */
export async function download(
  path: string,
  options: RequestOptions,
  file: { name: string; type: string },
) {
  const response = await send(path, options);
  const type = response.headers.get('content-type') ?? '';
  if (!type.startsWith(file.type)) {
    throw new ApiError(
      response.status,
      `${path} answered ${type || 'without a type'}, not ${file.type}.`,
    );
  }
  const disposition = response.headers.get('content-disposition') ?? '';
  const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? file.name;
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Opens an HTML page the API answers (a printable sheet) in a new tab, from a blob: URL (allowed
 * by the console's CSP), since the request needs the session's headers that a plain link cannot
 * send. The tab is opened before the request, while the click still counts as the user's, so
 * that no pop-up blocker stops it.
 */
export async function openPage(path: string, options: RequestOptions = {}): Promise<void> {
  const tab = window.open('', '_blank');
  try {
    const response = await send(path, options);
    const html = await response.blob();
    const url = URL.createObjectURL(new Blob([html], { type: 'text/html' }));
    if (tab) tab.location.href = url;
    else location.assign(url);
  } catch (error) {
    tab?.close();
    throw error;
  }
}
