// Where an export goes: stdout, or the file of `--out FILE`, whose name may imply the format.
// An XLSX workbook or a DOCX document is binary: it goes to a file, or to a stdout that is not a
// terminal (a pipe or a redirection), never onto a terminal's screen.
import { Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { formatOfName, reportRows, UTF8_BOM, writeTable } from '../services/spreadsheet.ts';
import {
  type CliContext,
  choiceOption,
  type Invocation,
  type Options,
  UsageError,
} from './command.ts';

export const outputOptions = {
  format: { type: 'string' },
  out: { type: 'string' },
} satisfies Options;

/** The usage text of `--out`, shared by every export. */
export const OUT_USAGE = '[--out FILE]';

/** The forms of a report: its document, a table for people, its CSV form, that as XLSX. */
export const REPORT_FORMATS = ['json', 'csv', 'table', 'xlsx'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
export const REPORT_USAGE = `[--format json|csv|table|xlsx] ${OUT_USAGE}`;

/** The format asked for: `--format`, else the one `--out`'s extension names, else `fallback`. */
export function outputFormat<T extends string>(
  invocation: Invocation,
  choices: readonly T[],
  fallback: T,
): T {
  const asked = choiceOption(invocation, 'format', choices);
  const out = invocation.values.out;
  const named = typeof out === 'string' ? formatOfName(out) : undefined;
  const implied = choices.find((choice) => choice === named);
  if (asked !== undefined && implied !== undefined && asked !== implied) {
    throw new UsageError(`--format ${asked} does not match --out ${String(out)}`);
  }
  return asked ?? implied ?? fallback;
}

/**
 * `stdout` as a stream of its own, whose end leaves stdout open. Each chunk goes to stdout as
 * it is, a string encoded once by stdout itself: through a PassThrough piped to stdout, a JSON
 * report of 7.6 MB took 70-90 ms more CPU time, each string made a Buffer on the way (issue 19).
 */
const leftOpen = (stdout: NodeJS.WritableStream) =>
  new Writable({
    decodeStrings: false,
    // stdout's own failure (a reader gone) is withOutput's to report, through stdout's 'error'.
    write(chunk: string | Uint8Array, encoding, done) {
      if (typeof chunk === 'string') stdout.write(chunk, encoding, () => done());
      else stdout.write(chunk, () => done());
    },
  });

/**
 * Runs `write` on the command's output and waits until it has ended it. To `--out FILE`: a
 * file that appears only whole (CliFiles.write), so that a failed export leaves no file that
 * looks complete; a CSV file starts with the BOM that tells Excel it is UTF-8. To stdout: left open for what the process writes after,
 * and a reader that has seen enough (`| head`) ends the export quietly.
 */
export async function withOutput(
  context: CliContext,
  invocation: Invocation,
  format: string,
  write: (output: Writable) => Promise<void>,
): Promise<void> {
  const out = invocation.values.out;
  if (typeof out === 'string' && out !== '') {
    await context.files.write(out, async (output) => {
      if (format === 'csv') output.write(UTF8_BOM);
      await write(output);
    });
    return;
  }
  const binary = { xlsx: 'an XLSX workbook', docx: 'a DOCX document' }[format];
  if (binary !== undefined && 'isTTY' in context.stdout && context.stdout.isTTY === true) {
    throw new UsageError(`${binary} is binary: give --out FILE, or redirect stdout`);
  }
  const output = leftOpen(context.stdout);
  let readerGone = false;
  const stop = () => {
    readerGone = true;
    output.destroy();
  };
  context.stdout.on('error', stop);
  try {
    await write(output);
    await finished(output);
  } catch (error) {
    if (!readerGone) throw error;
  } finally {
    context.stdout.off('error', stop);
  }
}

/** Writes a text (a JSON document, a CSV, a table) or a file's bytes to the command's output. */
export const writeText = (content: string | Uint8Array) => async (output: Writable) => {
  output.end(content);
};

/** How deep jsonPieces opens objects and arrays: a report's rows are at the second level. */
const OPENED_LEVELS = 2;

const isOpened = (value: unknown): value is object =>
  Array.isArray(value) ||
  (typeof value === 'object' &&
    value !== null &&
    typeof (value as { toJSON?: unknown }).toJSON !== 'function' &&
    [Object.prototype, null].includes(Object.getPrototypeOf(value)));

/**
 * `JSON.stringify(value, null, 2)` in pieces, the same text. A report by counter is megabytes
 * of JSON (7.6 MB for 1,000 counters), which as one string and then its UTF-8 bytes added 25-30
 * MB to the peak memory of `sipas scores` (issue 19). Plain objects and arrays are opened down
 * to OPENED_LEVELS; below, each value is stringified whole, its lines indented to its place.
 */
export function* jsonPieces(
  value: unknown,
  levels = OPENED_LEVELS,
  indent = '',
): Generator<string> {
  const inner = `${indent}  `;
  if (levels === 0 || !isOpened(value)) {
    yield JSON.stringify(value, null, 2)?.replaceAll('\n', `\n${indent}`) ?? 'undefined';
    return;
  }
  const array = Array.isArray(value);
  const entries: (readonly [string, unknown])[] = array
    ? Array.from(value, (child: unknown, n) => [String(n), child] as const)
    : Object.entries(value);
  // As JSON.stringify: in an array, what JSON cannot say is null; in an object, left out.
  const unsaid = (child: unknown) =>
    child === undefined || typeof child === 'function' || typeof child === 'symbol';
  const said = array ? entries : entries.filter(([, child]) => !unsaid(child));
  if (said.length === 0) {
    yield array ? '[]' : '{}';
    return;
  }
  yield array ? '[' : '{';
  for (const [n, [key, child]] of said.entries()) {
    yield `${n === 0 ? '' : ','}\n${inner}${array ? '' : `${JSON.stringify(key)}: `}`;
    if (unsaid(child)) yield 'null';
    else yield* jsonPieces(child, levels - 1, inner);
  }
  yield `\n${indent}${array ? ']' : '}'}`;
}

/** What writeJson joins its pieces into before each write: a few of them, not the whole. */
const CHUNK_CHARACTERS = 1 << 16;

/** `pieces` joined into chunks of at least `size` characters, the last one shorter. */
export function* chunked(pieces: Iterable<string>, size = CHUNK_CHARACTERS): Generator<string> {
  let chunk = '';
  for (const piece of pieces) {
    chunk += piece;
    if (chunk.length >= size) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}

/**
 * Writes a JSON document, a line of its own, chunk by chunk as the output drains: a piece a
 * write was 4,000 writes to stdout for 1,000 counters, each a system call on a pipe (issue 19).
 * The chunks go from the generator to the output (pipeline's own loop): through a
 * Readable.from, an object stream, the same report took 30-40 ms more CPU time.
 */
const writeJson = (document: unknown) => (output: Writable) =>
  pipeline(
    chunked(
      (function* () {
        yield* jsonPieces(document);
        yield '\n';
      })(),
    ),
    output,
  );

/** A report: its document, and its CSV form and table for people. */
export interface Report<T> {
  document: T;
  csv: (document: T) => string;
  table: (document: T) => string;
  /** The XLSX workbook's sheet. */
  sheetName: string;
}

/** Writes a report in `format` to the command's output; as XLSX, its CSV form with figures as numbers. */
export async function writeReport<T>(
  context: CliContext,
  invocation: Invocation,
  format: ReportFormat,
  { document, csv, table, sheetName }: Report<T>,
): Promise<void> {
  await withOutput(
    context,
    invocation,
    format,
    format === 'xlsx'
      ? (output) => writeTable('xlsx', reportRows(csv(document)), output, sheetName)
      : format === 'json'
        ? writeJson(document)
        : writeText((format === 'csv' ? csv : table)(document)),
  );
}
