// XLSX on the command line: `sipas responses import` reads a workbook as it reads the CSV, and
// every export writes one, to --out FILE or to a stdout that is not a terminal.
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../db/migrate.ts';
import { engines, openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import { openExampleCampaign } from '../services/examples.testing.ts';
import { runCli } from './run.ts';
import { cliFor } from './testing.ts';

const header = 'response_id,counter,submitted_at,mode,service_area,TC1,TC2,PAQ,PA2,HL'.split(',');

async function workbook(rows: (string | number | null)[][]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.addWorksheet('phieu').addRows(rows);
  return Buffer.from(await book.xlsx.writeBuffer());
}

async function sheetRows(bytes: Buffer): Promise<ExcelJS.CellValue[][]> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(new Uint8Array(bytes).buffer);
  const rows: ExcelJS.CellValue[][] = [];
  book.worksheets[0]?.eachRow((row) => {
    rows.push(Array.isArray(row.values) ? row.values.slice(1) : []);
  });
  return rows;
}

describe.each(engines)('sipas and XLSX on %s', (engine) => {
  let database: TestDatabase;
  let sipas: ReturnType<typeof cliFor>;
  const folder = mkdtempSync(join(tmpdir(), 'sipas-xlsx-'));
  const file = (name: string) => join(folder, name);

  beforeAll(async () => {
    database = await openTestDatabase(engine, { migrate: false });
    sipas = cliFor(engine, database.url);
    const connection = sipas.open();
    try {
      await migrateToLatest(connection.db);
      await openExampleCampaign(connection.db);
    } finally {
      await connection.close();
    }
  }, 120_000);
  afterAll(() => database.close());

  it('exports responses as XLSX that imports back unchanged', async () => {
    const out = file('responses.xlsx');
    const exported = await sipas('responses', 'export', '--campaign', 'BRVT-2025', '--out', out);
    expect(exported).toEqual({ status: 0, stdout: '', stderr: '' });
    const rows = await sheetRows(readFileSync(out));
    expect(rows).toHaveLength(61);
    expect(rows[0]?.slice(0, 5)).toEqual([
      'response_id',
      'counter',
      'submitted_at',
      'mode',
      'service_area',
    ]);
    expect(readdirSync(folder).filter((name) => name.includes('.partial-'))).toEqual([]);
    // submitted_at is a date cell holding Vietnam's wall-clock time, as the CSV writes it.
    const csv = await sipas('responses', 'export', '--campaign', 'BRVT-2025');
    const csvTimes = csv.stdout
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(',')[2]);
    expect(csvTimes[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?\+07:00$/);
    const cells = rows.slice(1).map((row) => row[2]);
    expect(cells.every((cell) => cell instanceof Date)).toBe(true);
    expect(cells).toEqual(
      csvTimes.map((time) => new Date(`${(time ?? '').replace('+07:00', '')}Z`)),
    );
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(new Uint8Array(readFileSync(out)).buffer);
    expect(book.worksheets[0]?.getCell('C2').numFmt).toBe('yyyy-mm-dd hh:mm:ss');

    const back = await sipas('responses', 'import', '--campaign', 'BRVT-2025', out, '--dry-run');
    expect(back.status).toBe(0);
    expect(back.stdout).toBe('dry run: would store 0, duplicates 60\n');
  }, 120_000);

  it('starts a CSV --out file with a BOM, which the import skips, and stdout without one', async () => {
    const out = file('responses.csv');
    const exported = await sipas('responses', 'export', '--campaign', 'BRVT-2025', '--out', out);
    expect(exported).toEqual({ status: 0, stdout: '', stderr: '' });
    const bytes = readFileSync(out);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const piped = await sipas('responses', 'export', '--campaign', 'BRVT-2025');
    // The same CSV after the BOM; stdout goes to other programs, which need none.
    expect(piped.stdout.startsWith('response_id,')).toBe(true);
    expect(bytes.subarray(3).toString('utf8')).toBe(piped.stdout);
    const back = await sipas('responses', 'import', '--campaign', 'BRVT-2025', out, '--dry-run');
    // Its first column read as response_id: every form already stored.
    expect([back.status, back.stdout]).toEqual([0, 'dry run: would store 0, duplicates 60\n']);

    const template = file('units-template.csv');
    expect((await sipas('units', 'template', '--out', template)).status).toBe(0);
    expect([...readFileSync(template).subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(await sipas('units', 'import', template)).toEqual({
      status: 0,
      stdout: 'units: created 1, updated 0\n',
      stderr: '',
    });
  }, 120_000);

  it('imports a workbook by its extension or by --format, all or nothing', async () => {
    const row = (id: string, tc1: number) => [
      id,
      'BRVT.STP.Q1',
      '2025-07-01T09:00:00+07:00',
      'paper',
      'TP',
      tc1,
      4,
      1,
      4,
      5,
    ];
    const bad = file('bad.xlsx');
    writeFileSync(bad, await workbook([header, row('x-1', 5), row('x-2', 7)]));
    expect(await sipas('responses', 'import', '--campaign', 'BRVT-2025', bad)).toEqual({
      status: 1,
      stdout: '',
      stderr:
        'The file has 1 problem; nothing was stored.\n' +
        'line 3, column TC1: 7 is not a value of sat5 (1, 2, 3, 4, 5)\n',
    });

    const good = file('good.data');
    writeFileSync(good, await workbook([header, row('x-1', 5), row('x-2', 4)]));
    const asCsv = await sipas('responses', 'import', '--campaign', 'BRVT-2025', good);
    expect(asCsv.status).toBe(1);
    const stored = await sipas(
      ...['responses', 'import', '--campaign', 'BRVT-2025', good, '--format', 'xlsx'],
    );
    expect(stored).toEqual({ status: 0, stdout: 'stored 2, duplicates 0\n', stderr: '' });
  }, 120_000);

  it('writes a report as XLSX, figures as numbers, and refuses a mismatched name', async () => {
    const out = file('scores.xlsx');
    const scored = await sipas('scores', '--campaign', 'BRVT-2025', '--by', 'all', '--out', out);
    expect(scored).toEqual({ status: 0, stdout: '', stderr: '' });
    const rows = await sheetRows(readFileSync(out));
    expect(rows[0]?.slice(0, 11)).toEqual(
      'group,level,code,valid,satisfied,index,se,ci_low,ci_high,name,respondents'.split(','),
    );
    expect(rows[1]?.slice(0, 3)).toEqual(['all', 'item', 'TC1']);
    expect(typeof rows[1]?.[3]).toBe('number');

    const mismatched = file('scores-csv.xlsx');
    const refused = await sipas(
      ...['scores', '--campaign', 'BRVT-2025', '--by', 'all', '--format', 'csv'],
      ...['--out', mismatched],
    );
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/--format csv does not match --out/);
    expect(existsSync(mismatched)).toBe(false);

    const unknown = file('unknown.xlsx');
    const failed = await sipas('scores', '--campaign', 'NOPE', '--by', 'all', '--out', unknown);
    expect(failed.status).toBe(1);
    expect(existsSync(unknown)).toBe(false);
  }, 120_000);

  it('writes XLSX to a stdout that is a pipe, never to a terminal', async () => {
    const piped = await sipas(
      'scores',
      '--campaign',
      'BRVT-2025',
      '--by',
      'all',
      '--format',
      'xlsx',
    );
    expect(piped.status).toBe(0);
    expect(piped.stdout.startsWith('PK')).toBe(true);

    let written = '';
    const terminal = Object.assign(
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          written += chunk.toString();
          done();
        },
      }),
      { isTTY: true },
    );
    const stderr = new Writable({
      write(chunk: Buffer, _encoding, done) {
        written += chunk.toString();
        done();
      },
    });
    const env = { ...process.env, DATABASE_URL: engine === 'postgres' ? database.url : '' };
    const data = sipas.dataDir ? ['--data', sipas.dataDir] : [];
    const status = await runCli(
      ['responses', 'export', '--campaign', 'BRVT-2025', '--format', 'xlsx', ...data],
      { stdout: terminal, stderr, env },
    );
    expect(status).toBe(2);
    expect(written).toMatch(/^sipas responses export: an XLSX workbook is binary: give --out FILE/);
  }, 120_000);
});
