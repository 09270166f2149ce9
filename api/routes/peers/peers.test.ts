// Peer groups over HTTP: peers.csv uploaded (a bad file one 422 naming its rows, nothing
// stored), listed and shown; a scorecard and a league table of a group, and an unknown group
// as a 404 problem naming `peers`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../../../db/testing.ts';
import { createApiToken } from '../../services/credentials.ts';
import { csvBody, openRouteFixture, testActor, type RouteFixture } from '../testing.ts';

const peers = (...rows: string[]) => csvBody(['group,period,unit', ...rows].join('\n'));

describe.each(engines)('peer groups over HTTP on %s', (engine) => {
  let f: RouteFixture;
  let surveyor: string;
  beforeAll(async () => {
    f = await openRouteFixture(engine);
    surveyor = await createApiToken(f.database.db, testActor, { role: 'surveyor', unit: 'BRVT' });
  });
  afterAll(() => f.database.close());

  it('imports peers.csv all or nothing, then lists and shows the group', async () => {
    const bad = await f.request('/api/v1/peer-groups/import', {
      token: f.tokens.admin,
      ...peers('so,2025,BRVT.SKHDT', 'so,2025-13,BRVT.STP', 'so,2025,BRVT.SKHDT'),
    });
    expect(bad.status).toBe(422);
    expect(bad.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await bad.json()).errors).toEqual([
      { path: 'line 3, column period', message: expect.any(String) },
      { path: 'line 4, column unit', message: 'BRVT.SKHDT (so, 2025) is also on line 2' },
    ]);
    expect(
      await (await f.request('/api/v1/peer-groups', { token: f.tokens.admin })).json(),
    ).toEqual([]);

    const good = await f.request('/api/v1/peer-groups/import', {
      token: f.tokens.admin,
      ...peers('so,2025,BRVT.SKHDT', 'so,2025,BRVT.STP'),
    });
    expect(await good.json()).toEqual({
      groups: [{ name: 'so', period: '2025', units: 2, replaced: false }],
    });
    const listed = await f.request('/api/v1/peer-groups?period=2025', { token: f.tokens.admin });
    expect(await listed.json()).toEqual([{ name: 'so', period: '2025', units: 2 }]);
    const shown = await f.request('/api/v1/peer-groups/so/2025', { token: f.tokens.admin });
    expect(await shown.json()).toMatchObject({
      day: '2025-12-31',
      units: [{ code: 'BRVT.SKHDT' }, { code: 'BRVT.STP' }],
      outside: 0,
    });
    expect((await f.request('/api/v1/peer-groups/so/2024', { token: f.tokens.admin })).status).toBe(
      404,
    );
    // A surveyor does not import peer groups.
    const refused = await f.request('/api/v1/peer-groups/import', {
      token: surveyor,
      ...peers('so,2025,BRVT.STP'),
    });
    expect(refused.status).toBe(403);
  });

  it('answers an unknown group of a scorecard with a 404 problem naming peers', async () => {
    const response = await f.request(
      '/api/v1/par/par-2020-province/scorecard?period=2025&peers=nope',
      { token: f.tokens.admin },
    );
    expect(response.status).toBe(404);
    expect((await response.json()).errors).toEqual([
      { path: 'peers', message: 'unknown unit nope' },
    ]);
    const card = await f.request('/api/v1/par/par-2020-province/scorecard?period=2025&peers=so', {
      token: f.tokens.admin,
    });
    expect(await card.json()).toMatchObject({ peers: 'so', rows: [] });
  });
});
