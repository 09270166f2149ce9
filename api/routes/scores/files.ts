// The scores document as files for a spreadsheet: the CSV form of interchange §5, and the
// same rows as an XLSX workbook (figures as numbers, unrounded).
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { scoresCsv } from '../../../analysis/scores-format.ts';
import type { ScoresDocument } from '../../../analysis/scores-document.ts';

const NUMBER = /^-?\d+(\.\d+)?(e[-+]?\d+)?$/i;

export async function scoresWorkbook(document: ScoresDocument): Promise<Uint8Array<ArrayBuffer>> {
  const rows: string[][] = parse(scoresCsv(document));
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(document.campaign.slice(0, 31));
  for (const row of rows) {
    sheet.addRow(row.map((cell) => (NUMBER.test(cell) ? Number(cell) : cell === '' ? null : cell)));
  }
  const written = new Uint8Array(await workbook.xlsx.writeBuffer());
  const bytes = new Uint8Array(written.byteLength);
  bytes.set(written);
  return bytes;
}
