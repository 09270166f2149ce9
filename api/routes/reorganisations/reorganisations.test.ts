// The reorganisation routes over the example organisation: two departments merged into a new
// one, previewed, refused when bad, applied, listed; an admin's alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../../../db/testing.ts';
import { createApiToken } from '../../services/credentials.ts';
import { openRouteFixture, testActor, type RouteFixture } from '../testing.ts';

const csv = (text: string) => new Blob([text], { type: 'text/csv' });

function form(on: string, reorganisation: string, more: Record<string, string> = {}): RequestInit {
  const body = new FormData();
  body.set('on', on);
  body.set('reorganisation', csv(reorganisation), 'reorganisation.csv');
  for (const [name, text] of Object.entries(more)) body.set(name, csv(text), `${name}.csv`);
  return { method: 'POST', body };
}

const MERGE =
  'predecessor,successor,share,successor_name,successor_parent,successor_type\n' +
  'BRVT.SKHDT,BRVT.STC,1,Sở Tài chính,BRVT,department\n' +
  'BRVT.STP,BRVT.STC,1,Sở Tài chính,BRVT,department\n';

describe.each(engines)('reorganisations over HTTP on %s', (engine) => {
  let f: RouteFixture;
  const admin = () => f.tokens.admin;
  beforeAll(async () => {
    f = await openRouteFixture(engine);
  });
  afterAll(() => f.database.close());

  it('previews a merge, storing nothing', async () => {
    const reply = await f.request('/api/v1/reorganisations/preview', {
      token: admin(),
      ...form('2025-07-01', MERGE),
    });
    expect(reply.status).toBe(200);
    const preview = await reply.json();
    expect(preview).toMatchObject({
      on: '2025-07-01',
      units: { before: 4, after: 3 },
      changes: [{ kind: 'merge', successors: [{ code: 'BRVT.STC', created: true }] }],
    });
    expect(preview.counterMoves.map((m: { counter: string }) => m.counter)).toEqual([
      'BRVT.SKHDT.Q1',
      'BRVT.STP.Q1',
    ]);
    const list = await f.request('/api/v1/reorganisations', { token: admin() });
    expect(await list.json()).toEqual([]);
  });

  it('refuses a bad file with each problem, and a bad date', async () => {
    const bad = await f.request('/api/v1/reorganisations', {
      token: admin(),
      ...form(
        '2025-07-01',
        'predecessor,successor,share,successor_name,successor_parent\nX,,2,,\n',
        {
          transfers: 'unit,parent\nNOPE,BRVT\n',
        },
      ),
    });
    expect(bad.status).toBe(422);
    expect((await bad.json()).errors).toEqual([
      { path: 'line 2, column share', message: 'a number above 0 and at most 1 (empty: 1)' },
      { path: 'transfers.csv, line 2, column unit', message: 'unknown unit NOPE' },
    ]);
    const date = await f.request('/api/v1/reorganisations', {
      token: admin(),
      ...form('2025-02-30', MERGE),
    });
    expect(date.status).toBe(422);
    expect((await date.json()).errors).toEqual([{ path: 'on', message: 'a date YYYY-MM-DD' }]);
    const noFile = new FormData();
    noFile.set('on', '2025-07-01');
    const missing = await f.request('/api/v1/reorganisations', {
      token: admin(),
      method: 'POST',
      body: noFile,
    });
    expect(missing.status).toBe(422);
  });

  it('applies it and lists it; other roles are refused', async () => {
    const applied = await f.request('/api/v1/reorganisations', {
      token: admin(),
      ...form('2025-07-01', MERGE),
    });
    expect(applied.status).toBe(201);
    expect(await applied.json()).toMatchObject({ id: 1, on: '2025-07-01' });
    const list = await f.request('/api/v1/reorganisations', { token: admin() });
    expect(await list.json()).toMatchObject([
      {
        id: 1,
        on: '2025-07-01',
        by: 'account:1',
        counts: { ended: 2, created: 1, lineage: 2, reparented: 0, counterMoves: 2 },
      },
    ]);
    const analyst = await createApiToken(f.database.db, testActor, {
      role: 'analyst',
      unit: 'BRVT',
    });
    expect((await f.request('/api/v1/reorganisations', { token: analyst })).status).toBe(403);
    expect(
      (await f.request('/api/v1/reorganisations', { token: analyst, ...form('2025-07-01', MERGE) }))
        .status,
    ).toBe(403);
  });
});
