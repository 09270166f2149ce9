// A responses file saved from a spreadsheet as XLSX: its first sheet becomes the CSV of
// interchange §1, so that the import reads it with the same rules, row N as line N.
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { invalid } from '../../errors.ts';

export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A workbook expands well beyond its compressed size: it is held to less than a CSV file. */
export const MAX_XLSX_BYTES = 8 * 1024 * 1024;

function text(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  // A spreadsheet's date has no time zone: its wall-clock time, read as Vietnam's.
  if (value instanceof Date) return value.toISOString().slice(0, 19);
  if (typeof value !== 'object') return String(value);
  if ('richText' in value) return value.richText.map((run) => run.text).join('');
  if ('hyperlink' in value) return value.text;
  if ('error' in value) return value.error;
  return value.result === undefined ? '' : text(value.result);
}

export async function xlsxAsCsv(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes.buffer);
  } catch {
    throw invalid('The file is not a readable XLSX workbook.', [
      { path: 'line 1', message: 'not an XLSX workbook: save it as .xlsx or CSV (UTF-8)' },
    ]);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) {
    throw invalid('The workbook has no sheet.', [{ path: 'line 1', message: 'the file is empty' }]);
  }
  const width = sheet.getRow(1).cellCount;
  const rows: string[][] = [];
  for (let n = 1; n <= sheet.rowCount; n++) {
    const row = sheet.getRow(n);
    rows.push(Array.from({ length: width }, (_, i) => text(row.getCell(i + 1).value)));
  }
  return stringify(rows);
}
