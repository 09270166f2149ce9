import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../../../db/testing.ts';
import { createCampaign } from '../../services/campaigns/index.ts';
import { createApiToken } from '../../services/credentials.ts';
import {
  csvBody,
  fixture,
  jsonBody,
  openRouteFixture,
  openSurvey,
  type RouteFixture,
  testActor,
} from '../testing.ts';

const records = (text: string): Record<string, string>[] =>
  parse(text, { columns: true, bom: true });

describe.each(engines)('responses on %s', (engine) => {
  let f: RouteFixture;
  const admin = () => f.tokens.admin;
  const count = async (campaign = 'BRVT-2025') =>
    Number(
      (
        await f.database.db
          .selectFrom('response as r')
          .innerJoin('campaign as c', 'c.id', 'r.campaign_id')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('c.code', '=', campaign)
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    f = await openRouteFixture(engine);
    await createCampaign(f.database.db, testActor, {
      code: 'BRVT-2025',
      instrument: 'sipas-2017',
      from: '2025-01-01',
      to: '2025-12-31',
      counters: 'all',
    });
  });
  afterAll(() => f.database.close());

  it('checks a file without storing it (dryRun), then imports it once', async () => {
    const path = '/api/v1/campaigns/BRVT-2025/responses/import';
    const dry = await f.request(`${path}?dryRun=true`, {
      token: admin(),
      ...csvBody(fixture('responses.csv')),
    });
    expect(await dry.json()).toEqual({ stored: 60, duplicates: [], dryRun: true });
    expect(await count()).toBe(0);
    const real = await f.request(path, { token: admin(), ...csvBody(fixture('responses.csv')) });
    expect(await real.json()).toMatchObject({ stored: 60, dryRun: false });
    const again = await f.request(path, { token: admin(), ...csvBody(fixture('responses.csv')) });
    const repeat = await again.json();
    expect(repeat.stored).toBe(0);
    expect(repeat.duplicates).toHaveLength(60);
    expect(await count()).toBe(60);
  });

  it('refuses a bad file whole, naming line and column', async () => {
    const bad = await f.request('/api/v1/campaigns/BRVT-2025/responses/import', {
      token: admin(),
      ...csvBody(
        'counter,submitted_at,mode,TC1,PA2,PAQ,XX\n' +
          'BRVT.STP.Q1,2025-03-01,paper,4,,1,\n' +
          'BRVT.STP.Q1,2026-03-01,paper,9,4,0,\n',
      ),
    });
    expect(bad.status).toBe(422);
    expect((await bad.json()).errors).toEqual([
      {
        path: 'line 1, column XX',
        message: 'unknown column: neither a response field nor an item of sipas-2017',
      },
    ]);
    const ignoring = await f.request(
      '/api/v1/campaigns/BRVT-2025/responses/import?ignoreUnknown=true',
      {
        token: admin(),
        ...csvBody(
          'counter,submitted_at,mode,TC1,PA2,PAQ,XX\n' +
            'BRVT.STP.Q1,2025-03-01,paper,4,,1,\n' +
            'BRVT.STP.Q1,2026-03-01,paper,9,4,0,\n',
        ),
      },
    );
    expect(ignoring.status).toBe(422);
    expect((await ignoring.json()).errors.map((e: { path: string }) => e.path)).toEqual([
      'line 3, column submitted_at',
      'line 3, column TC1',
      'line 3, column PA2',
    ]);
    expect(await count()).toBe(60);
  });

  it('keys in a paper form with the same rules, mode paper by default', async () => {
    const path = '/api/v1/campaigns/BRVT-2025/responses';
    const form = {
      counter: 'BRVT.STP.Q1',
      submittedAt: '2025-07-01 09:30',
      responseId: 'P-0001',
      serviceArea: 'TP',
      answers: { TC1: 5, TC2: 4, PAQ: 1, PA2: 3, HL: 4, MD: [1, 3] },
    };
    const created = await f.request(path, { token: admin(), ...jsonBody(form) });
    expect(created.status).toBe(201);
    const reply = await created.json();
    expect(reply).toMatchObject({
      responseId: 'P-0001',
      counter: 'BRVT.STP.Q1',
      submittedAt: '2025-07-01T09:30:00+07:00',
      mode: 'paper',
    });
    const row = await f.database.db
      .selectFrom('response')
      .select(['mode', 'source_id', 'service_area', 'status'])
      .where('id', '=', reply.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      mode: 'paper',
      source_id: 'P-0001',
      service_area: 'TP',
      status: 'valid',
    });

    expect((await f.request(path, { token: admin(), ...jsonBody(form) })).status).toBe(409);
    const invalid = await f.request(path, {
      token: admin(),
      ...jsonBody({
        counter: 'BRVT.NOWHERE',
        submittedAt: '2024-12-31T23:00:00+07:00',
        mode: 'fax',
        answers: { TC1: 6, PAQ: 0, PA3: 4 },
      }),
    });
    expect(invalid.status).toBe(422);
    expect((await invalid.json()).errors.map((e: { path: string }) => e.path)).toEqual(['mode']);
    const rules = await f.request(path, {
      token: admin(),
      ...jsonBody({
        counter: 'BRVT.NOWHERE',
        submittedAt: '2024-12-31T23:00:00+07:00',
        answers: { TC1: 6, PAQ: 0, PA3: 4 },
      }),
    });
    expect((await rules.json()).errors.map((e: { path: string }) => e.path)).toEqual([
      'counter',
      'submittedAt',
      'answers.TC1',
      'answers.PA3',
    ]);
    expect(await count()).toBe(61);
  });

  it('exports CSV that matches the file imported, and XLSX', async () => {
    const response = await f.request('/api/v1/campaigns/BRVT-2025/responses/export', {
      token: admin(),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(
      'attachment; filename="BRVT-2025-responses.csv"',
    );
    // After the BOM that tells Excel the file is UTF-8 (text() drops it).
    const start = new Uint8Array(await response.clone().arrayBuffer()).subarray(0, 3);
    expect([...start]).toEqual([0xef, 0xbb, 0xbf]);
    const exported = new Map(records(await response.text()).map((r) => [r.response_id, r]));
    const imported = records(fixture('responses.csv'));
    expect(exported.size).toBe(61);
    for (const row of imported) {
      const out = exported.get(row.response_id);
      for (const [column, value] of Object.entries(row)) expect(out?.[column], column).toBe(value);
    }
    expect(exported.get('P-0001')?.MD).toBe('1;3');

    const xlsx = await f.request(
      '/api/v1/campaigns/BRVT-2025/responses/export?format=xlsx&includeQuarantined=true',
      { token: admin() },
    );
    expect(xlsx.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    const bytes = new Uint8Array(await xlsx.arrayBuffer());
    expect([bytes[0], bytes[1]]).toEqual([0x50, 0x4b]); // a ZIP archive

    // The workbook imports back: every row valid, every one a duplicate.
    const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    const workbook = await f.request('/api/v1/campaigns/BRVT-2025/responses/export?format=xlsx', {
      token: admin(),
    });
    const back = await f.request('/api/v1/campaigns/BRVT-2025/responses/import?dryRun=true', {
      token: admin(),
      method: 'POST',
      headers: { 'Content-Type': xlsxType },
      body: await workbook.arrayBuffer(),
    });
    const report = await back.json();
    expect(report.stored).toBe(0);
    expect(new Set(report.duplicates)).toEqual(new Set(exported.keys()));
    const notXlsx = await f.request('/api/v1/campaigns/BRVT-2025/responses/import', {
      token: admin(),
      method: 'POST',
      headers: { 'Content-Type': xlsxType },
      body: 'counter,submitted_at\n',
    });
    expect(notXlsx.status).toBe(422);
    const bad = await f.request('/api/v1/campaigns/BRVT-2025/responses/export?format=pdf', {
      token: admin(),
    });
    expect(bad.status).toBe(422);
  });

  it('lists quarantined answers to an admin and releases them into the scores', async () => {
    const token = await openSurvey(f.database.db, 'BRVT.STP.Q1', { code: 'NOW' });
    const id = randomUUID();
    const sent = await f.request(`/api/v1/s/${token}/responses`, {
      ...jsonBody({ id, answers: { TC1: 4 }, website: 'spam' }),
    });
    expect(await sent.json()).toEqual({ id, status: 'quarantined' });

    const surveyor = await createApiToken(f.database.db, testActor, { role: 'surveyor' });
    expect((await f.request('/api/v1/campaigns/NOW/quarantine', { token: surveyor })).status).toBe(
      403,
    );
    const listed = await (
      await f.request('/api/v1/campaigns/NOW/quarantine', { token: admin() })
    ).json();
    expect(listed).toEqual([
      expect.objectContaining({
        responseId: id,
        counter: 'BRVT.STP.Q1',
        mode: 'qr',
        reason: 'honeypot',
      }),
    ]);
    const unknown = await f.request('/api/v1/quarantine/release', {
      token: admin(),
      ...jsonBody({ ids: [listed[0].id, '999999'] }),
    });
    expect(unknown.status).toBe(422);
    const released = await f.request('/api/v1/quarantine/release', {
      token: admin(),
      ...jsonBody({ ids: [listed[0].id] }),
    });
    expect(await released.json()).toEqual({ released: 1 });
    expect(
      await (await f.request('/api/v1/campaigns/NOW/quarantine', { token: admin() })).json(),
    ).toEqual([]);
    // A replay of the released answer still gets the reply it first got.
    const replay = await f.request(`/api/v1/s/${token}/responses`, {
      ...jsonBody({ id, answers: { TC1: 4 }, website: 'spam' }),
    });
    expect(await replay.json()).toEqual({ id, status: 'quarantined' });
  });
});
