import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { sendQueue } from './queue.ts';
import type { Outcome, Submission } from './send.ts';
import { loadQueue, loadSetAside, saveQueue } from './store.ts';

const response = (id: string): Submission => ({
  id,
  answers: { TC1: 4 },
  startedAt: '2025-06-02T08:14:05+07:00',
  submittedAt: '2025-06-02T08:16:40+07:00',
  device: 'd',
  lang: 'vi',
  website: '',
});

/** The tablet's storage: what localStorage keeps, in memory. */
function tabletStorage() {
  const kept = new Map<string, string>();
  vi.stubGlobal('localStorage', {
    getItem: (key: string) => kept.get(key) ?? null,
    setItem: (key: string, value: string) => kept.set(key, value),
    removeItem: (key: string) => kept.delete(key),
  });
}

/** The server's replies, one per request in turn; a thrown error is a lost connection. */
function server(...replies: (number | Error)[]) {
  const fetch = vi.fn(async (_url: string, init: RequestInit) => {
    const reply = replies.shift();
    if (reply === undefined) throw new Error('no reply left');
    if (reply instanceof Error) throw reply;
    const body: unknown = JSON.parse(String(init.body));
    const detail = reply === 410 ? 'Đã đóng' : '';
    return new Response(JSON.stringify({ body, detail }), { status: reply });
  });
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

describe("a kiosk's queue", () => {
  beforeEach(tabletStorage);
  afterEach(() => vi.unstubAllGlobals());

  it('sends oldest first as the kiosk, and keeps all that cannot be sent while offline', async () => {
    saveQueue('tok', [response('a'), response('b')]);
    const fetch = server(new TypeError('offline'));
    const told: [string, Outcome][] = [];
    const retry = await sendQueue('tok', (id, outcome) => told.push([id, outcome]));
    expect(retry).toEqual({ kind: 'retry', offline: true });
    expect(told).toEqual([['a', { kind: 'retry', offline: true }]]);
    expect(fetch.mock.calls.map(([url]) => url)).toEqual(['/api/v1/s/tok/responses?mode=kiosk']);
    expect(loadQueue('tok').map((s) => s.id)).toEqual(['a', 'b']);
  });

  it('stops at a busy server, and sends the rest in order when it answers', async () => {
    saveQueue('tok', [response('a'), response('b'), response('c')]);
    server(201, 503);
    const told: [string, Outcome['kind']][] = [];
    const tell = (id: string, outcome: Outcome) => told.push([id, outcome.kind]);
    expect(await sendQueue('tok', tell)).toEqual({ kind: 'retry', offline: false });
    expect(loadQueue('tok').map((s) => s.id)).toEqual(['b', 'c']);
    server(200, 201);
    expect(await sendQueue('tok', tell)).toBeUndefined();
    expect(told).toEqual([
      ['a', 'stored'],
      ['b', 'retry'],
      ['b', 'stored'],
      ['c', 'stored'],
    ]);
    expect(loadQueue('tok')).toEqual([]);
    expect(loadSetAside('tok')).toEqual([]);
  });

  it('sets aside a response refused for good, with the reply, and goes on with the next', async () => {
    saveQueue('tok', [response('a'), response('b')]);
    server(410, 201);
    const told: [string, Outcome][] = [];
    expect(await sendQueue('tok', (id, outcome) => told.push([id, outcome]))).toBeUndefined();
    expect(told).toEqual([
      ['a', { kind: 'refused', status: 410, detail: 'Đã đóng' }],
      ['b', { kind: 'stored' }],
    ]);
    expect(loadQueue('tok')).toEqual([]);
    expect(loadSetAside('tok')).toEqual([
      { ...response('a'), refusal: { status: 410, detail: 'Đã đóng' } },
    ]);
    // Another refusal is kept beside it; another counter's tablet list is its own.
    saveQueue('tok', [response('c')]);
    server(422);
    await sendQueue('tok', () => {});
    expect(loadSetAside('tok').map((s) => [s.id, s.refusal.status])).toEqual([
      ['a', 410],
      ['c', 422],
    ]);
    expect(loadSetAside('other')).toEqual([]);
  });

  it('stops between two responses when the page stops it', async () => {
    saveQueue('tok', [response('a'), response('b')]);
    server(201, 201);
    let stopped = false;
    await sendQueue(
      'tok',
      () => (stopped = true),
      () => stopped,
    );
    expect(loadQueue('tok').map((s) => s.id)).toEqual(['b']);
  });
});
