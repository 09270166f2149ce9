// The publication routes' status codes, and the scorecard read as published or live.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../../../db/testing.ts';
import { createApiToken } from '../../services/credentials.ts';
import { csvBody, jsonBody, openRouteFixture, testActor, type RouteFixture } from '../testing.ts';

const base = '/api/v1/par/par-2020-province';
const key = 'period=2020&peers=BRVT';

describe.each(engines)('PAR publication routes on %s', (engine) => {
  let f: RouteFixture;
  const tokens = { analyst: '', appraiser: '', appraiserBelow: '' };
  const admin = () => f.tokens.admin;
  const post = (path: string, body: unknown, token: string) =>
    f.request(`${base}${path}`, { token, ...jsonBody(body) });

  beforeAll(async () => {
    f = await openRouteFixture(engine);
    const db = f.database.db;
    tokens.analyst = await createApiToken(db, testActor, { role: 'analyst', unit: 'BRVT' });
    tokens.appraiser = await createApiToken(db, testActor, { role: 'appraiser', unit: 'BRVT' });
    tokens.appraiserBelow = await createApiToken(db, testActor, {
      role: 'appraiser',
      unit: 'BRVT.STP',
    });
    // Totals: STP 60 + 9 + 20 = 89, SKHDT 56.93 + 9.29 + 19.36 = 85.58, CHAUDUC 50 + 8.5 + 20
    // = 78.5.
    const stored = await f.request(`${base}/points?period=2020`, {
      token: admin(),
      ...csvBody(
        [
          'unit,component,points',
          'BRVT.STP,appraisal,60',
          'BRVT.STP,sipas,9',
          'BRVT.STP,leaders,20',
          'BRVT.SKHDT,appraisal,56.93',
          'BRVT.SKHDT,sipas,9.29',
          'BRVT.SKHDT,leaders,19.36',
          'BRVT.CHAUDUC,appraisal,50',
          'BRVT.CHAUDUC,sipas,8.5',
          'BRVT.CHAUDUC,leaders,20',
        ].join('\n'),
      ),
    });
    expect(stored.status).toBe(200);
  });
  afterAll(() => f.database.close());

  it('publishes, refuses who may not, and a second version without a reason', async () => {
    expect(
      (await post('/publications', { period: '2020', peers: 'BRVT' }, tokens.analyst)).status,
    ).toBe(403);
    const below = await post(
      '/publications',
      { period: '2020', peers: 'BRVT' },
      tokens.appraiserBelow,
    );
    expect(below.status).toBe(403);
    expect((await post('/publications', { period: '2020' }, admin())).status).toBe(422);
    expect((await post('/publications', { period: '2020', peers: 'NOPE' }, admin())).status).toBe(
      404,
    );
    const unknown = await f.request('/api/v1/par/nope/publications', {
      token: admin(),
      ...jsonBody({ period: '2020', peers: 'BRVT' }),
    });
    expect(unknown.status).toBe(404);

    const first = await post('/publications', { period: '2020', peers: 'BRVT' }, admin());
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({
      framework: 'par-2020-province',
      version: 1,
      reason: null,
      source: 'service',
      assessments: [],
    });
    const again = await post('/publications', { period: '2020', peers: 'BRVT' }, admin());
    expect(again.status).toBe(409);
    expect((await again.json()).errors).toEqual([
      { path: 'reason', message: 'version 1 is published: a correction needs its reason' },
    ]);
    const second = await post(
      '/publications',
      { period: '2020', peers: 'BRVT', reason: 'Sửa điểm' },
      tokens.appraiser,
    );
    expect(second.status).toBe(201);
    expect(await second.json()).toMatchObject({ version: 2, reason: 'Sửa điểm' });
  });

  it('lists the versions and reads each', async () => {
    const list = await f.request(`${base}/publications?${key}`, { token: tokens.analyst });
    expect(list.status).toBe(200);
    expect((await list.json()).versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    const first = await f.request(`${base}/publications/1?${key}`, { token: tokens.analyst });
    expect(first.status).toBe(200);
    const document = (await first.json()).document;
    expect(document.level).toBe('all');
    expect(document.rows.map((r: { unit: string; rank: number }) => [r.unit, r.rank])).toEqual([
      ['BRVT.STP', 1],
      ['BRVT.SKHDT', 2],
      ['BRVT.CHAUDUC', 3],
    ]);
    const latest = await f.request(`${base}/publications/latest?${key}`, { token: admin() });
    expect((await latest.json()).version).toBe(2);
    expect((await f.request(`${base}/publications/9?${key}`, { token: admin() })).status).toBe(404);
    expect((await f.request(`${base}/publications/x?${key}`, { token: admin() })).status).toBe(422);
  });

  it('serves the scorecard as published, and live on asking', async () => {
    // STP's leaders points fall to 10 after publication: 79 points, now 2nd.
    await f.request(`${base}/points?period=2020`, {
      token: admin(),
      ...csvBody('unit,component,points\nBRVT.STP,leaders,10'),
    });
    const published = await f.request(`${base}/scorecard?${key}`, { token: tokens.analyst });
    const card = await published.json();
    expect(card.published).toMatchObject({ version: 2, reason: 'Sửa điểm', source: 'service' });
    expect(card.rows[0]).toMatchObject({ unit: 'BRVT.STP', rank: 1 });
    expect(card.rows[0].total).toBeCloseTo(89, 9);
    const live = await (
      await f.request(`${base}/scorecard?${key}&live=true`, { token: tokens.analyst })
    ).json();
    expect(live.published).toBeUndefined();
    expect(live.rows.map((r: { unit: string }) => r.unit)).toEqual([
      'BRVT.SKHDT',
      'BRVT.STP',
      'BRVT.CHAUDUC',
    ]);
    const csv = await f.request(`${base}/scorecard?${key}&format=csv`, { token: tokens.analyst });
    expect(csv.headers.get('content-disposition')).toContain(
      'par-2020-province-2020-BRVT-scorecard-published-2.csv',
    );
  });

  it('imports results published elsewhere, an admin alone, all or nothing', async () => {
    const path = `${base}/publications/import?period=2020&peers=VN63&source=B%E1%BB%99%20N%E1%BB%99i%20v%E1%BB%A5`;
    const file = 'unit,points,rank,band\nBRVT,85.62,11,B\nHCM,91.5,1,A\n';
    expect((await f.request(path, { token: tokens.analyst, ...csvBody(file) })).status).toBe(403);
    const bad = await f.request(path, {
      token: admin(),
      ...csvBody('unit,points,rank\nBRVT,x,11\n'),
    });
    expect(bad.status).toBe(422);
    expect((await bad.json()).errors).toEqual([
      { path: 'line 2, column points', message: 'not a number of points such as 85.62' },
    ]);
    const imported = await f.request(path, { token: admin(), ...csvBody(file) });
    expect(imported.status).toBe(201);
    expect(await imported.json()).toMatchObject({
      version: 1,
      source: 'import',
      origin: 'Bộ Nội vụ',
      rows: 2,
    });
    const card = await (
      await f.request(`${base}/scorecard?period=2020&peers=VN63&level=total`, {
        token: tokens.analyst,
      })
    ).json();
    expect(card.rows.map((r: { unit: string; rank: number }) => [r.unit, r.rank])).toEqual([
      ['HCM', 1],
      ['BRVT', 11],
    ]);
  });
});
