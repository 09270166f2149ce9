// The files of the routes: a download's headers (a report as a file for a spreadsheet,
// api/services/spreadsheet.ts writes it), and an uploaded table read as the imports read it.
import type { Context } from 'hono';
import type { Delimiter } from '../services/csv.ts';
import {
  CSV_TYPE,
  delimiterOf,
  formatOfContentType,
  type SheetFormat,
  tableAsCsv,
  tableBytes,
  type Cell,
  XLSX_TYPE,
} from '../services/spreadsheet.ts';
import { XLSX_LIMITS } from '../services/xlsx.ts';
import { bodyStream, readBodyBytes } from './validation.ts';

export const download = (name: string, type: string) => ({
  'Content-Type': type,
  'Content-Disposition': `attachment; filename="${name}"`,
});

export const TABLE_TYPES = { csv: `${CSV_TYPE}; charset=utf-8`, xlsx: XLSX_TYPE } as const;

/** Rows as a download named `name`.csv or `name`.xlsx. */
export async function tableDownload(
  format: SheetFormat,
  rows: Cell[][],
  name: string,
  sheetName: string,
) {
  return {
    bytes: await tableBytes(format, rows, sheetName),
    headers: { ...download(`${name}.${format}`, TABLE_TYPES[format]), 'Cache-Control': 'no-store' },
  };
}

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
