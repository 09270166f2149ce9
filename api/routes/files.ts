// Reports as files for a spreadsheet: a report's CSV form as an XLSX workbook (figures as
// numbers, unrounded), and the headers of a download.
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const download = (name: string, type: string) => ({
  'Content-Type': type,
  'Content-Disposition': `attachment; filename="${name}"`,
});

const NUMBER = /^-?\d+(\.\d+)?(e[-+]?\d+)?$/i;

/** One sheet holding the CSV's rows; a sheet name is at most 31 characters in XLSX. */
export async function csvWorkbook(
  csv: string,
  sheetName: string,
): Promise<Uint8Array<ArrayBuffer>> {
  const rows: string[][] = parse(csv);
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(sheetName.slice(0, 31));
  for (const row of rows) {
    sheet.addRow(row.map((cell) => (NUMBER.test(cell) ? Number(cell) : cell === '' ? null : cell)));
  }
  const written = new Uint8Array(await workbook.xlsx.writeBuffer());
  const bytes = new Uint8Array(written.byteLength);
  bytes.set(written);
  return bytes;
}
