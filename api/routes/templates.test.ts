// The import templates over HTTP: each downloaded as CSV (after a BOM) and as XLSX, then sent
// back unchanged to its import, which must take it.
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinInstruments } from '../../analysis/instruments/index.ts';
import { engines } from '../../db/testing.ts';
import { openRouteFixture, type RouteFixture, testActor } from './testing.ts';
import { campaignView, createCampaign } from '../services/campaigns/index.ts';
import { listCounters } from '../services/counters.ts';
import { CSV_TYPE, SHEET_FORMATS, XLSX_TYPE, type SheetFormat } from '../services/spreadsheet.ts';
import { unitByCode } from '../services/units.ts';
import { xlsxAsCsv } from '../services/xlsx.ts';

const TYPES = { csv: CSV_TYPE, xlsx: XLSX_TYPE } as const;
const FIRST_DAY = { csv: '2025-03-01', xlsx: '2025-04-01' } as const;

/** The BOM that starts a CSV download, so that Excel reads it as UTF-8. */
const BOM = [0xef, 0xbb, 0xbf];

/** A downloaded table's rows, read back as the imports read it. */
async function rowsOf(format: SheetFormat, bytes: Uint8Array): Promise<string[][]> {
  let csv = '';
  if (format === 'csv') {
    expect([...bytes.subarray(0, 3)]).toEqual(BOM);
    // Past the one BOM, kept if there were a second.
    csv = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes.subarray(3));
  } else for await (const piece of xlsxAsCsv(bytes)) csv += piece;
  return parse(csv);
}

describe.each(engines)('import templates on %s', (engine) => {
  let f: RouteFixture;
  const sipas2017 = builtinInstruments.find((instrument) => instrument.code === 'sipas-2017');

  beforeAll(async () => {
    f = await openRouteFixture(engine);
    // A counter is in one campaign at a time: one month each.
    for (const format of SHEET_FORMATS) {
      await createCampaign(f.database.db, testActor, {
        code: `T-${format}`,
        instrument: 'sipas-2017',
        from: FIRST_DAY[format],
        to: `${FIRST_DAY[format].slice(0, 8)}28`,
        counters: 'all',
      });
    }
  });
  afterAll(() => f.database.close());

  /** Downloads a template, checks its headers, then imports it unchanged. */
  async function roundTrip(format: SheetFormat, path: string, name: string) {
    const download = await f.request(`${path}/import/template?format=${format}`, {
      token: f.tokens.admin,
    });
    expect(download.status).toBe(200);
    expect(download.headers.get('Content-Type')).toContain(TYPES[format]);
    expect(download.headers.get('Content-Disposition')).toBe(
      `attachment; filename="${name}.${format}"`,
    );
    const bytes = new Uint8Array(await download.arrayBuffer());
    const imported = await f.request(`${path}/import`, {
      token: f.tokens.admin,
      method: 'POST',
      headers: { 'Content-Type': TYPES[format] },
      body: bytes,
    });
    return {
      rows: await rowsOf(format, bytes),
      status: imported.status,
      body: await imported.json(),
    };
  }

  it.each(SHEET_FORMATS)(
    'responses: the instrument’s columns, one row stored (%s)',
    async (format) => {
      const campaign = `T-${format}`;
      const { rows, status, body } = await roundTrip(
        format,
        `/api/v1/campaigns/${campaign}/responses`,
        `${campaign}-responses-template`,
      );
      const [header = [], example = []] = rows;
      expect(rows).toHaveLength(2);
      expect(header).toEqual([
        'response_id',
        'counter',
        'submitted_at',
        'mode',
        'service_area',
        ...(sipas2017?.items.map((item) => item.code) ?? []),
      ]);
      const cell = (column: string) => example[header.indexOf(column)];
      // The campaign's first counter in code order, on its first day, a paper form.
      expect(example.slice(0, 5)).toEqual([
        'VI-DU-1',
        'BRVT.CHAUDUC.Q1',
        FIRST_DAY[format],
        'paper',
        '',
      ]);
      expect([cell('TC1'), cell('HL'), cell('PAQ'), cell('PA2'), cell('SEX')]).toEqual([
        '4',
        '4',
        '',
        '',
        '',
      ]);
      expect([status, body]).toEqual([200, { stored: 1, duplicates: [], dryRun: false }]);
      const stored = await f.database.db
        .selectFrom('response')
        .innerJoin('campaign', 'campaign.id', 'response.campaign_id')
        .select(['response.source_id', 'response.mode'])
        .where('campaign.code', '=', campaign)
        .execute();
      expect(stored).toEqual([{ source_id: 'VI-DU-1', mode: 'paper' }]);
    },
  );

  it('transactions: the first counter, with 100 until it has a count', async () => {
    const path = '/api/v1/campaigns/T-csv/transactions';
    const csv = await roundTrip('csv', path, 'T-csv-transactions-template');
    expect(csv.rows).toEqual([
      ['counter', 'transactions'],
      ['BRVT.CHAUDUC.Q1', '100'],
    ]);
    expect([csv.status, csv.body]).toEqual([200, { updated: 1 }]);
    const xlsx = await roundTrip('xlsx', path, 'T-csv-transactions-template');
    expect(xlsx.rows[1]).toEqual(['BRVT.CHAUDUC.Q1', '100']);
    expect([xlsx.status, xlsx.body]).toEqual([200, { updated: 1 }]);
    const view = await campaignView(f.database.db, testActor, 'T-csv');
    expect(view.counters.find((c) => c.code === 'BRVT.CHAUDUC.Q1')?.transactions).toBe(100);
  });

  it.each(SHEET_FORMATS)(
    'units and counters: an example under the first unit (%s)',
    async (format) => {
      const units = await roundTrip(format, '/api/v1/units', 'units-template');
      expect(units.rows).toEqual([
        ['unit', 'name', 'parent'],
        ['VI-DU-DON-VI', 'Đơn vị ví dụ', 'BRVT'],
      ]);
      expect(units.status).toBe(200);
      expect(await unitByCode(f.database.db, testActor, 'VI-DU-DON-VI')).toEqual({
        code: 'VI-DU-DON-VI',
        name: 'Đơn vị ví dụ',
        parent: 'BRVT',
      });
      const counters = await roundTrip(format, '/api/v1/counters', 'counters-template');
      expect(counters.rows).toEqual([
        ['counter', 'unit', 'name'],
        ['VI-DU-QUAY', 'BRVT', 'Quầy ví dụ'],
      ]);
      expect(counters.status).toBe(200);
      const stored = await listCounters(f.database.db, testActor, 'BRVT');
      expect(stored.find((c) => c.code === 'VI-DU-QUAY')).toMatchObject({
        unit: 'BRVT',
        name: 'Quầy ví dụ',
      });
    },
  );
});
