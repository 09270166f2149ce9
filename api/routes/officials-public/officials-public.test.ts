import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  allAnswered,
  seedOfficialSurvey,
  type SeededSurvey,
} from '../../../db/official-surveys.testing.ts';
import { engines } from '../../../db/testing.ts';
import { createApp } from '../../app.ts';
import { OFFICIAL_LIMITS } from '../../../shared/official.ts';
import { openRouteFixture, type RouteFixture } from '../testing.ts';

/** Inside the seeded survey's days (1–30 November 2026, Vietnam's). */
const now = () => new Date('2026-11-15T03:00:00Z');

describe.each(engines)("an official's link over HTTP on %s", (engine) => {
  let f: RouteFixture;
  let app: ReturnType<typeof createApp>;
  let seeded: SeededSurvey;
  const appDir = mkdtempSync(join(tmpdir(), 'sipas-officials-'));

  beforeAll(async () => {
    f = await openRouteFixture(engine);
    seeded = await seedOfficialSurvey(f.database.db);
    // A build of the shape Vite writes: the officials' page and its script.
    mkdirSync(join(appDir, 'officials'), { recursive: true });
    writeFileSync(
      join(appDir, 'officials', 'index.html'),
      '<!doctype html>\n<html lang="vi">\n  <head>\n' +
        '    <script type="module" crossorigin src="/assets/officials-F1.js"></script>\n' +
        '  </head>\n  <body>\n    <div id="app"></div>\n  </body>\n</html>\n',
    );
    app = createApp({ connection: f.database, config: f.config, appDir, now });
  });
  afterAll(async () => {
    rmSync(appDir, { recursive: true, force: true });
    await f.database.close();
  });

  const token = (i: number) => seeded.tokens[i] ?? '';
  const post = (i: number, body: string, headers: Record<string, string> = {}) =>
    app.request(`/api/v1/o/${token(i)}/responses`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body,
    });
  const answer = (id = randomUUID(), option = 'A') =>
    JSON.stringify({ id, answers: allAnswered(option) });
  const answered = async () => {
    const row = await f.database.db
      .selectFrom('official_response')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  };

  it('serves the page payload, no-store, and 404 for an unknown link', async () => {
    const response = await app.request(`/api/v1/o/${token(0)}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const page = await response.json();
    expect(page.group).toBe('Lãnh đạo phòng');
    expect(page.instrument.items).toHaveLength(8);
    const unknown = await app.request(`/api/v1/o/${'x'.repeat(22)}`, {
      headers: { 'Accept-Language': 'vi' },
    });
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).detail).toMatch(/^Không tìm thấy đường dẫn này/);
  });

  it('refuses another content type (415), a body too large (413), not an object (400) or of another shape (422), storing nothing', async () => {
    const form = await post(0, answer(), { 'Content-Type': 'text/plain' });
    expect(form.status).toBe(415);
    const big = JSON.stringify({
      id: randomUUID(),
      answers: allAnswered('A', { pad: 'x'.repeat(OFFICIAL_LIMITS.submissionBytes) }),
    });
    expect((await post(0, big)).status).toBe(413);
    expect((await post(0, '[1, 2]')).status).toBe(400);
    expect((await post(0, '{"id": ')).status).toBe(400);
    const shape = await post(0, JSON.stringify({ id: 'x', answers: allAnswered(), more: 1 }));
    expect(shape.status).toBe(422);
    const problem = await shape.json();
    expect(problem.errors.map((e: { path: string }) => e.path).sort()).toEqual(['id', 'more']);
    const option = await post(0, JSON.stringify({ id: randomUUID(), answers: allAnswered('Z') }));
    expect(option.status).toBe(422);
    expect((await option.json()).errors[0]).toEqual({
      path: 'answers.LD1',
      message: 'one of A, B, C, D',
    });
    expect(await answered()).toBe(0);
  });

  it('stores once: 201, the same key again 200, another key 409 in the language asked', async () => {
    const key = randomUUID();
    const first = await post(0, answer(key));
    expect([first.status, await first.json()]).toEqual([201, { status: 'stored' }]);
    expect(first.headers.get('cache-control')).toBe('no-store');
    const again = await post(0, answer(key));
    expect([again.status, await again.json()]).toEqual([200, { status: 'stored' }]);
    const other = await post(0, answer(randomUUID(), 'B'), { 'Accept-Language': 'vi' });
    expect(other.status).toBe(409);
    expect((await other.json()).detail).toBe(
      'Đường dẫn này đã được dùng để trả lời. Mỗi đường dẫn chỉ trả lời được một lần.',
    );
    const otherEn = await post(0, answer(randomUUID(), 'B'), { 'Accept-Language': 'en' });
    expect((await otherEn.json()).detail).toBe(
      'This link has already been used to answer. Each link answers once.',
    );
    expect(await answered()).toBe(1);
    expect((await app.request(`/api/v1/o/${token(0)}`)).status).toBe(409);
  });

  it('refuses once the survey has closed by the app’s clock (410)', async () => {
    const later = createApp({
      connection: f.database,
      config: f.config,
      now: () => new Date('2026-12-01T01:00:00Z'),
    });
    const response = await later.request(`/api/v1/o/${token(1)}/responses`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: answer(),
    });
    expect(response.status).toBe(410);
    expect((await later.request(`/api/v1/o/${token(1)}`)).status).toBe(410);
  });

  it('serves /o/{token} with the payload or the problem embedded, under the strict policy', async () => {
    const page = await app.request(`/o/${token(2)}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self';/);
    const html = await page.text();
    expect(html).toContain('<link rel="modulepreload" crossorigin href="/assets/officials-F1.js">');
    const data = (text: string) =>
      JSON.parse(/id="survey-data">([^<]*)<\/script>/.exec(text)?.[1] ?? 'null');
    expect(data(html).page.group).toBe('Lãnh đạo phòng');
    const used = await app.request(`/o/${token(0)}`);
    expect(used.status).toBe(409);
    expect(data(await used.text()).problem).toEqual({
      status: 409,
      reason: 'used',
      detail: 'Đường dẫn này đã được dùng để trả lời. Mỗi đường dẫn chỉ trả lời được một lần.',
    });
    const unknown = await app.request(`/o/${'y'.repeat(22)}`);
    expect(unknown.status).toBe(404);
    expect(data(await unknown.text()).problem.reason).toBe('unknown');
  });
});
