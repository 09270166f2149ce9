// Spreadsheet formula injection: a text cell of an exported CSV or XLSX that would begin with
// =, +, - or @ (and so run as a formula in Excel or LibreOffice) is written with a leading
// apostrophe; numbers stay numbers. Checked on every export that carries text from users:
// responses (CSV and XLSX, which import back unchanged), and the 766 rates of a cases file;
// and on the reports whose cells are codes and figures, that none begins so.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../db/testing.ts';
import { cliFor } from '../api/cli/testing.ts';
import { openRouteFixture, testActor, type RouteFixture } from '../api/routes/testing.ts';
import { createCampaign, importTransactions } from '../api/services/campaigns/index.ts';
import { importResponses } from '../api/services/responses.ts';
import { XLSX_TYPE as XLSX } from '../api/services/spreadsheet.ts';
import { xlsxAsCsv } from '../api/services/xlsx.ts';

const FORMULA = /^[=+\-@]/;
const NUMBER = /^-?\d+(\.\d+)?(e[-+]?\d+)?$/i;
const hostile = ['=HYPERLINK("http://evil.example","x")', '+SUM(1,2)', '-2+3', '@cmd|x'];

/** Cells a spreadsheet would run: text starting with a formula character. */
const runnable = (cells: unknown[]) =>
  cells.filter((cell) => typeof cell === 'string' && FORMULA.test(cell) && !NUMBER.test(cell));

async function xlsxCells(bytes: ArrayBuffer): Promise<{ values: unknown[]; formulas: number }> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes);
  const values: unknown[] = [];
  let formulas = 0;
  workbook.eachSheet((sheet) =>
    sheet.eachRow((row) =>
      row.eachCell((cell) => {
        if (cell.type === ExcelJS.ValueType.Formula) formulas++;
        values.push(cell.value);
      }),
    ),
  );
  return { values, formulas };
}

describe.each(engines)('exports and formula injection on %s', (engine) => {
  let f: RouteFixture;
  const responsesCsv =
    'response_id,counter,submitted_at,mode,service_area,TC1,PAQ,HL\n' +
    hostile
      .map(
        (text, n) =>
          `"${text.replace(/"/g, '""')}",BRVT.SKHDT.Q1,2025-03-0${n + 1},paper,"${text.replace(/"/g, '""')}",4,0,5`,
      )
      .join('\n') +
    '\n';

  beforeAll(async () => {
    f = await openRouteFixture(engine);
    const db = f.database.db;
    await createCampaign(db, testActor, {
      code: 'X-2025',
      instrument: 'sipas-2017',
      from: '2025-01-01',
      to: '2025-12-31',
      counters: 'all',
    });
    await importTransactions(
      db,
      testActor,
      'X-2025',
      Readable.from(['counter,transactions\nBRVT.SKHDT.Q1,50\n']),
    );
    await importResponses(db, testActor, 'X-2025', Readable.from([responsesCsv]));
  });
  afterAll(() => f.database.close());

  const get = async (path: string) => {
    const response = await f.request(path, { token: f.tokens.admin });
    expect(response.status).toBe(200);
    return response;
  };

  it('neutralises the response ids and service areas of a CSV export, which imports back', async () => {
    const csv = await (await get('/api/v1/campaigns/X-2025/responses/export?format=csv')).text();
    const rows: string[][] = parse(csv);
    const cells = rows.flat();
    expect(runnable(cells)).toEqual([]);
    for (const text of hostile) expect(cells.filter((c) => c === `'${text}`)).toHaveLength(2);

    // Imported back, the apostrophes come off: the same ids, so every row is a duplicate.
    const back = await importResponses(f.database.db, testActor, 'X-2025', Readable.from([csv]));
    expect(back.stored).toBe(0);
    expect([...back.duplicates].sort()).toEqual([...hostile].sort());
    const stored = await f.database.db
      .selectFrom('response')
      .select(['source_id', 'service_area'])
      .orderBy('source_id')
      .execute();
    expect(stored.map((r) => r.source_id)).toEqual([...hostile].sort());
    expect(stored.map((r) => r.service_area)).toEqual([...hostile].sort());
  });

  it('neutralises the same cells of an XLSX export, and writes no formula', async () => {
    const bytes = await (
      await get('/api/v1/campaigns/X-2025/responses/export?format=xlsx')
    ).arrayBuffer();
    const { values, formulas } = await xlsxCells(bytes);
    expect(formulas).toBe(0);
    expect(runnable(values)).toEqual([]);
    for (const text of hostile) expect(values.filter((v) => v === `'${text}`)).toHaveLength(2);
  });

  it('writes line breaks as typed, so that an XLSX export imports back as the same responses', async () => {
    await createCampaign(f.database.db, testActor, {
      code: 'T-2024',
      instrument: 'sipas-2023',
      from: '2024-01-01',
      to: '2024-12-31',
      counters: 'all',
    });
    const id = 'R\r\n1';
    const note = 'first line\r\nsecond\rthird _x000D_ as typed';
    await importResponses(
      f.database.db,
      testActor,
      'T-2024',
      Readable.from([
        `response_id,counter,submitted_at,mode,HL,YK\n"${id}",BRVT.SKHDT.Q1,2024-03-01,paper,4,"${note}"\n`,
      ]),
    );
    const csv = await (await get('/api/v1/campaigns/T-2024/responses/export?format=csv')).text();
    const xlsx = await (
      await get('/api/v1/campaigns/T-2024/responses/export?format=xlsx')
    ).arrayBuffer();
    let read = '';
    for await (const piece of xlsxAsCsv(new Uint8Array(xlsx))) read += piece;
    // The same cells, but submitted_at: a real date cell in the workbook, which holds Vietnam's
    // wall-clock time without its offset (and an import reads it as Vietnam's again).
    const csvRows: string[][] = parse(csv);
    const column = csvRows[0]?.indexOf('submitted_at') ?? -1;
    expect(csvRows[1]?.[column]).toBe('2024-03-01T00:00:00+07:00');
    expect(parse(read)).toEqual(
      csvRows.map((row, i) =>
        i === 0 ? row : row.map((cell, j) => (j === column ? cell.replace(/\+07:00$/, '') : cell)),
      ),
    );
    expect(csvRows[1]).toContain(note);

    const back = await f.request('/api/v1/campaigns/T-2024/responses/import', {
      token: f.tokens.admin,
      method: 'POST',
      headers: { 'Content-Type': XLSX },
      body: xlsx,
    });
    expect(await back.json()).toEqual({ stored: 0, duplicates: [id], dryRun: false });
  });

  it('writes reports whose every text cell is a code, never a formula', async () => {
    for (const path of [
      '/api/v1/campaigns/X-2025/scores?by=counter&format=csv',
      '/api/v1/campaigns/X-2025/scores?by=unit&format=csv',
    ]) {
      const rows: string[][] = parse(await (await get(path)).text());
      expect(rows.length).toBeGreaterThan(10);
      expect(runnable(rows.flat())).toEqual([]);
    }
    const xlsx = await get('/api/v1/campaigns/X-2025/scores?by=all&format=xlsx');
    const { values, formulas } = await xlsxCells(await xlsx.arrayBuffer());
    expect(formulas).toBe(0);
    expect(runnable(values)).toEqual([]);
  });
});

describe('the 766 rates of a hostile cases file', () => {
  it('neutralises units and periods taken from the file', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'sipas-766-hostile-'));
    const file = join(folder, 'cases.csv');
    writeFileSync(
      file,
      'unit,period,kind,on_time,dissatisfied,in_competence\n' +
        '"=HYPERLINK(""http://evil.example"")",@2024,file,1,0,\n' +
        '+U2,-2024,file,0,0,\n',
    );
    const result = await cliFor('pglite', undefined)('rates766', file, '--format', 'csv');
    rmSync(folder, { recursive: true, force: true });
    expect(result.status).toBe(0);
    const rows: string[][] = parse(result.stdout);
    expect(runnable(rows.flat())).toEqual([]);
    expect(rows.slice(1).map((row) => row.slice(0, 2))).toEqual([
      ["'+U2", "'-2024"],
      ['\'=HYPERLINK("http://evil.example")', "'@2024"],
    ]);
  });
});
