import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../../../db/testing.ts';
import { createApiToken } from '../../services/credentials.ts';
import { csvBody, openRouteFixture, testActor, type RouteFixture } from '../testing.ts';

// Field 1 (30) = 1.1 (10) + 1.2 (20, districts only); field 2 (20) = 2.1, SIPAS.
const tree = [
  'node,name,max,source,applies_to,guidance',
  '1,Chỉ đạo,,,,',
  '1.1,Kế hoạch,10,assessment,,Quyết định ban hành',
  '1.2,Kiểm tra,20,assessment,district,',
  '2,Hài lòng,20,,,',
  '2.1,SIPAS,20,sipas,,',
].join('\n');

describe.each(engines)('framework trees over HTTP on %s', (engine) => {
  let f: RouteFixture;
  let analyst: string;

  beforeAll(async () => {
    f = await openRouteFixture(engine);
    analyst = await createApiToken(f.database.db, testActor, { role: 'analyst', unit: 'BRVT' });
  });
  afterAll(() => f.database.close());

  it('imports a tree and gives it back', async () => {
    const imported = await f.request('/api/v1/frameworks/p-tree/import?name=C%C3%A2y', {
      token: f.tokens.admin,
      ...csvBody(tree),
    });
    expect(imported.status).toBe(200);
    const body = await imported.json();
    expect(body).toMatchObject({ replaced: false, framework: { code: 'p-tree', name: 'Cây' } });
    const shown = await f.request('/api/v1/frameworks/p-tree', { token: analyst });
    expect(await shown.json()).toEqual(body.framework);
    expect(body.framework.nodes[0]).toEqual({
      code: '1',
      name: 'Chỉ đạo',
      max: 30,
      source: null,
      appliesTo: null,
      guidance: null,
    });
    expect(body.framework.bands).toEqual([
      { band: 'A', min: 90 },
      { band: 'B', min: 80 },
      { band: 'C', min: 70 },
      { band: 'D', min: 0 },
    ]);
  });

  it('reads a flat framework as a depth-one tree', async () => {
    const flat = await (
      await f.request('/api/v1/frameworks/par-2020-province', { token: analyst })
    ).json();
    expect(flat.nodes.map((n: { code: string; max: number }) => [n.code, n.max])).toEqual([
      ['appraisal', 66.5],
      ['sipas', 10],
      ['leaders', 23.5],
    ]);
    expect((await f.request('/api/v1/frameworks/nope', { token: analyst })).status).toBe(404);
  });

  it('refuses a bad file with its rows, and an analyst', async () => {
    const bad = await f.request('/api/v1/frameworks/p-bad/import', {
      token: f.tokens.admin,
      ...csvBody('node,name,max,source\n1,Một,5,\n1.1,Một một,4,assessment\n2.1,Mồ côi,3,import'),
    });
    expect(bad.status).toBe(422);
    expect((await bad.json()).errors.map((e: { path: string }) => e.path)).toEqual([
      'line 2, column max',
      'line 4, column node',
    ]);
    expect((await f.request('/api/v1/frameworks/p-bad', { token: analyst })).status).toBe(404);
    const refused = await f.request('/api/v1/frameworks/p-x/import', {
      token: analyst,
      ...csvBody(tree),
    });
    expect(refused.status).toBe(403);
  });
});
