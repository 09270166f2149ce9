// What an evidence file is (par-cycle.md §2, docs/evidence.md), read from its bytes and never
// from its name: a file is served back to appraisers, so an HTML page or an SVG named .pdf
// must never reach a browser as what it claims. The name's extension must then agree with the
// content. Office files are told apart by what is inside them: the streams of an OLE compound
// file (DOC, XLS), the parts of a ZIP package (DOCX, XLSX), read from its central directory.
import { createHash } from 'node:crypto';
import type JSZip from 'jszip';
import { EVIDENCE_MAX_BYTES, EVIDENCE_TYPES, type EvidenceType } from '../../shared/assessment.ts';
import { DomainError, invalid, text, type Text } from '../errors.ts';
import { XLSX_TYPE } from './spreadsheet.ts';

export const EVIDENCE_MEDIA_TYPES: Record<EvidenceType, string> = {
  pdf: 'application/pdf',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: XLSX_TYPE,
  jpg: 'image/jpeg',
  png: 'image/png',
};

/** What each type is called in a message. */
const TYPE_NAMES: Record<EvidenceType, string> = {
  pdf: 'PDF',
  doc: 'DOC',
  docx: 'DOCX',
  xls: 'XLS',
  xlsx: 'XLSX',
  jpg: 'JPG',
  png: 'PNG',
};

/** The extensions a name may end with, each naming its type. */
const EXTENSIONS: Record<string, EvidenceType> = {
  pdf: 'pdf',
  doc: 'doc',
  docx: 'docx',
  xls: 'xls',
  xlsx: 'xlsx',
  jpg: 'jpg',
  jpeg: 'jpg',
  png: 'png',
};

const ACCEPTED = EVIDENCE_TYPES.map((type) => TYPE_NAMES[type]).join(', ');
const DOTTED = Object.keys(EXTENSIONS)
  .map((extension) => `.${extension}`)
  .join(', ');

const refused = (path: 'file' | 'name', reason: Text) =>
  invalid(
    text(
      'Tệp minh chứng không được nhận; không có gì được lưu.',
      'The evidence file is refused; nothing was stored.',
    ),
    [{ path, message: reason }],
  );

/** 413 for a file over EVIDENCE_MAX_BYTES: the upload stops reading there. */
export const evidenceTooLarge = () =>
  new DomainError(
    'too-large',
    text(
      `Tệp minh chứng lớn hơn ${EVIDENCE_MAX_BYTES / 2 ** 20} MB; không có gì được lưu.`,
      `The evidence file is larger than ${EVIDENCE_MAX_BYTES / 2 ** 20} MB; nothing was stored.`,
    ),
    [
      {
        path: 'file',
        message: text(
          `lớn hơn ${EVIDENCE_MAX_BYTES / 2 ** 20} MB: hãy chia nhỏ hoặc nén lại`,
          `larger than ${EVIDENCE_MAX_BYTES / 2 ** 20} MB: split or compress it`,
        ),
      },
    ],
  );

const startsWith = (bytes: Uint8Array, signature: readonly number[]) =>
  bytes.length >= signature.length && signature.every((byte, i) => bytes[i] === byte);

const PDF = [...'%PDF-'].map((ch) => ch.charCodeAt(0));
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const ZIP = [0x50, 0x4b, 0x03, 0x04];

/** Sector ids from 0xFFFFFFFB up mark a chain's end, free sectors and the FAT's own. */
const LAST_SECTOR = 0xfffffffa;
const DIRECTORY_ENTRY = 128;
const STREAM = 2;

/**
 * The names of the streams and storages of an OLE compound file (MS-CFB), from its directory
 * chain as the FAT sectors that the header lists directly reach it; `complete` when the chain
 * was followed to its end. A file whose FAT runs past those 109 sectors (some tens of MB) may
 * leave the chain unfinished; the caller then decides without the names it did not see.
 */
export function oleEntries(bytes: Uint8Array): { names: Set<string>; complete: boolean } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const names = new Set<string>();
  if (bytes.length < 512) return { names, complete: false };
  const shift = view.getUint16(0x1e, true);
  if (shift !== 9 && shift !== 12) return { names, complete: false };
  const size = 1 << shift;
  const sector = (id: number) => (id + 1) * size;
  const fat: number[] = [];
  for (let i = 0; i < 109; i++) {
    const id = view.getUint32(0x4c + 4 * i, true);
    if (id > LAST_SECTOR || sector(id) + size > bytes.length) break;
    for (let at = sector(id); at < sector(id) + size; at += 4) fat.push(view.getUint32(at, true));
  }
  let id = view.getUint32(0x30, true);
  // A chain never visits more sectors than the file has: a loop in a damaged FAT ends there.
  for (let steps = 0; steps < bytes.length / size; steps++) {
    if (id > LAST_SECTOR) return { names, complete: true };
    if (sector(id) + size > bytes.length) break;
    for (let at = sector(id); at < sector(id) + size; at += DIRECTORY_ENTRY) {
      const length = view.getUint16(at + 0x40, true);
      if (length < 2 || length > 64 || bytes[at + 0x42] === 0) continue;
      names.add(
        new TextDecoder('utf-16le').decode(bytes.subarray(at, at + length - 2)) +
          (bytes[at + 0x42] === STREAM ? '' : '/'),
      );
    }
    const next = fat[id];
    if (next === undefined) break;
    id = next;
  }
  return { names, complete: false };
}

/** What the content says, or why it is refused; `oneOf` when only the name can decide. */
type Sniffed =
  { type: EvidenceType } | { oneOf: readonly EvidenceType[]; what: Text } | { refused: Text };

const notAccepted = (what: Text): Sniffed => ({
  refused: text(
    `${what.vi}: chỉ nhận ${ACCEPTED}, xét theo nội dung tệp`,
    `${what.en}: only ${ACCEPTED} are accepted, by the file's content`,
  ),
});

const macros = text(
  'tệp chứa macro (mã chạy được), không được nhận: hãy lưu lại không kèm macro',
  'the file holds macros (code that runs), which are not accepted: save it without them',
);

function sniffOle(bytes: Uint8Array): Sniffed {
  const { names, complete } = oleEntries(bytes);
  if (names.has('Macros/') || names.has('_VBA_PROJECT_CUR/')) return { refused: macros };
  const word = names.has('WordDocument');
  const excel = names.has('Workbook') || names.has('Book');
  if (word !== excel) return { type: word ? 'doc' : 'xls' };
  if (complete && !word) {
    return notAccepted(
      text(
        'tệp Office không phải văn bản Word (DOC) hay bảng tính Excel (XLS)',
        'an Office file that is neither a Word document (DOC) nor an Excel workbook (XLS)',
      ),
    );
  }
  return {
    oneOf: ['doc', 'xls'],
    what: text('tệp Office (DOC hoặc XLS)', 'an Office file (DOC or XLS)'),
  };
}

async function sniffZip(bytes: Uint8Array): Promise<Sniffed> {
  // Imported here, not above: the server starts without it (issue 19).
  const { default: JSZipModule } = await import('jszip');
  let zip: JSZip;
  try {
    // Reads the central directory's names; nothing is inflated.
    zip = await JSZipModule.loadAsync(bytes);
  } catch {
    return notAccepted(text('tệp ZIP bị hỏng', 'a broken ZIP archive'));
  }
  const names = Object.keys(zip.files);
  if (names.some((name) => name.endsWith('vbaProject.bin'))) return { refused: macros };
  const word = names.includes('word/document.xml');
  const excel = names.includes('xl/workbook.xml');
  if (word !== excel) return { type: word ? 'docx' : 'xlsx' };
  return notAccepted(
    text(
      'tệp ZIP không phải văn bản DOCX hay bảng tính XLSX',
      'a ZIP archive that is neither a DOCX document nor an XLSX workbook',
    ),
  );
}

async function sniff(bytes: Uint8Array): Promise<Sniffed> {
  if (startsWith(bytes, PDF)) return { type: 'pdf' };
  if (startsWith(bytes, PNG)) return { type: 'png' };
  if (startsWith(bytes, JPEG)) return { type: 'jpg' };
  if (startsWith(bytes, OLE)) return sniffOle(bytes);
  if (startsWith(bytes, ZIP)) return sniffZip(bytes);
  return notAccepted(
    text('nội dung không thuộc loại nào được nhận', 'its content is of no accepted type'),
  );
}

/** The type a name's extension claims, lower-cased: `.JPEG` claims jpg; none: undefined. */
function claimed(fileName: string): { extension: string; type: EvidenceType | undefined } | null {
  const dot = fileName.lastIndexOf('.');
  if (dot < 0 || dot === fileName.length - 1) return null;
  const extension = fileName.slice(dot + 1).toLowerCase();
  return { extension, type: EXTENSIONS[extension] };
}

/**
 * The type of an evidence file and its media type, from its content; refused (422 naming
 * `file`, or `name` for the name alone) when it is empty, of no accepted type, holds macros,
 * or is of another type than its name's extension claims.
 */
export async function evidenceType(
  bytes: Uint8Array,
  fileName: string,
): Promise<{ type: EvidenceType; mediaType: string }> {
  if (bytes.length === 0) throw refused('file', text('tệp rỗng', 'the file is empty'));
  const found = await sniff(bytes);
  if ('refused' in found) throw refused('file', found.refused);
  const claim = claimed(fileName);
  if (claim === null || claim.type === undefined) {
    throw refused(
      'name',
      text(
        `tên tệp phải có đuôi ${DOTTED} theo loại của tệp`,
        `the name must end with ${DOTTED}, as the file's type`,
      ),
    );
  }
  const type = 'type' in found ? found.type : found.oneOf.find((one) => one === claim.type);
  if (type === undefined || type !== claim.type) {
    const what =
      'type' in found ? text(TYPE_NAMES[found.type], TYPE_NAMES[found.type]) : found.what;
    throw refused(
      'file',
      text(
        `nội dung là ${what.vi} nhưng tên tệp ghi .${claim.extension}: tệp là loại khác với tên của nó`,
        `the content is ${what.en} but the name says .${claim.extension}: the file is of another type than it claims`,
      ),
    );
  }
  return { type, mediaType: EVIDENCE_MEDIA_TYPES[type] };
}

const FILE_NAME_MAX = 200;

/**
 * The name an evidence file is stored and served under: its last path part (a browser may
 * send `C:\…\báo cáo.pdf`), in NFC (so that a name typed on a Mac compares equal), without
 * control or formatting characters (a right-to-left override can make `fdp.exe` read as
 * `exe.pdf`) or the characters no file system takes; Vietnamese letters are kept. Refused
 * (422 naming `name`) when nothing is left.
 */
export function safeFileName(given: string): string {
  const last = given.split(/[/\\]/).at(-1) ?? '';
  const clean = last
    .normalize('NFC')
    .replace(/\s/g, ' ')
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .replace(/[<>:"|?*]/g, '_')
    .replace(/ {2,}/g, ' ')
    .replace(/^[\s.]+/, '')
    .trim();
  if (clean === '') {
    throw refused('name', text('tên tệp trống', 'the file name is empty'));
  }
  const chars = [...clean];
  if (chars.length <= FILE_NAME_MAX) return clean;
  const claim = claimed(clean);
  const tail = claim ? `.${claim.extension}` : '';
  return chars.slice(0, FILE_NAME_MAX - [...tail].length).join('') + tail;
}

/**
 * The file name in printable ASCII, for the `filename=` of a Content-Disposition that an old
 * client reads: Vietnamese letters lose their marks (`báo cáo đợt 1` → `bao cao dot 1`), the
 * rest becomes `_`.
 */
export function asciiFileName(fileName: string): string {
  return fileName
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^\x20-\x7e]|["\\]/g, '_');
}

/** Content-Disposition for a download: `attachment`, the ASCII name, and the UTF-8 one. */
export function attachment(fileName: string): string {
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${asciiFileName(fileName)}"; filename*=UTF-8''${encoded}`;
}

/** An uploaded file as it is stored: its safe name, bytes, media type, size and SHA-256. */
export interface TypedFile {
  fileName: string;
  bytes: Uint8Array;
  mediaType: string;
  sha256: string;
}

/**
 * Reads an upload (an assessment's evidence, a plan's progress file) once its name has passed
 * (`safeFileName`) and types it by content (`evidenceType`): refused with nothing read past the
 * name when the name is bad, with nothing stored when the content is.
 */
export async function typedFile(file: {
  name: string;
  read: () => Promise<Uint8Array>;
}): Promise<TypedFile> {
  const fileName = safeFileName(file.name);
  const bytes = await file.read();
  const { mediaType } = await evidenceType(bytes, fileName);
  return {
    fileName,
    bytes,
    mediaType,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}
