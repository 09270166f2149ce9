import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../../../db/testing.ts';
import { createApp } from '../../app.ts';
import { loadConfig } from '../../config.ts';
import { createCampaign } from '../../services/campaigns/index.ts';
import { csvBody, jsonBody, openRouteFixture, testActor, type RouteFixture } from '../testing.ts';

describe.each(engines)('units, counters and QR codes on %s', (engine) => {
  let f: RouteFixture;
  const admin = () => f.tokens.admin;

  beforeAll(async () => {
    f = await openRouteFixture(engine);
  });
  afterAll(() => f.database.close());

  it('creates, reads, updates and deletes a unit, refusing cycles and deleting only the unused', async () => {
    const created = await f.request('/api/v1/units', {
      token: admin(),
      ...jsonBody({ code: 'BRVT.SNV', name: 'Sở Nội vụ', parent: 'BRVT' }),
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toEqual({ code: 'BRVT.SNV', name: 'Sở Nội vụ', parent: 'BRVT' });
    expect(
      (
        await f.request('/api/v1/units', {
          token: admin(),
          ...jsonBody({ code: 'BRVT', name: 'x' }),
        })
      ).status,
    ).toBe(409);

    const cycle = await f.request('/api/v1/units/BRVT', {
      token: admin(),
      ...jsonBody({ parent: 'BRVT.SNV' }, 'PATCH'),
    });
    expect(cycle.status).toBe(422);
    expect((await cycle.json()).errors).toEqual([
      { path: 'parent', message: 'BRVT.SNV is BRVT or lies under it' },
    ]);

    const moved = await f.request('/api/v1/units/BRVT.SNV', {
      token: admin(),
      ...jsonBody({ name: 'Sở Nội vụ tỉnh', parent: null }, 'PATCH'),
    });
    expect(await moved.json()).toEqual({ code: 'BRVT.SNV', name: 'Sở Nội vụ tỉnh', parent: null });
    const read = await f.request('/api/v1/units/BRVT.SNV', { token: admin() });
    expect(await read.json()).toEqual({ code: 'BRVT.SNV', name: 'Sở Nội vụ tỉnh', parent: null });

    const inUse = await f.request('/api/v1/units/BRVT.STP', { token: admin(), method: 'DELETE' });
    expect(inUse.status).toBe(409);
    expect((await inUse.json()).detail).toMatch(/1 counters/);
    expect(
      (await f.request('/api/v1/units/BRVT.SNV', { token: admin(), method: 'DELETE' })).status,
    ).toBe(204);
    expect((await f.request('/api/v1/units/BRVT.SNV', { token: admin() })).status).toBe(404);
  });

  it('imports units.csv and counters.csv, reporting a bad file line by line', async () => {
    const units = await f.request('/api/v1/units/import', {
      token: admin(),
      ...csvBody('unit,name,parent\nBRVT.SYT,Sở Y tế,BRVT\nBRVT.STP,Sở Tư pháp tỉnh,BRVT\n'),
    });
    expect(units.status).toBe(200);
    expect(await units.json()).toEqual({ created: 1, updated: 1 });
    const bad = await f.request('/api/v1/counters/import', {
      token: admin(),
      ...csvBody('counter,unit,name\nBRVT.SYT.Q1,BRVT.NOWHERE,Quầy 1\n'),
    });
    expect(bad.status).toBe(422);
    expect((await bad.json()).errors).toEqual([
      { path: 'line 2, column unit', message: 'unknown unit BRVT.NOWHERE' },
    ]);
  });

  it('creates, moves and deletes a counter; one in a campaign stays', async () => {
    const created = await f.request('/api/v1/counters', {
      token: admin(),
      ...jsonBody({ code: 'BRVT.SYT.Q1', unit: 'BRVT.SYT', name: 'Quầy 1' }),
    });
    expect(created.status).toBe(201);
    const moved = await f.request('/api/v1/counters/BRVT.SYT.Q1', {
      token: admin(),
      ...jsonBody({ unit: 'BRVT.STP', name: 'Quầy Y tế' }, 'PATCH'),
    });
    expect(await moved.json()).toEqual({
      code: 'BRVT.SYT.Q1',
      name: 'Quầy Y tế',
      unit: 'BRVT.STP',
      hasToken: false,
    });
    const listed = await f.request('/api/v1/counters?unit=BRVT.STP', { token: admin() });
    expect((await listed.json()).map((c: { code: string }) => c.code)).toEqual([
      'BRVT.STP.Q1',
      'BRVT.SYT.Q1',
    ]);
    await createCampaign(f.database.db, testActor, {
      code: 'C1',
      instrument: 'sipas-2017',
      from: '2025-01-01',
      to: '2025-12-31',
      counters: ['BRVT.STP.Q1'],
    });
    const held = await f.request('/api/v1/counters/BRVT.STP.Q1', {
      token: admin(),
      method: 'DELETE',
    });
    expect(held.status).toBe(409);
    const gone = await f.request('/api/v1/counters/BRVT.SYT.Q1', {
      token: admin(),
      method: 'DELETE',
    });
    expect(gone.status).toBe(204);
    expect((await f.request('/api/v1/counters/BRVT.SYT.Q1', { token: admin() })).status).toBe(404);
  });

  it('issues a token once, draws its QR code as SVG and PNG, and revokes it', async () => {
    const issued = await f.request('/api/v1/counters/BRVT.STP.Q1/token', {
      token: admin(),
      method: 'POST',
    });
    expect(issued.status).toBe(201);
    const { token, url, counter } = await issued.json();
    expect(counter).toBe('BRVT.STP.Q1');
    expect(url).toBe(`https://sipas.example.vn/s/${token}`);
    expect(token).toMatch(/^[A-Za-z0-9_-]{22}$/);

    const svg = await f.request(`/api/v1/counters/BRVT.STP.Q1/qr.svg?token=${token}`, {
      token: admin(),
    });
    expect(svg.status).toBe(200);
    expect(svg.headers.get('content-type')).toBe('image/svg+xml');
    expect(await svg.text()).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    const png = await f.request(`/api/v1/counters/BRVT.STP.Q1/qr.png?token=${token}`, {
      token: admin(),
    });
    expect(png.headers.get('content-type')).toBe('image/png');
    expect([...new Uint8Array(await png.arrayBuffer()).slice(0, 4)]).toEqual([
      0x89, 0x50, 0x4e, 0x47,
    ]);

    // Another counter's token, or a made-up one, draws nothing.
    const other = await f.request(`/api/v1/counters/BRVT.SKHDT.Q1/qr.svg?token=${token}`, {
      token: admin(),
    });
    expect(other.status).toBe(422);
    expect((await other.json()).errors[0].path).toBe('token');

    expect((await f.request(`/api/v1/s/${token}`)).status).toBe(410); // no campaign open today
    const revoked = await f.request('/api/v1/counters/BRVT.STP.Q1/token', {
      token: admin(),
      method: 'DELETE',
    });
    expect(await revoked.json()).toEqual({ counter: 'BRVT.STP.Q1', revoked: true });
    const after = await f.request(`/api/v1/counters/BRVT.STP.Q1/qr.svg?token=${token}`, {
      token: admin(),
    });
    expect(after.status).toBe(422);
    const again = await f.request('/api/v1/counters/BRVT.STP.Q1/token', {
      token: admin(),
      method: 'DELETE',
    });
    expect(await again.json()).toEqual({ counter: 'BRVT.STP.Q1', revoked: false });
  });

  it("prints a unit's sheet: fresh tokens, one card per counter, no script", async () => {
    const old = await (
      await f.request('/api/v1/counters/BRVT.SKHDT.Q1/token', { token: admin(), method: 'POST' })
    ).json();
    const sheet = await f.request('/api/v1/units/BRVT.SKHDT/qr-sheet', {
      token: admin(),
      method: 'POST',
    });
    expect(sheet.status).toBe(200);
    expect(sheet.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await sheet.text();
    expect(html).not.toMatch(/<script|\sstyle=|\son[a-z]+=/i);
    expect(html.match(/<article class="card">/g)).toHaveLength(1);
    expect(html).toContain('<h2>Quầy 1</h2>');
    expect(html).toContain('Sở Kế hoạch và Đầu tư');
    expect(html).toContain('Mời Ông/Bà quét mã QR');
    expect(html).toContain('<link rel="stylesheet" href="http://localhost/api/qr-sheet.css">');
    // SIPAS_PUBLIC_URL is set: no warning.
    expect(html).not.toContain('class="warning"');
    const printed = /https:\/\/sipas\.example\.vn\/s\/([A-Za-z0-9_-]{22})/.exec(html)?.[1];
    expect(printed).toBeDefined();
    expect(printed).not.toBe(old.token);
    // The printed token works; the one before it is revoked.
    const current = await f.request(`/api/v1/counters/BRVT.SKHDT.Q1/qr.svg?token=${printed}`, {
      token: admin(),
    });
    expect(current.status).toBe(200);
    expect((await f.request(`/api/v1/s/${old.token}`)).status).toBe(410);
    const css = await f.request('/api/qr-sheet.css');
    expect(await css.text()).toMatch(/@page \{ size: A4/);

    const empty = await f.request('/api/v1/units/BRVT/qr-sheet', {
      token: admin(),
      method: 'POST',
    });
    expect(empty.status).toBe(422);
  });

  it('warns on the sheet when its QR codes point at localhost', async () => {
    // SIPAS_PUBLIC_URL unset, listening on every address (the default HOST).
    const app = createApp({ connection: f.database, config: loadConfig({ PORT: '8800' }) });
    const sheet = await app.request('/api/v1/units/BRVT.SKHDT/qr-sheet', {
      method: 'POST',
      headers: { Authorization: `Bearer ${admin()}` },
    });
    expect(sheet.status).toBe(200);
    const html = await sheet.text();
    const warning = /<p class="warning" role="alert">([^<]*)<\/p>/.exec(html)?.[1];
    expect(warning).toMatch(/^Cảnh báo: các mã QR dưới đây trỏ tới http:\/\/localhost:8800,/);
    expect(warning).toContain('SIPAS_PUBLIC_URL is not set');
    expect(html).toMatch(/http:\/\/localhost:8800\/s\/[A-Za-z0-9_-]{22}/);

    const local = createApp({
      connection: f.database,
      config: loadConfig({ PORT: '8800', HOST: '127.0.0.1' }),
    });
    const quiet = await local.request('/api/v1/units/BRVT.SKHDT/qr-sheet', {
      method: 'POST',
      headers: { Authorization: `Bearer ${admin()}` },
    });
    expect(await quiet.text()).not.toContain('class="warning"');
  });
});
