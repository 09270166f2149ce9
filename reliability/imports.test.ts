// Imports are bounded by what a file holds, never by what it claims: a 6 KB workbook whose
// range runs to XFD1048576 is refused in milliseconds (it once ran the server out of heap),
// and a file of bad rows is answered with its first problems and a count of the rest (a
// 1 MB transactions file once drew a 47 MB reply).
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../db/testing.ts';
import { openRouteFixture, testActor, type RouteFixture } from '../api/routes/testing.ts';
import { createCampaign } from '../api/services/campaigns/index.ts';
import { createApiToken } from '../api/services/credentials.ts';
import { XLSX_TYPE as XLSX } from '../api/services/spreadsheet.ts';

async function workbook(fill: (sheet: ExcelJS.Worksheet) => void): Promise<ArrayBuffer> {
  const book = new ExcelJS.Workbook();
  fill(book.addWorksheet('responses'));
  const written = new Uint8Array(await book.xlsx.writeBuffer());
  return written.buffer.slice(written.byteOffset, written.byteOffset + written.byteLength);
}

describe.each(engines)('bounded imports on %s', (engine) => {
  let f: RouteFixture;
  let surveyor: string;
  const importPath = '/api/v1/campaigns/STP-2025/responses/import';
  const send = (body: ArrayBuffer, query = '?dryRun=true') =>
    f.request(`${importPath}${query}`, {
      token: surveyor,
      method: 'POST',
      headers: { 'Content-Type': XLSX },
      body,
    });

  beforeAll(async () => {
    f = await openRouteFixture(engine);
    await createCampaign(f.database.db, testActor, {
      code: 'STP-2025',
      instrument: 'sipas-2017',
      from: '2025-01-01',
      to: '2025-12-31',
      counters: ['BRVT.STP.Q1'],
    });
    surveyor = await createApiToken(f.database.db, testActor, {
      role: 'surveyor',
      unit: 'BRVT.STP',
    });
  });
  afterAll(() => f.database.close());

  it('refuses a workbook whose range runs to XFD1048576 at once, and serves on', async () => {
    const bomb = await workbook((sheet) => {
      sheet.getCell('A1').value = 'counter';
      sheet.getCell('XFD1').value = 'x';
      sheet.getCell('A1048576').value = 'x';
    });
    expect(bomb.byteLength).toBeLessThan(10_000);
    const started = performance.now();
    const refused = await send(bomb);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(refused.status).toBe(422);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    expect((await refused.json()).errors).toEqual([
      {
        path: 'line 1, column XFD',
        message: 'the sheet has more than 1000 columns: split the file, or import it as CSV',
      },
    ]);

    const deep = await send(
      await workbook((sheet) => {
        sheet.getCell('A1').value = 'counter';
        sheet.getCell('A1048576').value = 'x';
      }),
    );
    expect(deep.status).toBe(422);
    expect((await deep.json()).errors).toEqual([
      {
        path: 'line 1048576',
        message: 'the sheet has more than 200000 rows: split the file, or import it as CSV',
      },
    ]);
    expect(performance.now() - started).toBeLessThan(4_000);

    expect((await f.request('/healthz')).status).toBe(200);
    const normal = await send(
      await workbook((sheet) => {
        sheet.addRow(['response_id', 'counter', 'submitted_at', 'mode', 'TC1', 'PAQ']);
        sheet.addRow(['X-1', 'BRVT.STP.Q1', '2025-03-01', 'paper', 4, 0]);
        sheet.addRow([]);
        sheet.addRow(['X-2', 'BRVT.STP.Q1', new Date(Date.UTC(2025, 2, 2, 9, 30)), 'kiosk', 5, 1]);
      }),
      '',
    );
    expect(await normal.json()).toEqual({ stored: 2, duplicates: [], dryRun: false });
  });

  it('answers a file of bad rows with its first 10,000 problems and a count of the rest', async () => {
    const bad = (header: string, row: (n: number) => string) =>
      `${header}\n${Array.from({ length: 12_000 }, (_, n) => row(n)).join('\n')}\n`;
    const files = [
      [
        '/api/v1/campaigns/STP-2025/transactions/import',
        bad('counter,transactions', (n) => `NO.${n},x`),
        24_000,
      ],
      ['/api/v1/units/import', bad('unit,name,parent', (n) => `U${n},,`), 12_000],
      ['/api/v1/counters/import', bad('counter,unit,name', (n) => `C${n},NOWHERE,Quầy`), 12_000],
      [
        '/api/v1/par/par-2020-province/points?period=2020',
        bad('unit,component,points', (n) => `U${n},sipas,9`),
        12_000,
      ],
      // Rows with a value too many: refused by the reader, before any check of the values.
      ['/api/v1/units/import', bad('unit,name,parent', (n) => `U${n},Name,,extra`), 12_000],
    ] as const;
    for (const [path, body, problems] of files) {
      const response = await f.request(path, {
        token: f.tokens.admin,
        method: 'POST',
        headers: { 'Content-Type': 'text/csv' },
        body,
      });
      expect(response.status, path).toBe(422);
      const reply = await response.json();
      expect(reply.detail, path).toBe(
        `The file has ${problems} problems; the first 10000 are listed, ${problems - 10_000} more are not; nothing was stored.`,
      );
      expect(reply.errors, path).toHaveLength(10_000);
      expect(reply.errors[0].path, path).toMatch(/^line 2, column /);
    }
  });
});
