// Reading the CSV files of interchange.md: UTF-8 with an optional BOM, RFC 4180 quoting, one
// header row. Records stream out one at a time with the physical line where each starts, so
// that every problem can be reported as `line N, column C` however large the file.
import type { Readable } from 'node:stream';
import { CsvError, Parser } from 'csv-parse';
import { invalid, text, type FieldError, type Text } from '../errors.ts';

export interface CsvRecord {
  /** The physical line where the record starts; the header is line 1. */
  line: number;
  fields: string[];
}

/** Broken quoting: the rest of the file cannot be read reliably, so reading stops here. */
export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    /** Index of the field where the problem lies. */
    readonly field: number,
    readonly reason: Text,
  ) {
    super(reason.en);
  }
}

/** Guards against a quote left open swallowing the rest of a large file into one record. */
const MAX_RECORD_BYTES = 1 << 20;

/**
 * The separators a CSV file may use, by the name the API and the command line take: a comma
 * (interchange §1), a semicolon (what Excel in a Vietnamese locale saves as "CSV"), a tab.
 */
export const DELIMITERS = { ',': ',', ';': ';', tab: '\t' } as const;
export const DELIMITER_NAMES = [',', ';', 'tab'] as const;
export type Delimiter = (typeof DELIMITER_NAMES)[number];

/**
 * The separator of the file's first line, if it is all there: a semicolon when the line has
 * semicolons and no comma outside quotes, else a comma. Undefined while the line goes on past
 * `start` and the file does too.
 */
export function firstLineDelimiter(start: string, ended: boolean): ',' | ';' | undefined {
  let quoted = false;
  let content = false;
  let comma = false;
  let semicolon = false;
  let complete = false;
  for (const char of start) {
    if (char === '"') {
      quoted = !quoted;
      content = true;
    } else if (quoted) continue;
    else if (char === '\n' || char === '\r') {
      // Empty lines before the header are skipped, as the reader skips them.
      complete = content;
      if (complete) break;
    } else {
      content ||= char.trim() !== '';
      comma ||= char === ',';
      semicolon ||= char === ';';
    }
  }
  if (!complete && !ended && start.length <= MAX_RECORD_BYTES) return undefined;
  return semicolon && !comma ? ';' : ',';
}

export const at = (line: number, column: string | number): string =>
  `line ${line}, column ${column}`;

function lineBreaks(fields: string[]): number {
  let count = 0;
  for (const field of fields) {
    if (field.includes('\n') || field.includes('\r'))
      count += field.match(/\r\n|\r|\n/g)?.length ?? 0;
  }
  return count;
}

function syntaxReason(error: CsvError): Text {
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return text('một giá trị mở ngoặc kép mà không đóng', 'a quoted value is never closed');
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return text(
        'có chữ sau dấu ngoặc kép đóng của một giá trị (trong giá trị có ngoặc kép, viết dấu ngoặc kép thành "")',
        'text follows the closing quote of a value (write a quote inside a quoted value as "")',
      );
    case 'INVALID_OPENING_QUOTE':
      return text(
        'dấu ngoặc kép nằm trong một giá trị không có ngoặc kép (đặt cả giá trị trong ngoặc kép và viết dấu ngoặc kép hai lần)',
        'a quote inside an unquoted value (quote the whole value and double the quote)',
      );
    case 'CSV_MAX_RECORD_SIZE':
      return text(
        'bản ghi dài hơn 1 MB: có dấu ngoặc kép nào chưa đóng?',
        'the record is longer than 1 MB: is a quote left open?',
      );
    default:
      return text(error.message, error.message);
  }
}

/**
 * A parser that hands each record over as the parser meets it, with the count of empty lines
 * skipped so far, rather than from its readable side: a syntax error destroys the stream, and
 * with it the records parsed before it in the chunk. Not by csv-parse's `on_record`, which
 * builds two objects of the parser's state for each record (a tenth of a bulk import's time).
 */
class RecordParser extends Parser {
  constructor(
    options: ConstructorParameters<typeof Parser>[0],
    private readonly onRecord: (fields: string[], emptyLines: number) => void,
  ) {
    super(options);
  }

  override push(record: unknown): boolean {
    if (record === null) return super.push(null);
    this.onRecord(record as string[], this.info.empty_lines);
    return true;
  }
}

/**
 * The file's separator, as told or else found on its first line, and the file's chunks from
 * its start (those read to find it included).
 */
async function separated(
  input: Readable,
  told: Delimiter | undefined,
): Promise<{ delimiter: string; chunks: AsyncIterable<unknown> }> {
  const iterator: AsyncIterator<unknown> = input[Symbol.asyncIterator]();
  const head: unknown[] = [];
  const decoder = new TextDecoder();
  let start = '';
  let ended = false;
  let delimiter: string | undefined = told === undefined ? undefined : DELIMITERS[told];
  while (delimiter === undefined) {
    const next = await iterator.next();
    ended = next.done === true;
    if (!ended) {
      const chunk: unknown = next.value;
      head.push(chunk);
      start +=
        chunk instanceof Uint8Array ? decoder.decode(chunk, { stream: true }) : String(chunk);
    }
    delimiter = firstLineDelimiter(start, ended);
  }
  async function* chunks() {
    try {
      yield* head;
      while (!ended) {
        const next = await iterator.next();
        if (next.done === true) return;
        yield next.value;
      }
    } finally {
      // Stopped early (broken quoting): the input is closed, as `for await` would close it.
      await iterator.return?.();
    }
  }
  return { delimiter, chunks: chunks() };
}

/**
 * The records of a CSV file, header first, each with the line where it starts, its fields
 * separated by `delimiter`, else by what its first line uses (firstLineDelimiter). At broken
 * quoting it yields every record before the break, then throws CsvSyntaxError.
 */
export async function* csvRecords(input: Readable, told?: Delimiter): AsyncGenerator<CsvRecord> {
  const { delimiter, chunks } = await separated(input, told);
  const queue: CsvRecord[] = [];
  let nextLine = 1;
  let emptyLines = 0;
  const parser = new RecordParser(
    {
      bom: true,
      delimiter,
      relax_column_count: true,
      skip_empty_lines: true,
      record_delimiter: ['\r\n', '\n', '\r'],
      max_record_size: MAX_RECORD_BYTES,
    },
    (fields, empty) => {
      // Skipped empty lines still count as physical lines.
      const line = nextLine + empty - emptyLines;
      emptyLines = empty;
      // A line break inside a quoted value (\r\n counts once) moves the next record down.
      nextLine = line + 1 + lineBreaks(fields);
      queue.push({ line, fields });
    },
  );
  let failure: unknown;
  parser.on('error', (error) => {
    failure ??= error;
  });
  // Errors arrive through the listener above; these only wait for the parser.
  const step = (work: (done: () => void) => void) =>
    new Promise<void>((resolve) => work(() => resolve()));
  for await (const chunk of chunks) {
    await step((done) => parser.write(chunk, done));
    yield* queue.splice(0);
    if (failure !== undefined) break;
  }
  if (failure === undefined) {
    await step((done) => {
      parser.once('error', done);
      parser.end(done);
    });
    yield* queue.splice(0);
  }
  if (failure instanceof CsvError) {
    const skipped = typeof failure.empty_lines === 'number' ? failure.empty_lines - emptyLines : 0;
    const field = typeof failure.column === 'number' ? failure.column : 0;
    throw new CsvSyntaxError(nextLine + Math.max(skipped, 0), field, syntaxReason(failure));
  }
  if (failure !== undefined) throw failure;
}

/** A field with U+FFFD came from bytes that are not UTF-8 (e.g. a file saved as Windows-1258). */
export function notUtf8Field(fields: string[]): number {
  return fields.findIndex((field) => field.includes('\uFFFD'));
}

export const NOT_UTF8 = text(
  'không phải UTF-8 hợp lệ: hãy lưu tệp dưới dạng UTF-8',
  'not valid UTF-8: save the file as UTF-8',
);

/**
 * A number of points as a file writes it (`56.93`, `-1`, `.5`; no exponent, no thousands
 * separator): a negative one passes, so that a range check can say it is negative.
 */
export const POINTS_CELL = /^-?(\d+(\.\d*)?|\.\d+)$/;

export const emptyFile = text('tệp trống', 'the file is empty');
export const unknownColumn = text('cột không xác định', 'unknown column');
const nothingStored = text('không có gì được lưu', 'nothing was stored');

/** Names a column for a problem's path: its header name, or its position past the header. */
export function columnName(header: readonly string[], index: number): string {
  return header[index] ?? String(index + 1);
}

/** The problems of a record whose field count differs from the header's. */
export function fieldCountProblem(header: readonly string[], record: CsvRecord): FieldError | null {
  const { line, fields } = record;
  if (fields.length === header.length) return null;
  if (fields.length < header.length) {
    return {
      path: at(line, columnName(header, fields.length)),
      message: text(
        `thiếu: dòng có ${fields.length} giá trị, dòng tiêu đề có ${header.length} cột`,
        `missing: the row has ${fields.length} values, the header ${header.length} columns`,
      ),
    };
  }
  return {
    path: at(line, header.length + 1),
    message: text(
      `dòng có ${fields.length} giá trị, dòng tiêu đề có ${header.length} cột`,
      `the row has ${fields.length} values, the header ${header.length} columns`,
    ),
  };
}

/** Why a record past the header cannot be read: a field not UTF-8, or a wrong field count. */
export function recordProblem(header: readonly string[], record: CsvRecord): FieldError | null {
  const bad = notUtf8Field(record.fields);
  if (bad >= 0) return { path: at(record.line, columnName(header, bad)), message: NOT_UTF8 };
  return fieldCountProblem(header, record);
}

/**
 * Reads a CSV file of `columns` (and of `optional` columns, which may be left out; separated as
 * csvRecords says unless `delimiter` is given): checks its header, then gives `visit` each record
 * it can read, adding every problem to `problems`. A bad header stops the reading, as does broken
 * quoting.
 */
export async function readRecords(
  input: Readable,
  columns: readonly string[],
  problems: ImportProblems,
  visit: (record: CsvRecord, header: readonly string[]) => void,
  { optional = [], delimiter, aliases = {} }: TableOptions = {},
): Promise<void> {
  let header: string[] | undefined;
  try {
    for await (const record of csvRecords(input, delimiter)) {
      if (header === undefined) {
        header = record.fields.map((name) => aliases[name.trim()] ?? name.trim());
        const semicolons = semicolonHeaderProblem(header);
        if (semicolons) {
          problems.add(semicolons);
          break;
        }
        headerProblems(header, columns).forEach((problem) => problems.add(problem));
        for (const name of header) {
          if (name !== '' && !columns.includes(name) && !optional.includes(name)) {
            problems.add({ path: at(1, name), message: unknownColumn });
          }
        }
        if (problems.count > 0) break;
        continue;
      }
      const problem = recordProblem(header, record);
      if (problem) problems.add(problem);
      else visit(record, header);
    }
  } catch (error) {
    if (!(error instanceof CsvSyntaxError)) throw error;
    problems.add({
      path: at(error.line, columnName(header ?? [], error.field)),
      message: error.reason,
    });
  }
  if (header === undefined) problems.add({ path: 'line 1', message: emptyFile });
}

/**
 * A header of one column holding semicolons: a file separated by semicolons but read with
 * commas (as told), explained as such rather than as one long unknown column.
 */
export function semicolonHeaderProblem(header: readonly string[]): FieldError | null {
  if (header.length !== 1 || !header[0]?.includes(';')) return null;
  return {
    path: at(1, 1),
    message: text(
      'dòng tiêu đề chỉ có một cột, chứa dấu chấm phẩy: tệp có vẻ được phân cách bằng dấu ' +
        'chấm phẩy (;), như Excel lưu khi máy dùng tiếng Việt, nhưng lại được đọc với dấu phẩy. ' +
        'Hãy nhập lại với dấu phân cách ";" (API: delimiter=;, lệnh sipas: --delimiter ";"), ' +
        'hoặc không nêu dấu phân cách để hệ thống tự nhận ra',
      'the header is a single column holding semicolons: the file seems to be separated by ' +
        'semicolons (;), as Excel saves it in a Vietnamese locale, but was read with commas. ' +
        'Import it again with the delimiter ";" (API: delimiter=;, sipas: --delimiter ";"), ' +
        'or name no delimiter so that it is detected',
    ),
  };
}

/** Empty file, duplicate or empty header names, missing required columns. */
export function headerProblems(
  header: readonly string[],
  required: readonly string[],
): FieldError[] {
  const problems: FieldError[] = [];
  const seen = new Set<string>();
  header.forEach((name, index) => {
    if (name === '') {
      problems.push({
        path: at(1, index + 1),
        message: text('cột không có tên', 'the column has no name'),
      });
    } else if (seen.has(name)) {
      problems.push({
        path: at(1, name),
        message: text('cột xuất hiện hai lần', 'the column appears twice'),
      });
    }
    seen.add(name);
  });
  for (const name of required) {
    if (!seen.has(name)) {
      problems.push({
        path: at(1, name),
        message: text('thiếu cột bắt buộc', 'required column missing'),
      });
    }
  }
  return problems;
}

/** A file of a million bad rows is reported by its count and its first problems. */
export const MAX_LISTED_PROBLEMS = 10_000;

/**
 * The problems of an import: every one counted, the first `limit` kept, so that neither the
 * memory nor the answer grows with a file of bad rows.
 */
export class ImportProblems {
  readonly listed: FieldError[] = [];
  count = 0;

  constructor(private readonly limit = MAX_LISTED_PROBLEMS) {}

  add(problem: FieldError): void {
    this.count++;
    if (this.listed.length < this.limit) this.listed.push(problem);
  }

  /** Problems counted elsewhere past those listed (a query's rows beyond its limit). */
  addUnlisted(count: number): void {
    this.count += count;
  }

  /**
   * The problems of another file of the same import, each path prefixed with the file's name
   * (`transfers.csv, line 3, column parent`).
   */
  addFile(name: string, file: ImportProblems): void {
    file.listed.forEach(({ path, message }) => this.add({ path: `${name}, ${path}`, message }));
    this.addUnlisted(file.count - file.listed.length);
  }

  /**
   * With any problem, the one error of the failed import, listing them in file order (those of
   * a named file after those of the main one).
   */
  throwIfAny(outcome = nothingStored): void {
    if (this.count === 0) return;
    const placeOf = (problem: FieldError) => {
      const [, file = '', line = '0'] = /^(.*?)line (\d+)/.exec(problem.path) ?? [];
      return { file, line: Number(line) };
    };
    const problems = [...this.listed].sort((a, b) => {
      const [p, q] = [placeOf(a), placeOf(b)];
      return p.file === q.file ? p.line - q.line : p.file < q.file ? -1 : 1;
    });
    const total = this.count;
    const shown = problems.length;
    const more = total > shown;
    throw invalid(
      text(
        `Tệp có ${total} lỗi` +
          `${more ? `; liệt kê ${shown} lỗi đầu, còn ${total - shown} lỗi không liệt kê` : ''}` +
          `; ${outcome.vi}.`,
        `The file has ${total} problem${total === 1 ? '' : 's'}` +
          `${more ? `; the first ${shown} are listed, ${total - shown} more are not` : ''}` +
          `; ${outcome.en}.`,
      ),
      problems,
    );
  }
}

/** How a table is read: the columns it may leave out, and a separator that overrides detection. */
export interface TableOptions {
  optional?: readonly string[];
  delimiter?: Delimiter | undefined;
  /**
   * Another name a column goes by in the header (`node` for points.csv's `component`): read,
   * checked and reported under the column's own name.
   */
  aliases?: Readonly<Record<string, string>>;
}

export interface CsvTableRow {
  line: number;
  cell(column: string): string;
}

/**
 * A small file (units, counters, transactions, PAR points) read whole, with its header
 * checked: exactly the given columns, in any order. Throws the import's error when the file
 * cannot be read; past its first problem it only counts them, keeping no more rows.
 */
export async function readTable(
  input: Readable,
  columns: readonly string[],
  options: TableOptions = {},
): Promise<CsvTableRow[]> {
  const problems = new ImportProblems();
  const rows = await readTableInto(input, columns, problems, options);
  problems.throwIfAny();
  return rows;
}

/**
 * The rows of a small file as readTable reads them, its `optional` columns allowed (their cells
 * read empty when the header leaves them out), adding its problems to `problems` (the file's
 * own) rather than throwing: for an import of several files that reports every problem of all
 * of them at once (ImportProblems.addFile).
 */
export async function readTableInto(
  input: Readable,
  columns: readonly string[],
  problems: ImportProblems,
  options: TableOptions = {},
): Promise<CsvTableRow[]> {
  const rows: CsvTableRow[] = [];
  let index: Map<string, number> | undefined;
  await readRecords(
    input,
    columns,
    problems,
    ({ line, fields }, header) => {
      if (problems.count > 0) return;
      const positions = (index ??= new Map(header.map((name, i) => [name, i])));
      rows.push({ line, cell: (column) => fields[positions.get(column) ?? -1]?.trim() ?? '' });
    },
    options,
  );
  return rows;
}
