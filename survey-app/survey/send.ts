// Sending a response (interchange.md §4). The server's reply is final for 2xx and for the
// refusals it names (400, 404, 409, 410, 413, 415, 422); network errors, 5xx and 429 are retried
// with the same id, so a reply lost on the way back cannot store the response twice.
import type { Submission as ApiSubmission } from '../../api/contract.ts';
import type { Answers } from './pages.ts';
import type { Lang } from './payload.ts';

export interface Submission {
  id: string;
  answers: Answers;
  startedAt: string;
  submittedAt: string;
  device: string;
  lang: Lang;
  website: string;
}

export type Outcome =
  | { kind: 'stored' }
  | { kind: 'refused'; status: number; detail: string }
  | { kind: 'retry'; offline: boolean; notBeforeMs?: number };

/** Statuses after which sending again cannot help; 408 and 429 are worth another try. */
const isFinal = (status: number) => status < 500 && status !== 408 && status !== 429;

async function problemDetail(response: Response): Promise<string> {
  try {
    const body: unknown = await response.json();
    if (typeof body === 'object' && body !== null && 'detail' in body) {
      return typeof body.detail === 'string' ? body.detail : '';
    }
  } catch {
    // A refusal without a problem+json body still is a refusal; the page has its own words.
  }
  return '';
}

/** Sends once; `kiosk` for the kiosk page of a counter's shared tablet. */
export function sendOnce(token: string, submission: Submission, kiosk = false): Promise<Outcome> {
  const query = kiosk ? '?mode=kiosk' : '';
  return postOnce(
    `/api/v1/s/${encodeURIComponent(token)}/responses${query}`,
    submission satisfies ApiSubmission,
    submission.lang,
  );
}

/**
 * Posts one JSON body and tells what its reply means for sending it again; a refusal's detail
 * comes in `lang`, the language the person answered in (api/routes/problem.ts).
 */
export async function postOnce(url: string, body: unknown, lang: Lang): Promise<Outcome> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Accept-Language': lang },
      body: JSON.stringify(body),
    });
  } catch {
    return { kind: 'retry', offline: true };
  }
  if (response.ok) return { kind: 'stored' };
  if (isFinal(response.status)) {
    return { kind: 'refused', status: response.status, detail: await problemDetail(response) };
  }
  const notBeforeMs = retryAfterMs(response.headers.get('Retry-After'));
  return notBeforeMs === undefined
    ? { kind: 'retry', offline: false }
    : { kind: 'retry', offline: false, notBeforeMs };
}

export type Retry = Extract<Outcome, { kind: 'retry' }>;

/**
 * Sends until a final reply: at once, whenever the browser is back online, and after a
 * growing, jittered wait otherwise. `waiting` hears each retry, `settled` the final outcome,
 * once; `now` tries again at once (a button), `stop` ends it all (the screen goes away).
 */
export function keepSending(
  send: () => Promise<Outcome>,
  waiting: (retry: Retry) => void,
  settled: (outcome: Exclude<Outcome, Retry>) => void,
): { now: () => void; stop: () => void } {
  let stopped = false;
  let inFlight = false;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stop = () => {
    stopped = true;
    clearTimeout(timer);
    removeEventListener('online', now);
  };
  function now() {
    if (inFlight || stopped) return;
    inFlight = true;
    clearTimeout(timer);
    void send().then((outcome) => {
      inFlight = false;
      if (stopped) return;
      if (outcome.kind === 'retry') {
        waiting(outcome);
        timer = setTimeout(now, retryDelay(outcome, attempt++));
        return;
      }
      stop();
      settled(outcome);
    });
  }
  addEventListener('online', now);
  now();
  return { now, stop };
}

/** A reply cannot hold an answer back longer than this, whatever its Retry-After says. */
const MAX_RETRY_AFTER_MS = 60 * 60 * 1000;

/** Retry-After (seconds, or an HTTP date) in milliseconds from now; undefined without one. */
export function retryAfterMs(header: string | null, now: number = Date.now()): number | undefined {
  if (header === null) return undefined;
  const text = header.trim();
  const ms = /^\d+$/.test(text) ? Number(text) * 1000 : Date.parse(text) - now;
  return Number.isNaN(ms) ? undefined : Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms));
}

/** Milliseconds before the next attempt: the backoff, but never sooner than the server asked. */
export function retryDelay(
  outcome: Retry,
  attempt: number,
  random: () => number = Math.random,
): number {
  return Math.max(backoff(attempt, random), outcome.notBeforeMs ?? 0);
}

/** Milliseconds before attempt `attempt` + 1: exponential from 1 s, capped at 1 min, jittered. */
export function backoff(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(60_000, 1000 * 2 ** attempt);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
