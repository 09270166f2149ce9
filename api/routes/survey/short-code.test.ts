import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../../../db/testing.ts';
import { createCampaign } from '../../services/campaigns/index.ts';
import {
  normalShortCode,
  revokeCounterToken,
  SHORT_CODE_ALPHABET,
  shortCodeOf,
} from '../../services/credentials.ts';
import { day, jsonBody, openRouteFixture, type RouteFixture, testActor } from '../testing.ts';
import { SHORT_CODE_LOOKUPS_PER_MINUTE } from './short-code.ts';

describe('a short counter code', () => {
  it('is 7 characters without 0, O, 1, I or L, the same for the same token', () => {
    expect(SHORT_CODE_ALPHABET).toHaveLength(31);
    expect(SHORT_CODE_ALPHABET).not.toMatch(/[0O1IL]/);
    const codes = new Set(Array.from({ length: 1000 }, () => shortCodeOf(randomUUID())));
    expect(codes.size).toBe(1000);
    for (const code of codes) expect(code).toMatch(/^[A-HJKMNP-Z2-9]{7}$/);
    expect(shortCodeOf('q3Yh0mWZ8o2kq1Yc7cX6Xg')).toBe(shortCodeOf('q3Yh0mWZ8o2kq1Yc7cX6Xg'));
  });

  it('is read as typed, in any case, with spaces or dashes; anything else is no code', () => {
    expect(normalShortCode(' k7q-mx4 r')).toBe('K7QMX4R');
    expect(normalShortCode('K7QMX4')).toBeUndefined();
    expect(normalShortCode('K7QMX4O')).toBeUndefined();
    expect(normalShortCode('K7QMX4RR')).toBeUndefined();
  });
});

describe.each(engines)('the short address /c on %s', (engine) => {
  let f: RouteFixture;
  let issued = { token: '', code: '', url: '' };

  const issue = async () => {
    const response = await f.request('/api/v1/counters/BRVT.SKHDT.Q1/token', {
      token: f.tokens.admin,
      method: 'POST',
    });
    expect(response.status).toBe(201);
    return (await response.json()) as typeof issued;
  };

  beforeAll(async () => {
    f = await openRouteFixture(engine, { SIPAS_RATE_LIMIT_DEVICE: '0', SIPAS_RATE_LIMIT_IP: '0' });
    await createCampaign(f.database.db, testActor, {
      code: 'OPEN',
      instrument: 'sipas-2017',
      from: day(-10),
      to: day(10),
      counters: ['BRVT.SKHDT.Q1'],
    });
    issued = await issue();
  });
  afterAll(() => f.database.close());

  it('is printed with each new QR code and leads to the same survey', async () => {
    expect(issued.code).toBe(shortCodeOf(issued.token));
    const form = await f.request('/c');
    expect(form.status).toBe(200);
    expect(await form.text()).toContain('<form method="get" action="/c">');
    const typed = issued.code.toLowerCase().replace(/^(...)/, '$1-');
    for (const path of [`/c/${typed}`, `/c?code=${encodeURIComponent(` ${typed} `)}`]) {
      const response = await f.request(path);
      expect(response.status).toBe(302);
      expect(response.headers.get('location')).toBe(`/s/${issued.code}`);
    }
    const survey = await f.request(`/api/v1/s/${issued.code}`);
    expect(survey.status).toBe(200);
    expect(await survey.json()).toMatchObject({ counter: { code: 'BRVT.SKHDT.Q1' } });
    // An answer sent from the code's survey is stored at the counter, as a QR answer is.
    const body = {
      id: randomUUID(),
      answers: { TC1: 4, HL: 5 },
      startedAt: '2025-06-02T08:14:05+07:00',
      submittedAt: '2025-06-02T08:16:40+07:00',
      device: randomUUID(),
    };
    const sent = await f.request(`/api/v1/s/${issued.code}/responses`, jsonBody(body));
    expect(sent.status).toBe(201);
    const row = await f.database.db
      .selectFrom('response')
      .innerJoin('counter', 'counter.id', 'response.counter_id')
      .select(['counter.code', 'response.status', 'response.mode'])
      .where('response.online_id', '=', body.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ code: 'BRVT.SKHDT.Q1', status: 'valid', mode: 'qr' });
  });

  it('changes with a reissued QR code; the old one says it was replaced, an unknown one 404', async () => {
    const before = issued;
    issued = await issue();
    expect(issued.code).not.toBe(before.code);
    const old = await f.request(`/c/${before.code}`);
    expect(old.status).toBe(410);
    expect(await old.text()).toContain('Mã quầy này đã được thay bằng mã mới');
    expect((await f.request(`/c/${issued.code}`)).status).toBe(302);
    // A QR token typed as a code, or a code that was never issued, is no code.
    for (const path of ['/c/ABCDEFG', `/c/${issued.token}`]) {
      const response = await f.request(path);
      expect(response.status).toBe(404);
      expect(await response.text()).toContain('Không tìm thấy mã quầy này');
    }
    // Revoked with its QR token; the QR code of a counter is not drawn for its short code.
    expect(await revokeCounterToken(f.database.db, testActor, 'BRVT.SKHDT.Q1')).toBe(true);
    expect((await f.request(`/c/${issued.code}`)).status).toBe(410);
    issued = await issue();
    const svg = await f.request(
      `/api/v1/counters/BRVT.SKHDT.Q1/qr.svg?token=${encodeURIComponent(issued.code)}`,
      { token: f.tokens.admin },
    );
    expect(svg.status).toBeGreaterThanOrEqual(400);
  });

  it(`refuses a client's look-ups past ${SHORT_CODE_LOOKUPS_PER_MINUTE} a minute with 429, at /c and at a code's survey alike, a code typed once counting once`, async () => {
    // From the start of a fresh one-minute window, which the tests above have not used.
    await new Promise((resolve) => setTimeout(resolve, 60_000 - (Date.now() % 60_000) + 100));
    // Codes of the right form that no counter has: a guesser's.
    const guesses = [...'ABCDEFGHJKMN']
      .map((last) => `ABCDEF${last}`)
      .filter((g) => g !== issued.code);
    const half = SHORT_CODE_LOOKUPS_PER_MINUTE / 2;
    const statuses: number[] = [];
    // The survey of a code opened straight at /s/{CODE}, not found at /c first: one look-up.
    statuses.push((await f.request(`/s/${issued.code}`)).status);
    // Typed at /c, then the survey it leads to, the page and its API: one look-up each time.
    for (let i = 1; i < half; i++) {
      statuses.push((await f.request(`/c/${issued.code}`)).status);
      statuses.push((await f.request(`/s/${issued.code}`)).status);
      statuses.push((await f.request(`/api/v1/s/${issued.code}`)).status);
    }
    // Guessed surveys count, found or not: the answer tells a guesser.
    for (const guess of guesses.slice(0, half)) {
      statuses.push((await f.request(`/s/${guess}`)).status);
    }
    expect(statuses).toEqual([
      200,
      ...Array.from({ length: half - 1 }, () => [302, 200, 200]).flat(),
      ...Array.from({ length: half }, () => 404),
    ]);
    const guess = guesses[half] ?? '';
    for (const path of [`/c/${issued.code}`, `/s/${guess}`, `/s/${guess}/kiosk`]) {
      const refused = await f.request(path);
      expect(refused.status, path).toBe(429);
      expect(Number(refused.headers.get('retry-after')), path).toBeGreaterThan(0);
      expect(refused.headers.get('retry-after'), path).toMatch(/^\d+$/);
    }
    // The survey page says why, in its data, as any problem.
    const page = await (await f.request(`/s/${guess}`)).text();
    expect(page).toContain('"problem":{"status":429');
    const api = await f.request(`/api/v1/s/${guess}`);
    expect(api.status).toBe(429);
    expect(Number(api.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await api.json()).toMatchObject({ status: 429 });
    // The survey of the code this client found at /c opens still: it learns nothing new.
    expect((await f.request(`/s/${issued.code}`)).status).toBe(200);
    // A QR token is too long to guess: its survey is not counted, nor refused.
    expect((await f.request(`/s/${issued.token}`)).status).toBe(200);
    expect((await f.request(`/api/v1/s/${issued.token}`)).status).toBe(200);
  }, 120_000);
});
