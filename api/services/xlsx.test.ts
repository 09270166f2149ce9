import { deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors.ts';
import { fromXlsxText, toXlsxText, XLSX_LIMITS, xlsxAsCsv, type XlsxLimits } from './xlsx.ts';

async function workbook(rows: unknown[][]): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  book.addWorksheet('S').addRows(rows);
  return new Uint8Array(await book.xlsx.writeBuffer());
}

async function csvOf(bytes: Uint8Array, limits: Partial<XlsxLimits> = {}): Promise<string> {
  let csv = '';
  for await (const piece of xlsxAsCsv(bytes, { ...XLSX_LIMITS, ...limits })) csv += piece;
  return csv;
}

async function refusal(bytes: Uint8Array, limits: Partial<XlsxLimits> = {}) {
  const error: unknown = await csvOf(bytes, limits).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof DomainError)) throw new Error(`not refused: ${String(error)}`);
  expect(error.code).toBe('invalid');
  return error.errors;
}

const rows = (n: number) =>
  Array.from({ length: n }, (_, i) => [`R-${i}`, 'BRVT.STP.Q1', '2025-03-01', 'paper', 4]);

describe('an XLSX workbook read as CSV', () => {
  it('reads the first sheet row N as line N, blank rows as blank lines', async () => {
    const bytes = await workbook([['counter', 'note'], ['A', 'x,y'], [], ['B', 5, 'beside']]);
    expect(await csvOf(bytes)).toBe('counter,note\nA,"x,y"\n\nB,5\n');
  });

  it('holds a sheet to its rows, its columns and the CSV it makes', async () => {
    const bytes = await workbook([
      ['response_id', 'counter', 'submitted_at', 'mode', 'TC1'],
      ...rows(300),
    ]);
    expect(await refusal(bytes, { rows: 200 })).toMatchObject([
      {
        path: 'line 201',
        message: { en: 'the sheet has more than 200 rows: split the file, or import it as CSV' },
      },
    ]);
    expect(await refusal(bytes, { columns: 4 })).toMatchObject([
      {
        path: 'line 1, column E',
        message: { en: 'the sheet has more than 4 columns: split the file, or import it as CSV' },
      },
    ]);
    const [tooMuch] = await refusal(bytes, { csvBytes: 10 * 1024 });
    expect(tooMuch?.message.en).toMatch(/^the sheet holds more than 0.01 MB of CSV/);
  });

  it('refuses a zip that inflates past the limit, as it inflates, before parsing it', async () => {
    // exceljs writes each part's sizes after its data: only inflating it tells its size.
    const bytes = await workbook([
      ['response_id', 'counter', 'submitted_at', 'mode', 'TC1'],
      ...rows(5_000),
    ]);
    expect(await refusal(bytes, { expandedBytes: 100_000 })).toMatchObject([
      {
        path: 'line 1',
        message: { en: 'it expands to more than 0.1 MB: split the file, or import it as CSV' },
      },
    ]);
    expect((await csvOf(bytes)).split('\n')).toHaveLength(5_002);
  });

  it('refuses a part that admits to expanding past the limit without inflating it', async () => {
    const name = Buffer.from('xl/worksheets/sheet1.xml');
    const data = deflateRawSync('<worksheet/>');
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(8, 8);
    header.writeUInt32LE(data.length, 18);
    header.writeUInt32LE(2 ** 31, 22);
    header.writeUInt16LE(name.length, 26);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    const bomb = new Uint8Array(Buffer.concat([header, name, data, end]));
    const started = performance.now();
    expect(await refusal(bomb)).toMatchObject([
      {
        path: 'line 1',
        message: { en: 'it expands to more than 128 MB: split the file, or import it as CSV' },
      },
    ]);
    expect(performance.now() - started).toBeLessThan(100);
  });

  it('refuses what is not a zip, or a zip cut short', async () => {
    const bytes = await workbook([['counter']]);
    for (const broken of [new TextEncoder().encode('counter\nA\n'), bytes.subarray(0, 200)]) {
      const [problem] = await refusal(broken);
      expect(problem?.message.en).toMatch(/^not an XLSX workbook/);
    }
  });

  it('carries every character through the OOXML escapes', () => {
    for (const text of ['a\r\nb', '_x000D_', 'x_x005F_y', 'tab\tand \u0001 bell\u0007', 'plain']) {
      expect(fromXlsxText(toXlsxText(text))).toBe(text);
    }
    expect(toXlsxText('a\r\nb')).toBe('a_x000D_\nb');
    expect(fromXlsxText('line_x000D_\nnext _x005F_x000D_')).toBe('line\r\nnext _x000D_');
  });
});

describe('text an XLSX cell holds', () => {
  it('cannot carry a lone UTF-16 surrogate, which neither engine stores: refused, 422', async () => {
    // exceljs writes a lone surrogate as U+FFFD; a hand-made file writes a character reference,
    // which the XML parser refuses.
    const zip = await JSZip.loadAsync(
      await workbook([
        ['counter', 'YK'],
        ['BRVT.STP.Q1', 'x#'],
      ]),
    );
    const strings = await zip.file('xl/sharedStrings.xml')?.async('string');
    zip.file('xl/sharedStrings.xml', strings?.replace('x#', 'x&#xD800;') ?? '');
    const bytes = await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
    expect(await refusal(bytes)).toMatchObject([
      {
        path: 'line 1',
        message: {
          en: 'not an XLSX workbook (its XML cannot be read): save it as .xlsx or CSV (UTF-8)',
        },
      },
    ]);
    zip.file('xl/sharedStrings.xml', strings?.replace('x#', 'x&#x41;') ?? '');
    const fine = await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
    expect(await csvOf(fine)).toBe('counter,YK\nBRVT.STP.Q1,xA\n');
  });
});
