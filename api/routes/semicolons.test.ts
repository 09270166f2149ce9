// Semicolon-separated CSV (what Excel saves in a Vietnamese locale) over HTTP: found on the
// first line, or told; read with commas when told so, it is explained rather than reported as
// one long unknown column.
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../../db/testing.ts';
import { createCampaign } from '../services/campaigns/index.ts';
import { csvBody, fixture, openRouteFixture, type RouteFixture, testActor } from './testing.ts';

/** The same table separated by semicolons, quoted where a cell holds one. */
const withSemicolons = (csv: string): string =>
  stringify(parse(csv, { bom: true }), { delimiter: ';', record_delimiter: 'windows' });

describe.each(engines)('semicolon files on %s', (engine) => {
  // Two provinces alike: one imports the comma file, the other the same file with semicolons.
  let comma: RouteFixture;
  let semicolon: RouteFixture;
  const campaign = '/api/v1/campaigns/BRVT-2025';
  const vi = { 'Accept-Language': 'vi' };
  const EXPLAINED = {
    en:
      'the header is a single column holding semicolons: the file seems to be separated by ' +
      'semicolons (;), as Excel saves it in a Vietnamese locale, but was read with commas. ' +
      'Import it again with the delimiter ";" (API: delimiter=;, sipas: --delimiter ";"), ' +
      'or name no delimiter so that it is detected',
    vi:
      'dòng tiêu đề chỉ có một cột, chứa dấu chấm phẩy: tệp có vẻ được phân cách bằng dấu ' +
      'chấm phẩy (;), như Excel lưu khi máy dùng tiếng Việt, nhưng lại được đọc với dấu phẩy. ' +
      'Hãy nhập lại với dấu phân cách ";" (API: delimiter=;, lệnh sipas: --delimiter ";"), ' +
      'hoặc không nêu dấu phân cách để hệ thống tự nhận ra',
  };

  beforeAll(async () => {
    comma = await openRouteFixture(engine);
    semicolon = await openRouteFixture(engine);
    for (const f of [comma, semicolon]) {
      await createCampaign(f.database.db, testActor, {
        code: 'BRVT-2025',
        instrument: 'sipas-2017',
        from: '2025-01-01',
        to: '2025-12-31',
        counters: 'all',
      });
    }
  }, 120_000); // two provinces to set up: longer than a hook's default on a busy machine
  afterAll(async () => {
    await comma.database.close();
    await semicolon.database.close();
  });

  it('stores a semicolon file of responses exactly as the comma file', async () => {
    const post = (f: RouteFixture, body: string) =>
      f.request(`${campaign}/responses/import`, { token: f.tokens.admin, ...csvBody(body) });
    const file = fixture('responses.csv');
    expect(await (await post(comma, file)).json()).toEqual({
      stored: 60,
      duplicates: [],
      dryRun: false,
    });
    expect(await (await post(semicolon, withSemicolons(file))).json()).toEqual({
      stored: 60,
      duplicates: [],
      dryRun: false,
    });
    const exported = async (f: RouteFixture) =>
      (await f.request(`${campaign}/responses/export`, { token: f.tokens.admin })).text();
    const stored = await exported(semicolon);
    expect(stored).toBe(await exported(comma));
    // The export is the fixture's rows, in commas.
    expect(parse(stored)).toHaveLength(61);
  });

  it('takes transactions separated by semicolons or, when told, by tabs', async () => {
    const file = fixture('transactions.csv');
    const post = (body: string, query = '') =>
      semicolon.request(`${campaign}/transactions/import${query}`, {
        token: semicolon.tokens.admin,
        ...csvBody(body),
      });
    expect(await (await post(withSemicolons(file))).json()).toEqual({ updated: 3 });
    const tabs = 'counter\ttransactions\nBRVT.CHAUDUC.Q1\t170\n';
    expect(await (await post(tabs, '?delimiter=tab')).json()).toEqual({ updated: 1 });
    const counts = await semicolon.database.db
      .selectFrom('campaign_counter')
      .innerJoin('counter', 'counter.id', 'campaign_counter.counter_id')
      .select(['counter.code', 'campaign_counter.transactions'])
      .orderBy('counter.code')
      .execute();
    expect(counts).toEqual([
      { code: 'BRVT.CHAUDUC.Q1', transactions: 170 },
      { code: 'BRVT.SKHDT.Q1', transactions: 319 },
      { code: 'BRVT.STP.Q1', transactions: 252 },
    ]);
  });

  it.each([
    [
      'responses',
      `${campaign}/responses/import`,
      'counter;submitted_at;mode;TC1\nBRVT.STP.Q1;2025-03-01;paper;4\n',
    ],
    ['units', '/api/v1/units/import', 'unit;name;parent\nBRVT.X;X;BRVT\n'],
  ])(
    'explains a %s file of semicolons read with commas, in both languages',
    async (_, path, body) => {
      const forced = `${path}?delimiter=%2C`;
      const en = await comma.request(forced, { token: comma.tokens.admin, ...csvBody(body) });
      expect(en.status).toBe(422);
      expect((await en.json()).errors).toEqual([
        { path: 'line 1, column 1', message: EXPLAINED.en },
      ]);
      const inVietnamese = await comma.request(forced, {
        token: comma.tokens.admin,
        ...csvBody(body),
        headers: { 'Content-Type': 'text/csv', ...vi },
      });
      expect((await inVietnamese.json()).errors).toEqual([
        { path: 'line 1, column 1', message: EXPLAINED.vi },
      ]);
    },
  );

  it('refuses a delimiter it does not know', async () => {
    const refused = await comma.request('/api/v1/units/import?delimiter=%7C', {
      token: comma.tokens.admin,
      ...csvBody('unit|name|parent\n'),
    });
    expect(refused.status).toBe(422);
    expect((await refused.json()).errors[0].path).toBe('delimiter');
  });
});
