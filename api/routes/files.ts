// The files of the routes: a download's headers (a report as a file for a spreadsheet,
// api/services/spreadsheet.ts writes it), and an uploaded table read as the imports read it.
import type { Context } from 'hono';
import type { Delimiter } from '../services/csv.ts';
import { attachment } from '../services/evidence-type.ts';
import {
  CSV_TYPE,
  delimiterOf,
  formatOfContentType,
  type SheetFormat,
  tableAsCsv,
  tableBytes,
  type Cell,
  UTF8_BOM,
  XLSX_TYPE,
} from '../services/spreadsheet.ts';
import { XLSX_LIMITS } from '../services/xlsx.ts';
import { bodyStream, readBodyBytes } from './validation.ts';

export const download = (name: string, type: string) => ({
  'Content-Type': type,
  'Content-Disposition': `attachment; filename="${name}"`,
});

/**
 * The headers of a stored file a person uploaded (an assessment's evidence, a plan's progress
 * report's): an attachment of the type read from its content, with its ASCII and UTF-8 names,
 * that a browser neither sniffs, nor runs, nor keeps.
 */
export const storedFileHeaders = (file: { fileName: string; mediaType: string }) => ({
  'Content-Type': file.mediaType,
  'Content-Disposition': attachment(file.fileName),
  'X-Content-Type-Options': 'nosniff',
  // Opened in a tab anyway, a file runs nothing and reaches nothing.
  'Content-Security-Policy': "sandbox; default-src 'none'",
  'Cache-Control': 'private, no-store',
});

export const TABLE_TYPES = { csv: `${CSV_TYPE}; charset=utf-8`, xlsx: XLSX_TYPE } as const;

/** Where a CSV download starts: with the BOM that tells Excel it is UTF-8. */
export const CSV_START = new TextEncoder().encode(UTF8_BOM);

/** Rows as a download named `name`.csv (after CSV_START) or `name`.xlsx. */
export async function tableDownload(
  format: SheetFormat,
  rows: Cell[][],
  name: string,
  sheetName: string,
) {
  const table = await tableBytes(format, rows, sheetName);
  const bytes = format === 'csv' ? new Uint8Array(CSV_START.byteLength + table.byteLength) : table;
  if (format === 'csv') {
    bytes.set(CSV_START);
    bytes.set(table, CSV_START.byteLength);
  }
  return {
    bytes,
    headers: { ...download(`${name}.${format}`, TABLE_TYPES[format]), 'Cache-Control': 'no-store' },
  };
}

/** A report's CSV form as a download named `name`.csv, after the BOM. */
export const csvDownload = (csv: string, name: string) => ({
  body: `${UTF8_BOM}${csv}`,
  headers: download(`${name}.csv`, TABLE_TYPES.csv),
});

/**
 * The body as the CSV an import reads, with its separator: an XLSX workbook (by its
 * Content-Type) read whole within XLSX_LIMITS and converted, CSV streamed.
 */
export async function uploadedTable(c: Context, told: Delimiter | undefined) {
  const format = formatOfContentType(c.req.header('content-type'));
  const input = await tableAsCsv(
    format,
    format === 'xlsx' ? await readBodyBytes(c, XLSX_LIMITS.bytes) : bodyStream(c),
  );
  return { input, delimiter: delimiterOf(format, told) };
}
