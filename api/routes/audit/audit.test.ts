import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../../../db/testing.ts';
import { randomUUID } from 'node:crypto';
import { createApiToken } from '../../services/credentials.ts';
import { enterResponse, listQuarantined, releaseQuarantined } from '../../services/responses.ts';
import {
  day,
  jsonBody,
  openRouteFixture,
  openSurvey,
  testActor,
  type RouteFixture,
} from '../testing.ts';

interface Entry {
  id: string;
  actor: string;
  actorName: string | null;
  action: string;
  subject: string;
  detail: unknown;
}

describe.each(engines)('the audit log on %s', (engine) => {
  let f: RouteFixture;
  let analyst: string;
  let released = '';

  beforeAll(async () => {
    f = await openRouteFixture(engine);
    const db = f.database.db;
    // By the test's operator: campaign.create AUDIT1, counter.issue-token.
    const survey = await openSurvey(db, 'BRVT.SKHDT.Q1', { code: 'AUDIT1' });
    const created = await f.request('/api/v1/campaigns', {
      token: f.tokens.admin,
      ...jsonBody({
        code: 'AUDIT2',
        instrument: 'sipas-2017',
        from: day(-5),
        to: day(5),
        counters: ['BRVT.STP.Q1'],
      }),
    });
    expect(created.status).toBe(201);
    await enterResponse(db, testActor, 'AUDIT2', {
      counter: 'BRVT.STP.Q1',
      submittedAt: day(),
      answers: { TC1: 4 },
    });
    analyst = await createApiToken(db, testActor, { role: 'analyst', unit: 'BRVT.SKHDT' });
    const id = randomUUID();
    const sent = await f.request(`/api/v1/s/${survey}/responses`, {
      ...jsonBody({ id, answers: { TC1: 4 }, website: 'spam' }),
    });
    expect(await sent.json()).toEqual({ id, status: 'quarantined' });
    const [quarantined] = await listQuarantined(db, testActor, 'AUDIT1');
    released = quarantined?.id ?? '';
    const release = await f.request('/api/v1/quarantine/release', {
      token: f.tokens.admin,
      ...jsonBody({ ids: [released], note: 'Phiếu thật: đã gọi lại người dân' }),
    });
    expect(release.status).toBe(200);
  });
  afterAll(() => f.database.close());

  const page = async (query: string) => {
    const response = await f.request(`/api/v1/audit${query}`, { token: f.tokens.admin });
    expect(response.status, query).toBe(200);
    return (await response.json()) as { entries: Entry[]; next: string | null };
  };

  it('lists who did what, newest first, and filters by action', async () => {
    const { entries } = await page('?limit=4');
    expect(entries.map((e) => [e.action, e.subject])).toEqual([
      ['response.release', `response:${released}`],
      ['token.create', expect.stringMatching(/^account:\d+$/)],
      ['response.enter', expect.stringMatching(/^response:\d+$/)],
      ['campaign.create', 'AUDIT2'],
    ]);
    expect(entries[0]).toMatchObject({
      actor: 'account:1',
      actorName: 'admin',
      detail: { reason: 'honeypot', note: 'Phiếu thật: đã gọi lại người dân' },
    });
    expect(entries[2]).toMatchObject({ actor: 'test', actorName: null });
    const releases = await page('?action=response.release');
    expect(releases.entries.map((e) => e.subject)).toEqual([`response:${released}`]);
  });

  it('filters by the unit an entry is about', async () => {
    const skhdt = await page('?unit=BRVT.SKHDT');
    expect(skhdt.entries.map((e) => e.action)).toEqual([
      'response.release',
      'token.create',
      'counter.issue-token',
      'campaign.create',
    ]);
    const stp = await page('?unit=BRVT.STP');
    expect(stp.entries.map((e) => e.action)).toEqual(['response.enter', 'campaign.create']);
    const province = await page('?unit=BRVT&action=campaign.create');
    expect(province.entries.map((e) => e.subject)).toEqual(['AUDIT2', 'AUDIT1']);
    const unknown = await f.request('/api/v1/audit?unit=NOPE', { token: f.tokens.admin });
    expect(unknown.status).toBe(404);
  });

  it('pages by id and filters by days and actor', async () => {
    const first = await page('?unit=BRVT.SKHDT&limit=3');
    expect(first.entries).toHaveLength(3);
    expect(first.next).toBe(first.entries[2]?.id);
    const second = await page(`?unit=BRVT.SKHDT&limit=3&before=${first.next ?? ''}`);
    expect(second.entries.map((e) => e.action)).toEqual(['campaign.create']);
    expect(second.next).toBeNull();
    expect((await page(`?from=${day(1)}`)).entries).toEqual([]);
    expect((await page(`?to=${day(-1)}`)).entries).toEqual([]);
    const today = await page(`?from=${day()}&to=${day()}&actor=account:1`);
    expect(today.entries.map((e) => e.action)).toEqual(['response.release', 'campaign.create']);
  });

  it('answers 422 naming a bad field, and 403 to anyone but an admin', async () => {
    const bad = await f.request('/api/v1/audit?from=2026-02-30&limit=0', {
      token: f.tokens.admin,
    });
    expect(bad.status).toBe(422);
    expect((await bad.json()).errors.map((e: { path: string }) => e.path)).toEqual([
      'from',
      'limit',
    ]);
    expect((await f.request('/api/v1/audit', { token: analyst })).status).toBe(403);
    const actions = await f.request('/api/v1/audit/actions', { token: f.tokens.admin });
    expect(await actions.json()).toEqual(
      expect.arrayContaining(['campaign.create', 'response.release']),
    );
  });

  it('refuses a release note that is too long, releasing nothing', async () => {
    await expect(
      releaseQuarantined(f.database.db, testActor, [released], 'x'.repeat(1001)),
    ).rejects.toMatchObject({
      errors: expect.arrayContaining([
        {
          path: 'note',
          message: { vi: 'dài hơn 1000 ký tự', en: 'longer than 1000 characters' },
        },
      ]),
    });
  });
});
