// The layout of a Vietnamese administrative document (Nghị định 30/2020/NĐ-CP, Phụ lục I), as
// the plan and its progress report share it: A4, Times New Roman, the margins and sizes the
// decree sets, the issuing body beside the national title, the type of document and its
// summary, the body, then the recipients beside the signature. Built with `docx`; the numbers
// and days to fill in by hand are left as dotted blanks, as offices print them.
import {
  AlignmentType,
  convertMillimetersToTwip,
  Document,
  Header,
  Packer,
  PageNumber,
  Paragraph,
  Table,
  TableBorders,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlignTable,
  WidthType,
  type ParagraphChild,
} from 'docx';
import type { PlanSections } from '../../../analysis/plan-document.ts';

export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** A blank for a number, a day or a name to be written in by hand. */
export const BLANK = '……';

/** Sizes in half-points, as OOXML counts them (ND 30: 13-14 for the body, 12-13 the heading). */
const SIZE = {
  body: 28,
  heading: 26,
  nationalTitle: 24,
  table: 24,
  recipientsLabel: 24,
  recipients: 22,
} as const;

/** A4, and the decree's margins: top and bottom 20-25 mm, left 30-35 mm, right 15-20 mm. */
const PAGE = { width: 210, height: 297, top: 20, bottom: 20, left: 30, right: 15 } as const;
const TEXT_WIDTH = convertMillimetersToTwip(PAGE.width - PAGE.left - PAGE.right);

const FONT = 'Times New Roman';
const upper = (text: string) => text.toLocaleUpperCase('vi');

export interface RunStyle {
  bold?: boolean;
  italics?: boolean;
  underline?: boolean;
  size?: number;
}

export const run = (text: string, { bold, italics, underline, size }: RunStyle = {}) =>
  new TextRun({
    text,
    bold,
    italics,
    size,
    ...(underline ? { underline: {} } : {}),
  });

type Align = (typeof AlignmentType)[keyof typeof AlignmentType];

/** A line centred, as the heading of a document is. */
export const centred = (children: ParagraphChild[], after = 0) =>
  new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after }, children });

/**
 * The body's paragraphs: justified, the first line indented 1 cm, 6 pt after, one a line of
 * `text` (an author's empty line is no paragraph).
 */
export function body(text: string, style: RunStyle = {}): Paragraph[] {
  return text
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .map((line) => bodyParagraph([run(line, style)]));
}

export const bodyParagraph = (children: ParagraphChild[]) =>
  new Paragraph({
    alignment: AlignmentType.JUSTIFIED,
    indent: { firstLine: convertMillimetersToTwip(10) },
    spacing: { after: 120, line: 288 },
    children,
  });

/** A heading of the body (I. MỤC ĐÍCH, YÊU CẦU; 1. Kết quả…): bold, indented like the text. */
export const heading = (text: string) => bodyParagraph([run(text, { bold: true })]);

/** Two columns side by side without borders: the heading's and the closing's layout. */
function sideBySide(left: Paragraph[], right: Paragraph[], leftShare: number): Table {
  const widths = [
    Math.round(TEXT_WIDTH * leftShare),
    TEXT_WIDTH - Math.round(TEXT_WIDTH * leftShare),
  ];
  return new Table({
    layout: TableLayoutType.FIXED,
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: widths,
    borders: TableBorders.NONE,
    rows: [
      new TableRow({
        children: [left, right].map(
          (children, i) =>
            new TableCell({ children, width: { size: widths[i] ?? 0, type: WidthType.DXA } }),
        ),
      }),
    ],
  });
}

/**
 * The heading (ND 30, Phụ lục I, ô 1-4): the superior body and the issuing body, the number
 * and symbol (`Số: ……/KH-……`) left; the national title, the motto, the place and date right.
 */
export function documentHeading(sections: PlanSections, symbol: string): Table {
  const superior = sections.superiorBody.trim();
  const left = [
    ...(superior === '' ? [] : [centred([run(upper(superior), { size: SIZE.heading })])]),
    centred(
      [run(upper(sections.issuingBody.trim()) || BLANK, { bold: true, size: SIZE.heading })],
      120,
    ),
    centred([run(`Số: ${BLANK}/${symbol}-${BLANK}`, { size: SIZE.heading })]),
  ];
  const right = [
    centred([run('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', { bold: true, size: SIZE.nationalTitle })]),
    centred(
      [run('Độc lập - Tự do - Hạnh phúc', { bold: true, underline: true, size: SIZE.heading })],
      120,
    ),
    centred([
      run(`${sections.place.trim() || BLANK}, ngày ${BLANK} tháng ${BLANK} năm ${BLANK}`, {
        italics: true,
        size: SIZE.heading,
      }),
    ]),
  ];
  return sideBySide(left, right, 0.38);
}

/** The type of the document (KẾ HOẠCH, BÁO CÁO) and its summary, centred and bold. */
export const documentTitle = (kind: string, summary: string) => [
  new Paragraph({ spacing: { before: 360 }, children: [] }),
  centred([run(kind, { bold: true })]),
  centred([run(summary, { bold: true })], 360),
];

/**
 * Recipients (Nơi nhận: bold italic 12, one a line in 11, each after a dash) left, and the
 * signature right: the title bold in capitals, room to sign, the name bold; blanks when empty.
 */
export function closing(sections: PlanSections): Table {
  const recipients = sections.recipients.filter((line) => line.trim() !== '');
  const left = [
    new Paragraph({
      spacing: { before: 240 },
      children: [run('Nơi nhận:', { bold: true, italics: true, size: SIZE.recipientsLabel })],
    }),
    ...recipients.map(
      (line) =>
        new Paragraph({
          children: [
            run(/^\s*[-–]/.test(line) ? line.trim() : `- ${line.trim()}`, {
              size: SIZE.recipients,
            }),
          ],
        }),
    ),
  ];
  const right = [
    new Paragraph({ spacing: { before: 240 }, children: [] }),
    centred([run(upper(sections.signerTitle.trim()) || BLANK, { bold: true })]),
    ...Array.from({ length: 4 }, () => new Paragraph({ children: [] })),
    centred([run(sections.signerName.trim() || BLANK, { bold: true })]),
  ];
  return sideBySide(left, right, 0.5);
}

export interface Column {
  title: string;
  /** Share of the text's width. */
  share: number;
  align?: Align;
}

/**
 * A table of the body with borders: its header row bold, centred and repeated on every page;
 * a cell's lines become paragraphs.
 */
export function grid(columns: Column[], rows: string[][]): Table {
  const widths = columns.map((column) => Math.round(TEXT_WIDTH * column.share));
  const cell = (text: string, i: number, header: boolean) =>
    new TableCell({
      width: { size: widths[i] ?? 0, type: WidthType.DXA },
      verticalAlign: VerticalAlignTable.CENTER,
      margins: { left: 80, right: 80, top: 40, bottom: 40 },
      children: text.split(/\r?\n/).map(
        (line) =>
          new Paragraph({
            alignment: header ? AlignmentType.CENTER : (columns[i]?.align ?? AlignmentType.LEFT),
            children: [run(line, { bold: header, size: SIZE.table })],
          }),
      ),
    });
  return new Table({
    layout: TableLayoutType.FIXED,
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: widths,
    rows: [
      new TableRow({
        tableHeader: true,
        children: columns.map((column, i) => cell(column.title, i, true)),
      }),
      ...rows.map(
        (cells) =>
          new TableRow({ cantSplit: true, children: cells.map((c, i) => cell(c, i, false)) }),
      ),
    ],
  });
}

/** A little room after a table, before the text goes on. */
export const gap = () => new Paragraph({ spacing: { after: 120 }, children: [] });

/**
 * The document: A4 with the decree's margins, Times New Roman 14, the page number centred at
 * the top from the second page on (ND 30: not on the first).
 */
export async function documentBytes(
  title: string,
  children: (Paragraph | Table)[],
): Promise<Uint8Array> {
  const document = new Document({
    title,
    styles: { default: { document: { run: { font: FONT, size: SIZE.body } } } },
    sections: [
      {
        properties: {
          titlePage: true,
          page: {
            size: {
              width: convertMillimetersToTwip(PAGE.width),
              height: convertMillimetersToTwip(PAGE.height),
            },
            margin: {
              top: convertMillimetersToTwip(PAGE.top),
              bottom: convertMillimetersToTwip(PAGE.bottom),
              left: convertMillimetersToTwip(PAGE.left),
              right: convertMillimetersToTwip(PAGE.right),
              header: convertMillimetersToTwip(10),
              footer: convertMillimetersToTwip(10),
            },
          },
        },
        headers: {
          default: new Header({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [new TextRun({ children: [PageNumber.CURRENT], size: SIZE.heading })],
              }),
            ],
          }),
          first: new Header({ children: [] }),
        },
        children,
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(document));
}
