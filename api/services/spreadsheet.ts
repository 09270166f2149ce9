// Files for a spreadsheet, read and written the same way by the API and the command line: a
// table is CSV (interchange §1-§2) or the first sheet of an XLSX workbook, row N as line N.
// Reading turns a workbook into the CSV the imports already read, bounded as xlsx.ts bounds
// it; writing streams rows into either format.
import { once } from 'node:events';
import { Readable, Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import { parse } from 'csv-parse/sync';
import { DomainError, text } from '../errors.ts';
import type { Delimiter } from './csv.ts';
import { formatVietnamTime, vietnamWallClock } from './vietnam-time.ts';
import { toXlsxText, XLSX_LIMITS, xlsxAsCsv } from './xlsx.ts';

export const SHEET_FORMATS = ['csv', 'xlsx'] as const;
export type SheetFormat = (typeof SHEET_FORMATS)[number];

export const CSV_TYPE = 'text/csv';

/**
 * The byte order mark that starts every CSV file the service writes for people: a download,
 * a command's `--out` file; not a command's stdout, which other programs read. Without it,
 * Excel on Windows reads UTF-8 in the locale's code page, and Vietnamese as mojibake. Every
 * import skips it (csv.ts).
 */
export const UTF8_BOM = '\uFEFF';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The format a file name's extension names, if it names one. */
export function formatOfName(name: string): SheetFormat | undefined {
  const extension = /\.([^./\\]+)$/.exec(name)?.[1]?.toLowerCase();
  return SHEET_FORMATS.find((format) => format === extension);
}

/** The format of an upload: XLSX by its Content-Type, CSV otherwise. */
export const formatOfContentType = (type: string | undefined): SheetFormat =>
  type?.startsWith(XLSX_TYPE) ? 'xlsx' : 'csv';

const tooLarge = (maxSize: number) =>
  new DomainError(
    'too-large',
    text(
      `Sổ tính lớn hơn ${maxSize / 2 ** 20} MB.`,
      `The workbook is larger than ${maxSize / 2 ** 20} MB.`,
    ),
  );

/** A stream's bytes, refused (413) past `maxSize` before more is read. */
async function readBytes(input: Readable, maxSize: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of input) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += bytes.byteLength;
    if (size > maxSize) throw tooLarge(maxSize);
    chunks.push(bytes);
  }
  return Buffer.concat(chunks);
}

/**
 * A table file as the CSV text the imports read: CSV as it is, a workbook's first sheet
 * converted (refused, 422 or 413, when unreadable or past XLSX_LIMITS).
 */
export async function tableAsCsv(format: SheetFormat, input: Readable | Uint8Array) {
  if (format === 'csv') return input instanceof Uint8Array ? Readable.from([input]) : input;
  const bytes = input instanceof Uint8Array ? input : await readBytes(input, XLSX_LIMITS.bytes);
  return Readable.from(xlsxAsCsv(bytes));
}

/**
 * The separator to read a table's CSV with: a workbook becomes comma-separated CSV whatever
 * its cells hold; a CSV file's is as told, else found on its first line (csv.ts).
 */
export const delimiterOf = (format: SheetFormat, told: Delimiter | undefined) =>
  format === 'xlsx' ? ',' : told;

/** A Date is an instant: Vietnam time with its offset in CSV, a date cell in a workbook. */
export type Cell = string | number | Date | null;

/**
 * How a workbook shows a time: a spreadsheet's date has no time zone, so the cell holds
 * Vietnam's wall-clock time (read back as such, xlsx.ts).
 */
export const XLSX_TIME_FORMAT = 'yyyy-mm-dd hh:mm:ss';

// Spreadsheets run a cell that starts with one of these as a formula (CSV injection).
const FORMULA_START = /^[=+\-@]/;
const NEUTRALISED = /^'[=+\-@]/;

/** A text cell made inert for spreadsheets; numbers and times stay as they are. */
export function neutralise<T extends Cell>(cell: T): T | string {
  return typeof cell === 'string' && FORMULA_START.test(cell) ? `'${cell}` : cell;
}

/** The inverse of `neutralise`, so that an export imports back unchanged. */
export const unneutralise = (cell: string): string =>
  NEUTRALISED.test(cell) ? cell.slice(1) : cell;

/** Rows written between checks that the reader keeps up. */
const DRAIN_EVERY = 1_000;

/**
 * Writes rows as CSV, or as one sheet of a workbook (its name cut to XLSX's 31 characters),
 * streaming, and ends `output`. Numbers stay numbers in a workbook; text is written so that it
 * reads back unchanged (a carriage return survives the sheet's XML only as OOXML escapes it).
 */
export async function writeTable(
  format: SheetFormat,
  rows: Iterable<Cell[]> | AsyncIterable<Cell[]>,
  output: Writable,
  sheetName: string,
): Promise<void> {
  if (format === 'csv') {
    const text = async function* () {
      for await (const cells of rows) {
        yield cells.map((cell) => (cell instanceof Date ? formatVietnamTime(cell) : cell));
      }
    };
    await pipeline(Readable.from(text()), stringify(), output);
    return;
  }
  // Imported here, not above: exceljs is a large part of every command's start-up (issue 19).
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: output,
    // Styles carry the number format that makes a time cell show as one.
    useStyles: true,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet(sheetName.slice(0, 31));
  let count = 0;
  for await (const cells of rows) {
    const row = sheet.addRow(
      cells.map((cell) =>
        typeof cell === 'string'
          ? toXlsxText(cell)
          : cell instanceof Date
            ? vietnamWallClock(cell)
            : cell,
      ),
    );
    cells.forEach((cell, i) => {
      if (cell instanceof Date) row.getCell(i + 1).numFmt = XLSX_TIME_FORMAT;
    });
    row.commit();
    // exceljs does not wait for its output: pause while the reader catches up.
    if (++count % DRAIN_EVERY === 0 && output.writableNeedDrain) await once(output, 'drain');
  }
  sheet.commit();
  await workbook.commit();
}

const NUMBER = /^-?\d+(\.\d+)?(e[-+]?\d+)?$/i;

/**
 * The rows of a report's CSV form, for a workbook: figures as numbers (unrounded), empty cells
 * empty.
 */
export function reportRows(csv: string): Cell[][] {
  const rows: string[][] = parse(csv);
  return rows.map((row) =>
    row.map((cell) => (NUMBER.test(cell) ? Number(cell) : cell === '' ? null : cell)),
  );
}

/** Rows as a whole file: CSV, or a workbook of one sheet. */
export async function tableBytes(
  format: SheetFormat,
  rows: Cell[][],
  sheetName: string,
): Promise<Uint8Array<ArrayBuffer>> {
  const chunks: Buffer[] = [];
  const output = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  await writeTable(format, rows, output, sheetName);
  await finished(output);
  const bytes = new Uint8Array(chunks.reduce((size, chunk) => size + chunk.byteLength, 0));
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** A report's CSV form as a workbook of one sheet, whole. */
export const reportWorkbook = (csv: string, sheetName: string): Promise<Uint8Array<ArrayBuffer>> =>
  tableBytes('xlsx', reportRows(csv), sheetName);
