// Test support for evidence files: real minimal files of every accepted type, and the ones
// refused, built with the libraries the service itself reads and writes them with.
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import QRCode from 'qrcode';

export const bytesOf = (value: string) => new TextEncoder().encode(value);

/** A one-page PDF, as a PDF writer lays it out (the offsets in its xref are not checked). */
export const pdfFile = () =>
  bytesOf(
    '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n' +
      '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n' +
      '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n' +
      'trailer << /Root 1 0 R >>\n%%EOF\n',
  );

/** A real PNG: a QR code, drawn by the library that draws the counters'. */
export const pngFile = async () => new Uint8Array(await QRCode.toBuffer('SIPAS'));

/** The start of a JFIF JPEG: SOI, then the APP0 segment. */
export const jpegFile = () =>
  Uint8Array.from([
    0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01,
    0x00, 0x01, 0x00, 0x00, 0xff, 0xd9,
  ]);

/** A DOCX package: its content types, relationships and main document part. */
export async function docxFile(extraParts: string[] = []): Promise<Uint8Array> {
  const zip = new JSZip();
  zip.file(
    '[Content_Types].xml',
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
      '<Default Extension="xml" ContentType="application/xml"/>' +
      '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
  );
  zip.file(
    '_rels/.rels',
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
  );
  zip.file(
    'word/document.xml',
    '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">' +
      '<w:body><w:p><w:r><w:t>Báo cáo CCHC</w:t></w:r></w:p></w:body></w:document>',
  );
  for (const part of extraParts) zip.file(part, 'x');
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}

/** A ZIP archive that is no Office package. */
export async function zipFile(): Promise<Uint8Array> {
  const zip = new JSZip();
  zip.file('báo cáo.txt', 'Báo cáo');
  return zip.generateAsync({ type: 'uint8array' });
}

/** An XLSX workbook as exceljs writes the service's own downloads. */
export async function xlsxFile(): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  workbook.addWorksheet('Minh chứng').addRow(['Tiêu chí', 'Điểm']);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

/**
 * An OLE compound file (MS-CFB, version 3, 512-byte sectors) whose directory holds the root
 * and these streams (a storage when the name ends with `/`), four entries a sector, the directory's sectors chained through the FAT:
 * sector 0 is the FAT, the directory starts at sector 1.
 */
export function compoundFile(streams: readonly string[]): Uint8Array {
  const entries = ['Root Entry', ...streams];
  const directorySectors = Math.ceil(entries.length / 4);
  const bytes = new Uint8Array(512 * (2 + directorySectors));
  const view = new DataView(bytes.buffer);
  bytes.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
  view.setUint16(0x18, 0x3e, true);
  view.setUint16(0x1a, 3, true);
  view.setUint16(0x1c, 0xfffe, true);
  view.setUint16(0x1e, 9, true);
  view.setUint16(0x20, 6, true);
  view.setUint32(0x2c, 1, true);
  view.setUint32(0x30, 1, true);
  view.setUint32(0x38, 4096, true);
  view.setUint32(0x3c, 0xfffffffe, true);
  view.setUint32(0x44, 0xfffffffe, true);
  for (let i = 0; i < 109; i++) view.setUint32(0x4c + 4 * i, i === 0 ? 0 : 0xffffffff, true);
  const fat = 512;
  for (let i = 0; i < 128; i++) view.setUint32(fat + 4 * i, 0xffffffff, true);
  view.setUint32(fat, 0xfffffffd, true);
  for (let s = 1; s <= directorySectors; s++) {
    view.setUint32(fat + 4 * s, s === directorySectors ? 0xfffffffe : s + 1, true);
  }
  entries.forEach((entry, i) => {
    const at = 1024 + 128 * i;
    const name = entry.replace(/\/$/, '');
    for (let c = 0; c < name.length; c++) view.setUint16(at + 2 * c, name.charCodeAt(c), true);
    view.setUint16(at + 0x40, (name.length + 1) * 2, true);
    bytes[at + 0x42] = i === 0 ? 5 : entry.endsWith('/') ? 1 : 2;
  });
  return bytes;
}

export const htmlFile = () => bytesOf('<!doctype html><html><body><script>alert(1)</script>');
export const svgFile = () =>
  bytesOf('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
