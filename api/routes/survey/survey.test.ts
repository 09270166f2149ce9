import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../../../db/testing.ts';
import { createCampaign } from '../../services/campaigns/index.ts';
import { issueCounterToken, revokeCounterToken } from '../../services/credentials.ts';
import { hashToken } from '../../services/credentials.ts';
import { SubmissionLimiter } from '../../services/rate-limit.ts';
import { submitResponse, surveyForToken } from '../../services/submissions.ts';
import {
  day,
  jsonBody,
  openRouteFixture,
  openSurvey,
  type RouteFixture,
  testActor,
} from '../testing.ts';

const answers = { TC1: 4, TC2: 5, TC3: 3, PAQ: 0, HL: 4 };

const submission = (overrides: Record<string, unknown> = {}) => ({
  id: randomUUID(),
  answers,
  startedAt: '2025-06-02T08:14:05+07:00',
  submittedAt: '2025-06-02T08:16:40+07:00',
  device: randomUUID(),
  lang: 'vi',
  website: '',
  ...overrides,
});

describe.each(engines)('the public survey on %s', (engine) => {
  let f: RouteFixture;
  // Counters of fixtures/examples: SKHDT in an open campaign, STP in one that ended 5 days
  // ago, CHAUDUC in one that ended 40 days ago.
  const tokens = { open: '', late: '', stale: '', revoked: '' };

  const post = (token: string, body: unknown, init: RequestInit = {}) =>
    f.request(`/api/v1/s/${token}/responses`, { ...jsonBody(body), ...init });
  const countResponses = async () =>
    Number(
      (
        await f.database.db
          .selectFrom('response')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const stored = (onlineId: string) =>
    f.database.db
      .selectFrom('response')
      .select(['status', 'reason', 'mode', 'answers'])
      .where('online_id', '=', onlineId)
      .execute();

  beforeAll(async () => {
    f = await openRouteFixture(engine, {
      SIPAS_RATE_LIMIT_DEVICE: '0',
      SIPAS_RATE_LIMIT_IP: '0',
    });
    const db = f.database.db;
    const campaign = async (code: string, counter: string, from: string, to: string) =>
      createCampaign(db, testActor, {
        code,
        instrument: 'sipas-2017',
        from,
        to,
        counters: [counter],
      });
    await campaign('OPEN', 'BRVT.SKHDT.Q1', day(-10), day(10));
    await campaign('LATE', 'BRVT.STP.Q1', day(-60), day(-5));
    await campaign('STALE', 'BRVT.CHAUDUC.Q1', day(-90), day(-40));
    tokens.revoked = await issueCounterToken(db, testActor, 'BRVT.SKHDT.Q1');
    tokens.open = await issueCounterToken(db, testActor, 'BRVT.SKHDT.Q1');
    tokens.late = await issueCounterToken(db, testActor, 'BRVT.STP.Q1');
    tokens.stale = await issueCounterToken(db, testActor, 'BRVT.CHAUDUC.Q1');
  });
  afterAll(() => f.database.close());

  describe('GET /api/v1/s/{token}', () => {
    it('gives the counter, unit, open campaign and instrument, cacheable for five minutes', async () => {
      const response = await f.request(`/api/v1/s/${tokens.open}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('public, max-age=300');
      const body = await response.json();
      expect(body).toMatchObject({
        counter: { code: 'BRVT.SKHDT.Q1', name: 'Quầy 1' },
        unit: { code: 'BRVT.SKHDT', name: 'Sở Kế hoạch và Đầu tư' },
        campaign: { code: 'OPEN', name: 'OPEN', startsOn: day(-10), endsOn: day(10) },
        instrument: { code: 'sipas-2017' },
      });
      expect(body.instrument.items.find((i: { code: string }) => i.code === 'PA2')).toMatchObject({
        askIf: { item: 'PAQ', equals: 1 },
        text: { vi: 'Ông/Bà dễ dàng thực hiện góp ý, phản ánh, kiến nghị' },
      });
      expect(body).toEqual(await surveyForToken(f.database.db, tokens.open));
    });

    it('answers 404 for an unknown token and 410 in Vietnamese for a revoked one', async () => {
      const unknown = await f.request('/api/v1/s/no-such-token');
      expect(unknown.status).toBe(404);
      expect(unknown.headers.get('content-type')).toBe('application/problem+json');
      const revoked = await f.request(`/api/v1/s/${tokens.revoked}`, {
        headers: { 'Accept-Language': 'vi' },
      });
      expect(revoked.status).toBe(410);
      expect((await revoked.json()).detail).toMatch(/Mã QR này đã được thay bằng mã mới/);
    });

    it('answers 410 when the counter has no open campaign', async () => {
      const response = await f.request(`/api/v1/s/${tokens.late}`, {
        headers: { 'Accept-Language': 'vi' },
      });
      expect(response.status).toBe(410);
      expect((await response.json()).detail).toMatch(/không có đợt khảo sát/);
    });
  });

  describe('POST /api/v1/s/{token}/responses', () => {
    it('stores a first arrival (201) and answers a replay with the same reply (200)', async () => {
      const body = submission();
      const first = await post(tokens.open, body);
      expect(first.status).toBe(201);
      expect(await first.json()).toEqual({ id: body.id, status: 'valid' });
      // Other fields do not count; a null answer is the same as a left-out one.
      const again = await post(tokens.open, {
        ...body,
        answers: { ...answers, TC4: null },
        device: 'another',
        website: undefined,
      });
      expect(again.status).toBe(200);
      expect(await again.json()).toEqual({ id: body.id, status: 'valid' });
      const rows = await stored(body.id);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ status: 'valid', reason: null, mode: 'qr' });
      expect(rows[0]?.answers.slice(0, 4)).toEqual([4, 5, 3, null]);
    });

    it('stores one row for 50 replays, 20 of them concurrent, and every reply has the id', async () => {
      const before = await countResponses();
      const body = submission();
      const concurrent = await Promise.all(
        Array.from({ length: 20 }, () => post(tokens.open, body)),
      );
      const sequential = [];
      for (let i = 0; i < 30; i++) sequential.push(await post(tokens.open, body));
      const replies = [...concurrent, ...sequential];
      const statuses = replies.map((r) => r.status);
      expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      expect(statuses.filter((s) => s === 200)).toHaveLength(49);
      for (const reply of replies) {
        expect(await reply.json()).toEqual({ id: body.id, status: 'valid' });
      }
      expect(await countResponses()).toBe(before + 1);
      expect(await stored(body.id)).toHaveLength(1);
    });

    it('stores each of 60 concurrent submissions once, a copy sent alongside answered 200', async () => {
      // Sent together, they share look-ups and inserts (db/batch.ts): every third is sent
      // twice at once, so that copies meet in one batch.
      const before = await countResponses();
      const bodies = Array.from({ length: 60 }, () => submission());
      const sent = bodies.flatMap((body, i) => (i % 3 === 0 ? [body, body] : [body]));
      const replies = await Promise.all(sent.map((body) => post(tokens.open, body)));
      const byId = new Map<string, number[]>();
      for (const [i, reply] of replies.entries()) {
        const id = sent[i]?.id ?? '';
        expect(await reply.json()).toEqual({ id, status: 'valid' });
        byId.set(id, [...(byId.get(id) ?? []), reply.status]);
      }
      for (const [i, body] of bodies.entries()) {
        expect(byId.get(body.id)?.sort()).toEqual(i % 3 === 0 ? [200, 201] : [201]);
      }
      expect(await countResponses()).toBe(before + 60);
    });

    it('answers 409 for a stored id with other answers or from another counter', async () => {
      const body = submission();
      expect((await post(tokens.open, body)).status).toBe(201);
      const changed = await post(tokens.open, { ...body, answers: { ...answers, TC1: 5 } });
      expect(changed.status).toBe(409);
      expect(changed.headers.get('content-type')).toBe('application/problem+json');
      expect((await post(tokens.late, body)).status).toBe(409);
    });

    it('stores an answer sent under a replaced QR code at the same counter, and replays it once', async () => {
      const db = f.database.db;
      const token = await issueCounterToken(db, testActor, 'BRVT.SKHDT.Q1');
      const before = await post(token, submission());
      expect(before.status).toBe(201);
      // Replaced while a citizen was answering: the new token is the counter's from now on.
      tokens.open = await issueCounterToken(db, testActor, 'BRVT.SKHDT.Q1');
      const late = submission();
      const sent = await post(token, late);
      expect(sent.status).toBe(201);
      expect(await sent.json()).toEqual({ id: late.id, status: 'valid' });
      const replays = await Promise.all([post(token, late), post(token, late)]);
      expect(replays.map((r) => r.status)).toEqual([200, 200]);
      expect(await replays[0]?.json()).toEqual({ id: late.id, status: 'valid' });
      const rows = await f.database.db
        .selectFrom('response')
        .innerJoin('counter', 'counter.id', 'response.counter_id')
        .select(['counter.code', 'response.status', 'response.reason', 'response.mode'])
        .where('response.online_id', '=', late.id)
        .execute();
      expect(rows).toEqual([{ code: 'BRVT.SKHDT.Q1', status: 'valid', reason: null, mode: 'qr' }]);
      // The page of the old code sends a new visitor to the new QR code.
      const page = await f.request(`/api/v1/s/${token}`);
      expect(page.status).toBe(410);
      expect((await page.json()).detail).toMatch(/^This QR code was replaced by a new one/);
      const inVietnamese = await f.request(`/api/v1/s/${token}`, {
        headers: { 'Accept-Language': 'vi' },
      });
      expect(inVietnamese.status).toBe(410);
      expect((await inVietnamese.json()).detail).toMatch(/^Mã QR này đã được thay bằng mã mới/);
    });

    it('quarantines an answer sent under a token revoked longer ago than the grace period as revoked-token', async () => {
      const db = f.database.db;
      const token = await issueCounterToken(db, testActor, 'BRVT.SKHDT.Q1');
      expect(await revokeCounterToken(db, testActor, 'BRVT.SKHDT.Q1')).toBe(true);
      tokens.open = await issueCounterToken(db, testActor, 'BRVT.SKHDT.Q1');
      const { revoked_at: revokedAt } = await db
        .selectFrom('counter_token')
        .select('revoked_at')
        .where('token_hash', '=', hashToken(token))
        .executeTakeFirstOrThrow();
      if (!revokedAt) throw new Error('not revoked');
      const graceMs = f.config.revokedTokenGraceMs;
      expect(graceMs).toBe(7 * 24 * 60 * 60 * 1000);
      const limiter = new SubmissionLimiter();
      const at = (ms: number) =>
        submitResponse(db, {
          token,
          body: submission(),
          receivedAt: new Date(revokedAt.getTime() + ms),
          mode: 'qr',
          limits: f.config.rateLimit,
          revokedTokenGraceMs: graceMs,
          limiter,
        });
      const inside = await at(graceMs);
      expect(inside).toMatchObject({ httpStatus: 201, reply: { status: 'valid' } });
      const past = await at(graceMs + 1);
      expect(past).toMatchObject({ httpStatus: 201, reply: { status: 'quarantined' } });
      expect(await stored(past.reply.id)).toEqual([
        { status: 'quarantined', reason: 'revoked-token', mode: 'qr', answers: expect.any(Array) },
      ]);
      // A replay past the grace period is the stored reply, and stays one row.
      const again = await post(token, { ...submission(), id: past.reply.id });
      expect(again.status).toBe(200);
      expect(await stored(past.reply.id)).toHaveLength(1);
    });

    it('marks an answer from the kiosk page kiosk, and refuses another mode', async () => {
      const body = submission();
      const kiosk = await f.request(
        `/api/v1/s/${tokens.open}/responses?mode=kiosk`,
        jsonBody(body),
      );
      expect(kiosk.status).toBe(201);
      expect(await stored(body.id)).toEqual([
        { status: 'valid', reason: null, mode: 'kiosk', answers: expect.any(Array) },
      ]);
      const paper = await f.request(
        `/api/v1/s/${tokens.open}/responses?mode=paper`,
        jsonBody(submission()),
      );
      expect(paper.status).toBe(422);
      expect((await paper.json()).errors).toEqual([{ path: 'mode', message: 'qr or kiosk' }]);
    });

    it('answers 404 for an unknown token and 410 without a campaign within 30 days', async () => {
      expect((await post('no-such-token', submission())).status).toBe(404);
      const stale = await post(tokens.stale, submission());
      expect(stale.status).toBe(410);
      expect((await stale.json()).detail).toBe(
        'This counter has no survey running now. Thank you for your interest.',
      );
    });

    it('answers 422 naming each bad field and stores nothing', async () => {
      const before = await countResponses();
      const cases: [Record<string, unknown>, string[]][] = [
        [submission({ extra: 1, other: true }), ['extra', 'other']],
        [submission({ answers: {} }), ['answers']],
        [submission({ answers: { TC1: 4, XX9: 3 } }), ['answers.XX9']],
        [
          submission({ answers: { TC1: 6, TC2: 0, HL: '4' } }),
          ['answers.TC1', 'answers.TC2', 'answers.HL'],
        ],
        [
          submission({ answers: { TC1: 4, PAQ: 0, PA2: 4, PA3: 5 } }),
          ['answers.PA2', 'answers.PA3'],
        ],
        [submission({ answers: { TC1: 4, PA4: 4 } }), ['answers.PA4']],
        [
          submission({ id: 'not-a-uuid', startedAt: 'yesterday', device: 7 }),
          ['id', 'startedAt', 'device'],
        ],
        [submission({ answers: [4, 5] }), ['answers']],
      ];
      for (const [body, paths] of cases) {
        const response = await post(tokens.open, body);
        expect(response.status, JSON.stringify(body)).toBe(422);
        expect(response.headers.get('content-type')).toBe('application/problem+json');
        const problem = await response.json();
        expect(problem).toMatchObject({ status: 422, title: 'Invalid input' });
        expect(problem.errors.map((e: { path: string }) => e.path).sort()).toEqual(
          [...paths].sort(),
        );
      }
      expect(await countResponses()).toBe(before);
      // PA2-PA4 are fine after PAQ = 1.
      const fine = await post(tokens.open, submission({ answers: { PAQ: 1, PA2: 4, PA3: 5 } }));
      expect(fine.status).toBe(201);
    });

    it('answers 400 for a body that is not a JSON object, never 500', async () => {
      for (const body of ['{"id": ', 'null', '[1, 2]', '"text"', '42', '', '\u00ff\u00fe']) {
        const response = await f.request(`/api/v1/s/${tokens.open}/responses`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body,
        });
        expect(response.status, body).toBe(400);
        expect(response.headers.get('content-type')).toBe('application/problem+json');
      }
      const binary = await f.request(`/api/v1/s/${tokens.open}/responses`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: new Uint8Array([0xff, 0xfe, 0x00, 0x7b]),
      });
      expect(binary.status).toBe(400);
    });

    it('answers 415 to a body not sent as application/json, and stores nothing', async () => {
      // Another site's <form enctype="text/plain"> or a no-cors fetch can only send these
      // types without the browser asking first; application/json needs a CORS preflight.
      const before = await countResponses();
      for (const type of [
        'text/plain',
        'text/plain;charset=UTF-8',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/jsonp',
        undefined,
      ]) {
        const response = await f.request(`/api/v1/s/${tokens.open}/responses`, {
          method: 'POST',
          headers: type === undefined ? {} : { 'Content-Type': type },
          body: new TextEncoder().encode(JSON.stringify(submission())),
        });
        expect(response.status, type).toBe(415);
        expect(response.headers.get('content-type')).toBe('application/problem+json');
        expect((await response.json()).detail).toMatch(/application\/json/);
      }
      expect(await countResponses()).toBe(before);
      for (const type of ['application/json; charset=utf-8', 'Application/JSON;charset="UTF-8"']) {
        const response = await post(tokens.open, submission(), {
          headers: { 'Content-Type': type },
        });
        expect(response.status, type).toBe(201);
      }
    });

    it('answers 413 over 64 KB, by Content-Length and by the bytes actually sent', async () => {
      const before = await countResponses();
      const huge = JSON.stringify(submission({ website: 'x'.repeat(70_000) }));
      const announced = await post(tokens.open, undefined, { body: huge });
      expect(announced.status).toBe(413);
      expect(announced.headers.get('content-type')).toBe('application/problem+json');
      const chunk = new TextEncoder().encode(huge);
      const streamed = await f.request(`/api/v1/s/${tokens.open}/responses`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: new ReadableStream({
          start(controller) {
            controller.enqueue(chunk);
            controller.close();
          },
        }),
        duplex: 'half',
      } as RequestInit);
      expect(streamed.status).toBe(413);
      // A body that is no JSON object is 400 first, however large (interchange §4's order).
      for (const body of [`[${'1,'.repeat(40_000)}1]`, 'x'.repeat(70_000)]) {
        const response = await post(tokens.open, undefined, { body });
        expect(response.status).toBe(400);
        expect(response.headers.get('content-type')).toBe('application/problem+json');
      }
      expect(await countResponses()).toBe(before);
    });

    it('quarantines a filled honeypot, a completion under 20 s, a late answer, and one without its device or times', async () => {
      const honeypot = submission({ website: 'http://spam.example' });
      const fast = submission({
        startedAt: '2025-06-02T08:14:05+07:00',
        submittedAt: '2025-06-02T08:14:24+07:00',
      });
      const slowEnough = submission({
        startedAt: '2025-06-02T08:14:05+07:00',
        submittedAt: '2025-06-02T08:14:25+07:00',
      });
      const late = submission();
      for (const [token, body, reason] of [
        [tokens.open, honeypot, 'honeypot'],
        [tokens.open, fast, 'too-fast'],
        [tokens.open, slowEnough, null],
        [tokens.late, late, 'outside-period'],
        [tokens.open, submission({ device: undefined }), 'unverifiable'],
        [tokens.open, submission({ startedAt: undefined }), 'unverifiable'],
        [tokens.open, submission({ submittedAt: undefined }), 'unverifiable'],
        [tokens.open, { id: randomUUID(), answers }, 'unverifiable'],
      ] as const) {
        const response = await post(token, body);
        expect(response.status).toBe(201);
        const status = reason === null ? 'valid' : 'quarantined';
        expect(await response.json()).toEqual({ id: body.id, status });
        expect(await stored(body.id)).toEqual([expect.objectContaining({ status, reason })]);
      }
    });
  });
});

describe.each(engines)('survey rate limits on %s', (engine) => {
  let f: RouteFixture;
  let token: string;
  beforeAll(async () => {
    f = await openRouteFixture(engine, {
      SIPAS_RATE_LIMIT_DEVICE: '2',
      SIPAS_RATE_LIMIT_IP: '3',
    });
    token = await openSurvey(f.database.db, 'BRVT.SKHDT.Q1');
  });
  afterAll(() => f.database.close());

  // app.request has no socket: pass the one @hono/node-server would.
  const from = (ip: string) => ({ incoming: { socket: { remoteAddress: ip } } });
  const send = async (body: Record<string, unknown>, ip: string) => {
    const response = await f.app.request(`/api/v1/s/${token}/responses`, jsonBody(body), from(ip));
    expect(response.status).toBe(201);
    return (await response.json()).status;
  };

  it('quarantines over the per-device and per-IP limits, and never limits a replay', async () => {
    // Fixed one-minute windows: a run straddling a minute boundary sees two, so each run is
    // long enough that one window goes over the limit however it splits.
    const device = randomUUID();
    const first = submission({ device });
    const deviceRun = [await send(first, '10.0.1.0')];
    for (let i = 1; i < 5; i++) deviceRun.push(await send(submission({ device }), `10.0.1.${i}`));
    expect(deviceRun[0]).toBe('valid');
    expect(deviceRun.filter((s) => s === 'quarantined').length).toBeGreaterThanOrEqual(1);

    const ipRun = [];
    for (let i = 0; i < 7; i++) ipRun.push(await send(submission(), '10.0.0.2'));
    expect(ipRun[0]).toBe('valid');
    expect(ipRun.filter((s) => s === 'quarantined').length).toBeGreaterThanOrEqual(1);
    const reasons = await f.database.db
      .selectFrom('response')
      .select('reason')
      .where('status', '=', 'quarantined')
      .execute();
    expect(new Set(reasons.map((r) => r.reason))).toEqual(new Set(['rate-limit']));

    const replays = [];
    for (let i = 0; i < 5; i++) {
      const response = await f.app.request(
        `/api/v1/s/${token}/responses`,
        jsonBody(first),
        from('10.0.1.0'),
      );
      replays.push(response.status);
    }
    expect(replays).toEqual([200, 200, 200, 200, 200]);
  });
});

describe.each(engines)('the survey rate ceiling on %s', (engine) => {
  let f: RouteFixture;
  let token: string;
  beforeAll(async () => {
    // The default limits: 30 a minute per device, 600 per address; ceilings ten times those.
    f = await openRouteFixture(engine);
    token = await openSurvey(f.database.db, 'BRVT.SKHDT.Q1');
  });
  afterAll(() => f.database.close());

  const post = (body: unknown, ip: string) =>
    f.app.request(`/api/v1/s/${token}/responses`, jsonBody(body), {
      incoming: { socket: { remoteAddress: ip } },
    });
  /** Fixed one-minute windows: a burst that could straddle two starts with a fresh minute. */
  const startEarlyInAMinute = async () => {
    const into = Date.now() % 60_000;
    if (into > 40_000) await new Promise((resolve) => setTimeout(resolve, 60_000 - into + 50));
  };

  it('refuses a burst from one phone past 300 a minute with 429 and Retry-After, never a replay', async () => {
    await startEarlyInAMinute();
    const device = randomUUID();
    const bodies = Array.from({ length: 400 }, () => submission({ device }));
    const statuses: number[] = [];
    for (let i = 0; i < bodies.length; i += 25) {
      const replies = await Promise.all(
        bodies.slice(i, i + 25).map((body) => post(body, '10.9.0.1')),
      );
      for (const reply of replies) {
        statuses.push(reply.status);
        if (reply.status === 429) {
          expect(reply.headers.get('content-type')).toBe('application/problem+json');
          const wait = Number(reply.headers.get('retry-after'));
          expect(wait).toBeGreaterThanOrEqual(1);
          expect(wait).toBeLessThanOrEqual(60);
          const problem = await reply.json();
          expect(problem).toMatchObject({ status: 429, title: 'Too many requests' });
          expect(problem.detail).toBe(
            `Too many submissions in a minute; send again in ${wait} seconds.`,
          );
        } else {
          expect(reply.status).toBe(201);
        }
      }
    }
    expect(statuses.filter((s) => s === 201)).toHaveLength(300);
    expect(statuses.slice(300)).toEqual(Array(100).fill(429));
    // Every answer stored is the phone's; the refused ones left nothing behind.
    const stored = await f.database.db
      .selectFrom('response')
      .select(['online_id', 'status', 'reason'])
      .execute();
    expect(new Set(stored.map((r) => r.online_id))).toEqual(
      new Set(bodies.slice(0, 300).map((b) => b.id)),
    );
    // Over the limit of 30 from the 31st on: kept, but quarantined.
    expect(stored.filter((r) => r.status === 'quarantined')).toHaveLength(270);
    // The phone, still over the ceiling, sends a stored answer again: it is acknowledged.
    const replay = await post(bodies[0], '10.9.0.1');
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual({ id: bodies[0]?.id, status: 'valid' });
    // Another phone at the same counter and address is not refused.
    expect((await post(submission(), '10.9.0.1')).status).toBe(201);
  });

  it('counts submissions without a device id together, so leaving it out escapes nothing', async () => {
    await startEarlyInAMinute();
    const statuses: number[] = [];
    for (let i = 0; i < 320; i += 40) {
      const replies = await Promise.all(
        Array.from({ length: 40 }, (_, j) =>
          post(submission({ device: undefined }), `10.8.${i}.${j}`),
        ),
      );
      statuses.push(...replies.map((r) => r.status));
    }
    expect(statuses.filter((s) => s === 201)).toHaveLength(300);
    expect(statuses.filter((s) => s === 429)).toHaveLength(20);
  });
});

describe.each(engines)('the per-IP limit behind a reverse proxy on %s', (engine) => {
  // One fixture per setting: off (the default) and a proxy trusted at 10.0.0.5.
  const fixtures: { off?: RouteFixture; on?: RouteFixture } = {};
  const tokens = new Map<RouteFixture, string>();
  beforeAll(async () => {
    for (const [key, proxies] of [
      ['off', undefined],
      ['on', '10.0.0.5, ::1'],
    ] as const) {
      const f = await openRouteFixture(engine, {
        SIPAS_RATE_LIMIT_DEVICE: '0',
        SIPAS_RATE_LIMIT_IP: '3',
        ...(proxies === undefined ? {} : { SIPAS_TRUSTED_PROXIES: proxies }),
      });
      await createCampaign(f.database.db, testActor, {
        code: 'OPEN',
        instrument: 'sipas-2017',
        from: day(-1),
        to: day(1),
        counters: ['BRVT.SKHDT.Q1'],
      });
      tokens.set(f, await issueCounterToken(f.database.db, testActor, 'BRVT.SKHDT.Q1'));
      fixtures[key] = f;
    }
  });
  afterAll(async () => {
    await fixtures.off?.database.close();
    await fixtures.on?.database.close();
  });

  /** Seven submissions through the proxy at 10.0.0.5, the n-th with X-Forwarded-For `hop(n)`. */
  const run = async (f: RouteFixture | undefined, hop: (n: number) => string) => {
    if (!f) throw new Error('no fixture');
    const statuses = [];
    for (let n = 0; n < 7; n++) {
      const init = jsonBody(submission());
      const response = await f.app.request(
        `/api/v1/s/${tokens.get(f)}/responses`,
        { ...init, headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': hop(n) } },
        { incoming: { socket: { remoteAddress: '10.0.0.5' } } },
      );
      expect(response.status).toBe(201);
      statuses.push((await response.json()).status);
    }
    // Seven from one address go over 3 a minute in one window, however a minute splits them.
    return statuses.includes('quarantined') ? 'limited' : 'each its own';
  };

  it('ignores X-Forwarded-For unless the proxy is trusted: a forged one escapes nothing', async () => {
    expect(await run(fixtures.off, (n) => `198.51.100.${n}`)).toBe('limited');
  });

  it('counts each client a trusted proxy relays, by the address the proxy saw', async () => {
    expect(await run(fixtures.on, (n) => `198.51.100.${n}`)).toBe('each its own');
    // What the client wrote itself stays left of what the proxy appended.
    expect(await run(fixtures.on, (n) => `192.0.2.${n}, 203.0.113.7`)).toBe('limited');
  });
});
