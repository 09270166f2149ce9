// An evidence file's type is read from its content, on real minimal files of every type; the
// name must agree; the stored and served names are safe. Pure: no database.
import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors.ts';
import {
  asciiFileName,
  attachment,
  evidenceType,
  oleEntries,
  safeFileName,
} from './evidence-type.ts';
import {
  compoundFile,
  docxFile,
  htmlFile,
  jpegFile,
  pdfFile,
  pngFile,
  svgFile,
  xlsxFile,
  zipFile,
} from './evidence.testing.ts';

async function refusal(bytes: Uint8Array, name: string) {
  const error: unknown = await evidenceType(bytes, name).catch((e: unknown) => e);
  if (!(error instanceof DomainError)) throw new Error(`expected a refusal of ${name}`);
  expect(error.code).toBe('invalid');
  expect(error.errors).toHaveLength(1);
  const [problem] = error.errors;
  return { path: problem?.path, en: problem?.message.en, vi: problem?.message.vi };
}

describe('evidence types by content', () => {
  it('reads each accepted type from its content, under a name that agrees', async () => {
    const cases = [
      [pdfFile(), 'báo cáo.pdf', 'pdf', 'application/pdf'],
      [await pngFile(), 'ảnh.PNG', 'png', 'image/png'],
      [jpegFile(), 'ảnh.jpg', 'jpg', 'image/jpeg'],
      [jpegFile(), 'ảnh.jpeg', 'jpg', 'image/jpeg'],
      [
        await docxFile(),
        'quyết định.docx',
        'docx',
        'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      ],
      [
        await xlsxFile(),
        'bảng.xlsx',
        'xlsx',
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      ],
      [compoundFile(['WordDocument', '1Table']), 'cũ.doc', 'doc', 'application/msword'],
      [compoundFile(['Workbook']), 'cũ.xls', 'xls', 'application/vnd.ms-excel'],
      [compoundFile(['Book']), 'rất cũ.XLS', 'xls', 'application/vnd.ms-excel'],
    ] as const;
    for (const [bytes, name, type, mediaType] of cases) {
      expect(await evidenceType(bytes, name), name).toEqual({ type, mediaType });
    }
  });

  it('refuses HTML, SVG, other archives and unknown bytes, whatever the name', async () => {
    for (const [bytes, name] of [
      [htmlFile(), 'x.html'],
      [htmlFile(), 'x.pdf'],
      [svgFile(), 'x.svg'],
      [svgFile(), 'x.png'],
      [Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]), 'x.docx'],
      [await zipFile(), 'x.xlsx'],
      [new TextEncoder().encode('MZ\x90\x00'), 'x.doc'],
    ] as const) {
      const problem = await refusal(bytes, name);
      expect(problem.path, name).toBe('file');
      expect(problem.en, name).toMatch(/only PDF, DOC, DOCX, XLS, XLSX, JPG, PNG are accepted/);
      expect(problem.vi, name).toMatch(/chỉ nhận PDF, DOC, DOCX, XLS, XLSX, JPG, PNG/);
    }
  });

  it('refuses a file of another type than its name claims', async () => {
    expect(await refusal(await pngFile(), 'x.pdf')).toEqual({
      path: 'file',
      en: 'the content is PNG but the name says .pdf: the file is of another type than it claims',
      vi: 'nội dung là PNG nhưng tên tệp ghi .pdf: tệp là loại khác với tên của nó',
    });
    expect((await refusal(await docxFile(), 'x.xlsx')).en).toMatch(/^the content is DOCX but/);
    expect((await refusal(await xlsxFile(), 'x.docx')).en).toMatch(/^the content is XLSX but/);
    expect((await refusal(compoundFile(['Workbook']), 'x.doc')).en).toMatch(/is XLS but/);
    expect((await refusal(pdfFile(), 'x.jpg')).en).toMatch(/is PDF but the name says \.jpg/);
  });

  it('refuses a name without an accepted extension, naming `name`', async () => {
    for (const name of ['báo cáo', 'báo cáo.txt', 'báo cáo.']) {
      const problem = await refusal(pdfFile(), name);
      expect(problem.path, name).toBe('name');
      expect(problem.en, name).toBe(
        "the name must end with .pdf, .doc, .docx, .xls, .xlsx, .jpg, .jpeg, .png, as the file's type",
      );
    }
  });

  it('refuses an empty file', async () => {
    expect(await refusal(new Uint8Array(0), 'x.pdf')).toEqual({
      path: 'file',
      en: 'the file is empty',
      vi: 'tệp rỗng',
    });
  });

  it('refuses Office files that carry macros', async () => {
    const docm = await docxFile(['word/vbaProject.bin']);
    expect((await refusal(docm, 'x.docx')).en).toMatch(/holds macros/);
    expect((await refusal(compoundFile(['WordDocument', 'Macros/']), 'x.doc')).en).toMatch(
      /holds macros/,
    );
    expect((await refusal(compoundFile(['Workbook', '_VBA_PROJECT_CUR/']), 'x.xls')).en).toMatch(
      /holds macros/,
    );
  });

  it('follows an OLE directory across sectors through the FAT', () => {
    // Six entries: the root and three streams fill sector 1, the rest sit in sector 2.
    const file = compoundFile([
      'SummaryInformation',
      'DocumentSummaryInformation',
      '1Table',
      'Data',
      'WordDocument',
    ]);
    expect(oleEntries(file)).toEqual({
      names: new Set([
        'Root Entry/',
        'SummaryInformation',
        'DocumentSummaryInformation',
        '1Table',
        'Data',
        'WordDocument',
      ]),
      complete: true,
    });
  });

  it('tells DOC from XLS by the name when the OLE directory cannot be read', async () => {
    // The header alone: its directory sector lies past the end of the file.
    const header = compoundFile(['WordDocument']).slice(0, 512);
    expect(oleEntries(header).complete).toBe(false);
    expect(await evidenceType(header, 'x.xls')).toMatchObject({ type: 'xls' });
    expect(await evidenceType(header, 'x.doc')).toMatchObject({ type: 'doc' });
    expect((await refusal(header, 'x.pdf')).en).toMatch(
      /^the content is an Office file \(DOC or XLS\) but the name says \.pdf/,
    );
  });

  it('refuses an OLE file read whole that is neither a Word document nor a workbook', async () => {
    const slides = compoundFile(['PowerPoint Document', 'Current User']);
    expect((await refusal(slides, 'x.doc')).en).toMatch(
      /^an Office file that is neither a Word document \(DOC\) nor an Excel workbook \(XLS\)/,
    );
  });
});

describe('evidence file names', () => {
  it('keeps the last path part and Vietnamese letters, without controls', () => {
    expect(safeFileName('C:\\fakepath\\Báo cáo\u0000 năm\t2026.pdf')).toBe('Báo cáo năm 2026.pdf');
    expect(safeFileName('../../etc/passwd.pdf')).toBe('passwd.pdf');
    // Decomposed, as a Mac types it: stored composed.
    expect(safeFileName('Ba\u0301o ca\u0301o.pdf')).toBe('Báo cáo.pdf');
    // A right-to-left override would show `exe.pdf`.
    expect(safeFileName('report\u202Efdp.exe')).toBe('reportfdp.exe');
    expect(safeFileName('a<b>:"c"|?*.pdf')).toBe('a_b___c____.pdf');
    expect(safeFileName('  ..ẩn.pdf ')).toBe('ẩn.pdf');
  });

  it('shortens a long name to 200 characters, keeping its extension', () => {
    const name = safeFileName(`${'đ'.repeat(300)}.docx`);
    expect([...name]).toHaveLength(200);
    expect(name).toBe(`${'đ'.repeat(195)}.docx`);
  });

  it('refuses a name with nothing left, naming `name`', () => {
    for (const given of ['', '///', '\u0000\u202E', ' .. ']) {
      expect(() => safeFileName(given), JSON.stringify(given)).toThrow(
        expect.objectContaining({ errors: [expect.objectContaining({ path: 'name' })] }),
      );
    }
  });

  it('serves the name as ASCII for old clients and as UTF-8 for the rest', () => {
    expect(asciiFileName('Báo cáo đợt 1 Đông.pdf')).toBe('Bao cao dot 1 Dong.pdf');
    expect(asciiFileName('a"b\\c€.pdf')).toBe('a_b_c_.pdf');
    // á is C3 A1, đ is C4 91, ợ is E1 BB A3 in UTF-8; ' ( ) are no attr-chars of RFC 8187.
    expect(attachment("Báo cáo đợt (1)'.pdf")).toBe(
      'attachment; filename="Bao cao dot (1)\'.pdf"; ' +
        "filename*=UTF-8''B%C3%A1o%20c%C3%A1o%20%C4%91%E1%BB%A3t%20%281%29%27.pdf",
    );
  });
});
