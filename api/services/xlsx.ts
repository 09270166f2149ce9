// A responses file saved from a spreadsheet as XLSX: its first sheet becomes the CSV of
// interchange §1, so that the import reads it with the same rules, row N as line N. A workbook
// is a zip of XML, and both can claim far more than the upload holds (a sheet whose range runs
// to XFD1048576, a part that inflates a thousandfold): the reader is bounded by what is present
// and by fixed limits, and refuses past them before the work grows.
import { Readable } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import { stringify } from 'csv-stringify/sync';
import type ExcelJS from 'exceljs';
import { DomainError, invalid, text, type Text } from '../errors.ts';
import { at } from './csv.ts';

export interface XlsxLimits {
  /** The upload: a workbook expands well beyond its compressed size. */
  bytes: number;
  /** Every part of the zip inflated, together. */
  expandedBytes: number;
  rows: number;
  columns: number;
  /** The CSV the sheet becomes: no more than a CSV upload may hold. */
  csvBytes: number;
}

export const XLSX_LIMITS: XlsxLimits = {
  bytes: 8 * 1024 * 1024,
  expandedBytes: 128 * 1024 * 1024,
  rows: 200_000,
  columns: 1_000,
  csvBytes: 32 * 1024 * 1024,
};

/** An XLSX holds a dozen parts; thousands of tiny ones would only cost time. */
const MAX_PARTS = 1_000;

const SIGNATURE = { local: 0x04034b50, central: 0x02014b50, end: 0x06054b50 } as const;
const DESCRIPTOR = Buffer.from([0x50, 0x4b, 0x07, 0x08]);
const ZIP64 = 0xffffffff;
const SHEET = /^xl\/worksheets\/sheet\d+\.xml$/;

const unreadable = (reason: Text) =>
  invalid(
    text('Tệp không phải sổ tính XLSX đọc được.', 'The file is not a readable XLSX workbook.'),
    [
      {
        path: 'line 1',
        message: text(
          `không phải sổ tính XLSX (${reason.vi}): hãy lưu dưới dạng .xlsx hoặc CSV (UTF-8)`,
          `not an XLSX workbook (${reason.en}): save it as .xlsx or CSV (UTF-8)`,
        ),
      },
    ],
  );

const megabytes = (bytes: number) => `${Number((bytes / 2 ** 20).toFixed(2))} MB`;

const tooLarge = (path: string, reason: Text) =>
  invalid(
    text(
      'Sổ tính quá lớn để nhập; không có gì được lưu.',
      'The workbook is too large to import; nothing was stored.',
    ),
    [
      {
        path,
        message: text(
          `${reason.vi}: hãy chia nhỏ tệp, hoặc nhập dưới dạng CSV`,
          `${reason.en}: split the file, or import it as CSV`,
        ),
      },
    ],
  );

const expandsPast = (bytes: number) =>
  text(`giải nén ra hơn ${megabytes(bytes)}`, `it expands to more than ${megabytes(bytes)}`);

interface Part {
  name: string;
  /** The part's local header and data, as a streaming unzip reads them. */
  record: Buffer;
}

async function inflatedSize(data: Buffer, limit: number): Promise<number> {
  const inflater = createInflateRaw();
  inflater.end(data);
  let size = 0;
  for await (const chunk of inflater) {
    if (chunk instanceof Buffer) size += chunk.byteLength;
    if (size > limit) {
      inflater.destroy();
      break;
    }
  }
  return size;
}

/**
 * The parts of the zip, walked from its first byte the way exceljs's streaming unzip walks
 * them (so that it can meet no part this walk has not measured), each inflated once without
 * being kept, to hold all of them to `expandedBytes` before any XML is parsed. Ends with the
 * central directory, as found.
 */
async function zipParts(
  bytes: Buffer,
  limits: XlsxLimits,
): Promise<{ parts: Part[]; tail: Buffer }> {
  const parts: Part[] = [];
  let expanded = 0;
  let p = 0;
  for (;;) {
    if (p + 4 > bytes.length) throw unreadable(text('tệp zip kết thúc sớm', 'the zip ends early'));
    const signature = bytes.readUInt32LE(p);
    if (signature === SIGNATURE.central || signature === SIGNATURE.end) {
      return { parts, tail: bytes.subarray(p) };
    }
    if (signature !== SIGNATURE.local || p + 30 > bytes.length)
      throw unreadable(text('tệp zip bị hỏng', 'a broken zip'));
    if (parts.length === MAX_PARTS)
      throw tooLarge('line 1', text(`hơn ${MAX_PARTS} phần`, `more than ${MAX_PARTS} parts`));
    const flags = bytes.readUInt16LE(p + 6);
    const method = bytes.readUInt16LE(p + 8);
    const compressed = bytes.readUInt32LE(p + 18);
    const declared = bytes.readUInt32LE(p + 22);
    const nameLength = bytes.readUInt16LE(p + 26);
    const name = bytes.toString('utf8', p + 30, p + 30 + nameLength);
    const data = p + 30 + nameLength + bytes.readUInt16LE(p + 28);
    if (flags & 1) throw unreadable(text('bị mã hoá', 'encrypted'));
    if (compressed === ZIP64 || declared === ZIP64)
      throw unreadable(text('tệp nén ZIP64', 'a ZIP64 archive'));
    if (method !== 0 && method !== 8)
      throw unreadable(text(`phương thức nén ${method}`, `compression method ${method}`));
    // Sizes after the data (flag bit 3, as exceljs writes): the data runs to the descriptor.
    const sizeKnown = (flags & 8) === 0 || compressed > 0;
    const end = sizeKnown ? data + compressed : bytes.indexOf(DESCRIPTOR, data);
    const next = sizeKnown ? end : end + 16;
    if (end < 0 || next > bytes.length) throw unreadable(text('tệp zip bị hỏng', 'a broken zip'));
    if (method === 0 && !sizeKnown)
      throw unreadable(text('một phần không rõ kích thước', 'a stored part of unknown size'));
    const limit = limits.expandedBytes - expanded;
    // A part that admits its size is refused at once; one that hides it (or lies), once it has
    // inflated past the limit.
    if (sizeKnown && declared > limit) {
      throw tooLarge('line 1', expandsPast(limits.expandedBytes));
    }
    try {
      expanded += method === 0 ? end - data : await inflatedSize(bytes.subarray(data, end), limit);
    } catch {
      throw unreadable(text('một phần không giải nén được', 'a part does not inflate'));
    }
    if (expanded > limits.expandedBytes) {
      throw tooLarge('line 1', expandsPast(limits.expandedBytes));
    }
    parts.push({ name, record: bytes.subarray(p, next) });
    p = next;
  }
}

/**
 * OOXML writes a character XML cannot carry (a carriage return, which every XML parser turns
 * into a line feed with the line feed after it) as _xHHHH_, and a literal _xHHHH_ with its
 * underscore so written. This reads both back.
 */
export function fromXlsxText(text: string): string {
  return text.includes('_x')
    ? text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) =>
        String.fromCharCode(Number.parseInt(hex, 16)),
      )
    : text;
}

/** A literal escape's start, and the control characters XML cannot carry or exceljs drops. */
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const ESCAPED = /_x(?=[0-9A-Fa-f]{4}_)|[\x00-\x08\x0b-\x1f\x7f]/g;

/** The inverse of `fromXlsxText`, for the text cells a workbook is written with. */
export function toXlsxText(text: string): string {
  return text.replace(ESCAPED, (match) =>
    match === '_x'
      ? '_x005F_x'
      : `_x${match.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}_`,
  );
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  // A spreadsheet's date has no time zone: its wall-clock time, read as Vietnam's.
  if (value instanceof Date) {
    const time = value.toISOString();
    const millis = time.slice(19, 23);
    return `${time.slice(0, 19)}${millis === '.000' ? '' : millis}`;
  }
  if (typeof value === 'string') return fromXlsxText(value);
  if (typeof value !== 'object') return String(value);
  if ('richText' in value) return fromXlsxText(value.richText.map((run) => run.text).join(''));
  if ('hyperlink' in value) return value.text;
  if ('error' in value) return value.error;
  return value.result === undefined ? '' : cellText(value.result);
}

/** The column's letters, as a spreadsheet names it (1 → A, 16384 → XFD). */
function columnLetters(column: number): string {
  let letters = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) {
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  }
  return letters;
}

/**
 * The first sheet of a workbook as CSV text, in pieces, streamed: the work grows with the
 * cells present, never with the range a sheet declares. Refused (422) when the zip is broken,
 * or past `limits`.
 */
export async function* xlsxAsCsv(
  bytes: Uint8Array,
  limits: XlsxLimits = XLSX_LIMITS,
): AsyncGenerator<string> {
  const { parts, tail } = await zipParts(
    Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    limits,
  );
  // The parts a sheet refers to first: exceljs then streams the sheet instead of spooling
  // it to a temporary file to wait for them.
  const ordered = [
    ...parts.filter((part) => !SHEET.test(part.name)),
    ...parts.filter((part) => SHEET.test(part.name)),
  ];
  // Imported here, not above: exceljs is a large part of every command's start-up (issue 19).
  const { default: ExcelJSModule } = await import('exceljs');
  const workbook = new ExcelJSModule.stream.xlsx.WorkbookReader(
    Readable.from([...ordered.map((part) => part.record), tail]),
    { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore' },
  );
  // A workbook without shared strings (or relationships) has nothing to wait for.
  Object.assign(workbook, { sharedStrings: [], workbookRels: [] });
  let width = 0;
  let line = 0;
  let written = 0;
  let piece = '';
  // Counted as it is written: a sheet may hold few cells of much text.
  const within = (more: string) => {
    written += Buffer.byteLength(more);
    if (written > limits.csvBytes) {
      throw tooLarge(
        `line ${line}`,
        text(
          `trang tính chứa hơn ${megabytes(limits.csvBytes)} CSV`,
          `the sheet holds more than ${megabytes(limits.csvBytes)} of CSV`,
        ),
      );
    }
    return more;
  };
  try {
    for await (const sheet of workbook) {
      for await (const row of sheet) {
        if (!(row.number > line))
          throw unreadable(text('các hàng không theo thứ tự', 'rows out of order'));
        if (row.number > limits.rows) {
          throw tooLarge(
            `line ${row.number}`,
            text(
              `trang tính có hơn ${limits.rows} hàng`,
              `the sheet has more than ${limits.rows} rows`,
            ),
          );
        }
        if (row.number === 1) {
          row.eachCell((_, column) => (width = Math.max(width, column)));
          if (width > limits.columns) {
            throw tooLarge(
              at(1, columnLetters(width)),
              text(
                `trang tính có hơn ${limits.columns} cột`,
                `the sheet has more than ${limits.columns} columns`,
              ),
            );
          }
        }
        // Only the header's columns, as before: a note beside the table is not data.
        const fields: string[] = Array.from({ length: width }, () => '');
        row.eachCell((cell, column) => {
          if (column <= width) fields[column - 1] = cellText(cell.value);
        });
        // A row not in the file, or without a value, is a blank line: skipped, but counted.
        piece += within('\n'.repeat(row.number - line - 1));
        line = row.number;
        piece += within(fields.some((field) => field !== '') ? stringify([fields]) : '\n');
        if (piece.length >= 64 * 1024) {
          yield piece;
          piece = '';
        }
      }
      // The first sheet only.
      break;
    }
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw unreadable(text('không đọc được XML của tệp', 'its XML cannot be read'));
  }
  if (piece !== '') yield piece;
}
