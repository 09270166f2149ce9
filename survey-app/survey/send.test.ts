import { afterEach, describe, expect, it, vi } from 'vitest';
import { retryAfterMs, retryDelay, sendOnce, type Submission } from './send.ts';

const submission: Submission = {
  id: '0b6f4f0e-8a1f-4c53-9d55-2f7f8f0f4a11',
  answers: { TC1: 4 },
  startedAt: '2025-06-02T08:14:05+07:00',
  submittedAt: '2025-06-02T08:16:40+07:00',
  device: 'd',
  lang: 'vi',
  website: '',
};

const replying = (status: number, headers: Record<string, string> = {}) => {
  const fetch = vi.fn(
    async (_url: string, _init: RequestInit) => new Response('{}', { status, headers }),
  );
  vi.stubGlobal('fetch', fetch);
  return fetch;
};

describe('sending a response from the phone', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('posts JSON as application/json, which a cross-site form cannot', async () => {
    const fetch = replying(201);
    expect(await sendOnce('tok en', submission)).toEqual({ kind: 'stored' });
    const [url, init] = fetch.mock.calls[0] ?? [];
    expect(url).toBe('/api/v1/s/tok%20en/responses');
    expect(new Headers(init?.headers).get('content-type')).toBe('application/json');
    expect(JSON.parse(String(init?.body))).toEqual(submission);
  });

  it('waits as long as a 429 says before sending again, never less', async () => {
    replying(429, { 'Retry-After': '42', 'Content-Type': 'application/problem+json' });
    const outcome = await sendOnce('t', submission);
    expect(outcome).toEqual({ kind: 'retry', offline: false, notBeforeMs: 42_000 });
    if (outcome.kind !== 'retry') throw new Error('not a retry');
    // The first backoff is about a second: the server's word wins, and a longer backoff stays.
    expect(retryDelay(outcome, 0, () => 1)).toBe(42_000);
    expect(retryDelay(outcome, 10, () => 1)).toBe(60_000);
    // Without Retry-After, the backoff alone.
    replying(503);
    const plain = await sendOnce('t', submission);
    expect(plain).toEqual({ kind: 'retry', offline: false });
    if (plain.kind !== 'retry') throw new Error('not a retry');
    expect(retryDelay(plain, 0, () => 1)).toBe(1000);
  });

  it('stops at a refusal, and keeps the response on a lost connection, a 408 or a 5xx', async () => {
    for (const status of [400, 404, 409, 410, 413, 415, 422]) {
      replying(status);
      expect(await sendOnce('t', submission), String(status)).toEqual({
        kind: 'refused',
        status,
        detail: '',
      });
    }
    for (const status of [408, 500, 502]) {
      replying(status);
      expect(await sendOnce('t', submission), String(status)).toEqual({
        kind: 'retry',
        offline: false,
      });
    }
    vi.stubGlobal('fetch', () => Promise.reject(new TypeError('Failed to fetch')));
    expect(await sendOnce('t', submission)).toEqual({ kind: 'retry', offline: true });
  });

  it('reads Retry-After as seconds or a date, and caps it at an hour', () => {
    const now = Date.parse('2025-06-02T01:00:00Z');
    expect(retryAfterMs('7', now)).toBe(7000);
    expect(retryAfterMs('Mon, 02 Jun 2025 01:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Mon, 02 Jun 2025 00:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('86400', now)).toBe(3_600_000);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });
});
