// `sipas backup FILE` and `sipas restore FILE` (interchange §3): the whole database in one
// file that moves between the engines (an embedded data directory to PostgreSQL and back).
//
// The file, format `sipas-backup` version 1, is gzip'd UTF-8 JSON, one value a line:
//   1. a header: {"format":"sipas-backup","version":1,"migration":"2026_11_22_0500_initial",
//      "createdAt":"2026-05-01T03:00:00.000Z"}; `migration` is the last schema migration
//      applied to the database it came from: a file restores only into that schema version;
//   2. for each table, parents before children: {"table":"unit","columns":["id","code",…]},
//      then its rows, one a line, each an array of the columns' values in that order, every
//      value PostgreSQL's text form of it (what `value::text` prints: ISO dates, times in UTC
//      with microseconds, hex bytea, `{1,NULL,3}` arrays, jsonb as its text) or null; rows of a
//      table that refers to itself come parents first;
//   3. a trailer: {"end":{"unit":12,"counter":3,…}}, the rows of every table; a file without it
//      was cut short and restores nothing.
// Both directions stream: a table is never held in memory, only a page of its rows. A backup
// reads one snapshot (PostgreSQL: repeatable read, so the server keeps running meanwhile);
// a restore is one transaction into an empty database, ids and identity sequences included.
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import type { Kysely, Transaction } from 'kysely';
import * as z from 'zod';
import { builtinOfficialInstruments } from '../../analysis/official-instruments/index.ts';
import { builtinInstruments } from '../../analysis/instruments/index.ts';
import { builtinFrameworks } from '../../analysis/par.ts';
import type { Database } from '../../db/database.ts';
import * as backup from '../../db/repositories/backup.ts';
import { DomainError, text, type Text } from '../errors.ts';
import { ensureBuiltinInstruments } from './instruments.ts';
import { ensureBuiltinOfficialInstruments } from './official-instruments.ts';
import { ensureBuiltinFrameworks } from './par.ts';
import { writeFileWhole } from './whole-file.ts';

export const BACKUP_FORMAT = 'sipas-backup';
export const BACKUP_VERSION = 1;

/** Rows a cursor page while writing. */
const PAGE_ROWS = 1_000;
/** Values a restore statement holds (one text array a column): a page of memory, no more. */
const BATCH_VALUES = 100_000;
const MAX_BATCH_ROWS = 5_000;

const headerSchema = z.object({
  format: z.string(),
  version: z.number(),
  migration: z.string().min(1),
  createdAt: z.string(),
});
const tableLineSchema = z.strictObject({
  table: z.string().min(1),
  columns: z.array(z.string().min(1)).min(1),
});
const endLineSchema = z.strictObject({ end: z.record(z.string(), z.number().int().min(0)) });
const rowSchema = z.array(z.string().nullable());

/** Rows per table, in the file's order. */
export type BackupSummary = Record<string, number>;

const badFile = (message: Text) => new DomainError('bad-request', message);

/** Writes a backup of the whole database to the stream (gzip'd; see the top of this file). */
export async function backupDatabase(
  db: Kysely<Database>,
  output: NodeJS.WritableStream,
  { now = new Date(), end = true }: { now?: Date; end?: boolean } = {},
): Promise<BackupSummary> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => {
      // The header promises PostgreSQL's text forms in UTC and ISO, not the session's.
      await backup.useCanonicalTextForms(trx);
      const migration = await backup.latestMigration(trx);
      if (migration === undefined) throw new Error('The database has no schema to back up.');
      const tables = await backup.backupTables(trx);
      const summary: BackupSummary = {};
      async function* lines(): AsyncGenerator<string> {
        yield `${JSON.stringify({
          format: BACKUP_FORMAT,
          version: BACKUP_VERSION,
          migration,
          createdAt: now.toISOString(),
        })}\n`;
        for (const table of tables) {
          yield `${JSON.stringify({ table: table.name, columns: table.columns.map((c) => c.name) })}\n`;
          let rows = 0;
          for await (const page of backup.tableRows(trx, table, PAGE_ROWS)) {
            rows += page.length;
            yield page.map((row) => `${JSON.stringify(row)}\n`).join('');
          }
          // Only rows in a reference cycle escape the parents-first walk: say so, not lose them.
          const stored = await backup.countRows(trx, table.name);
          if (rows !== stored) {
            throw new Error(
              `Table ${table.name} has ${stored} rows but ${rows} could be ordered parents ` +
                `first: some rows refer to each other in a cycle.`,
            );
          }
          summary[table.name] = rows;
        }
        yield `${JSON.stringify({ end: summary })}\n`;
      }
      await pipeline(Readable.from(lines()), createGzip(), output, { end });
      return summary;
    });
}

/**
 * Writes the backup to a file that appears only once complete and on disk (whole-file.ts): a
 * failed or interrupted backup never leaves a file that looks like one.
 */
export async function backupToFile(
  db: Kysely<Database>,
  path: string,
  options: { now?: Date } = {},
): Promise<BackupSummary> {
  return writeFileWhole(path, (output) => backupDatabase(db, output, options));
}

/** The file's lines, decompressed; a damaged gzip stream is the file's fault, said plainly. */
async function* fileLines(input: Readable): AsyncGenerator<string> {
  const gunzip = createGunzip();
  const piped = pipeline(input, gunzip).catch(() => undefined);
  const lines = createInterface({ input: gunzip, crlfDelay: Infinity });
  try {
    for await (const line of lines) yield line;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw badFile(
      text(
        `Tệp không phải bản sao lưu SIPAS đầy đủ: dữ liệu gzip bị hỏng (${reason}).`,
        `The file is not a complete SIPAS backup: its gzip data is damaged (${reason}).`,
      ),
    );
  } finally {
    lines.close();
    gunzip.destroy();
    await piped;
  }
}

function parseLine(line: string, number: number): unknown {
  try {
    return JSON.parse(line);
  } catch {
    throw badFile(
      text(
        `Dòng ${number} của bản sao lưu không phải JSON: tệp bị hỏng.`,
        `Line ${number} of the backup is not JSON: the file is damaged.`,
      ),
    );
  }
}

async function readHeader(lines: AsyncGenerator<string>) {
  const first = await lines.next();
  if (first.done)
    throw badFile(
      text(
        'Tệp trống: không phải bản sao lưu SIPAS.',
        'The file is empty: it is not a SIPAS backup.',
      ),
    );
  const header = headerSchema.safeParse(parseLine(first.value, 1));
  if (!header.success || header.data.format !== BACKUP_FORMAT) {
    throw badFile(
      text(
        'Tệp không phải bản sao lưu SIPAS (dòng đầu không có tiêu đề sipas-backup).',
        'The file is not a SIPAS backup (no sipas-backup header on its first line).',
      ),
    );
  }
  if (header.data.version !== BACKUP_VERSION) {
    throw badFile(
      text(
        `Bản sao lưu có định dạng phiên bản ${header.data.version}; sipas này đọc phiên bản ` +
          `${BACKUP_VERSION}. Hãy khôi phục bằng bản phát hành sipas đã tạo ra nó.`,
        `The backup is in format version ${header.data.version}; this sipas reads version ` +
          `${BACKUP_VERSION}. Restore it with the sipas release that wrote it.`,
      ),
    );
  }
  return header.data;
}

/** What the restore is writing now: one table's rows, in batches. */
class TableWriter {
  readonly batch: backup.TextRow[] = [];
  rows = 0;
  readonly batchRows: number;

  constructor(
    readonly trx: Transaction<Database>,
    readonly table: backup.BackupTable,
  ) {
    this.batchRows = Math.max(
      1,
      Math.min(MAX_BATCH_ROWS, Math.floor(BATCH_VALUES / table.columns.length)),
    );
  }

  async add(row: backup.TextRow) {
    this.batch.push(row);
    this.rows++;
    if (this.batch.length >= this.batchRows) await this.flush();
  }

  async flush() {
    await backup.insertRows(this.trx, this.table, this.batch);
    this.batch.length = 0;
  }
}

/** The tables every database fills from the start (api/services/builtins.ts). */
const BUILTIN_TABLES = new Set(['instrument', 'par_framework', 'official_instrument']);

async function filledTables(trx: Transaction<Database>, tables: readonly backup.BackupTable[]) {
  const filled: string[] = [];
  for (const table of tables) {
    const rows = await backup.countRows(trx, table.name);
    if (rows > 0) filled.push(`${table.name} (${rows} rows)`);
  }
  return filled;
}

/** Refuses a database holding anything but the built-ins, which the restore replaces. */
async function assertEmpty(trx: Transaction<Database>, tables: readonly backup.BackupTable[]) {
  let filled = await filledTables(
    trx,
    tables.filter((t) => !BUILTIN_TABLES.has(t.name)),
  );
  if (filled.length === 0) {
    // Nothing refers to the built-ins yet, so they can go; any other row there is a user's.
    await backup.deleteBuiltins(trx, {
      instruments: builtinInstruments.map((i) => i.code),
      frameworks: builtinFrameworks.map((f) => f.code),
      officialInstruments: builtinOfficialInstruments.map((i) => i.code),
    });
    filled = await filledTables(
      trx,
      tables.filter((t) => BUILTIN_TABLES.has(t.name)),
    );
  }
  if (filled.length > 0) {
    throw new DomainError(
      'conflict',
      text(
        `Cơ sở dữ liệu không trống: ${filled.join(', ')}. Bản sao lưu chỉ khôi phục vào một cơ ` +
          `sở dữ liệu mới: một thư mục --data mới, hoặc một cơ sở dữ liệu PostgreSQL trống ` +
          `(khôi phục trước lần khởi động đầu tiên của máy chủ, hoặc khởi động với SIPAS_DEMO=off).`,
        `The database is not empty: ${filled.join(', ')}. A backup restores only into a new ` +
          `database: a new --data directory, or an empty PostgreSQL database (restore before ` +
          `the server's first start, or start it with SIPAS_DEMO=off).`,
      ),
    );
  }
}

/**
 * Restores a backup into an empty database of the same schema version, in one transaction:
 * a file that is damaged, cut short or of another version leaves the database as it was.
 */
export async function restoreDatabase(
  db: Kysely<Database>,
  input: Readable,
): Promise<BackupSummary> {
  const lines = fileLines(input);
  try {
    const header = await readHeader(lines);
    return await db.transaction().execute(async (trx) => {
      // Casts read the file's text forms back under the same settings that wrote them.
      await backup.useCanonicalTextForms(trx);
      const migration = await backup.latestMigration(trx);
      if (header.migration !== migration) {
        throw badFile(
          text(
            `Bản sao lưu thuộc phiên bản lược đồ ${header.migration}; cơ sở dữ liệu này ở ` +
              `${migration ?? '(chưa có)'}. Hãy khôi phục bằng bản phát hành sipas đã tạo ra nó ` +
              `(hoặc một bản cùng phiên bản lược đồ), rồi nâng cấp.`,
            `The backup is of schema version ${header.migration}; this database is at ` +
              `${migration ?? '(none)'}. Restore it with the sipas release that wrote it ` +
              `(or one at the same schema version), then upgrade.`,
          ),
        );
      }
      const tables = await backup.backupTables(trx);
      await backup.lockTables(
        trx,
        tables.map((t) => t.name),
      );
      await assertEmpty(trx, tables);

      const byName = new Map(tables.map((t) => [t.name, t]));
      const summary: BackupSummary = {};
      let writer: TableWriter | undefined;
      let ended = false;
      let number = 1;
      for await (const line of lines) {
        number++;
        if (ended)
          throw badFile(
            text(
              `Dòng ${number}: bản sao lưu vẫn tiếp tục sau phần kết thúc.`,
              `Line ${number}: the backup goes on after its end.`,
            ),
          );
        const value = parseLine(line, number);
        if (Array.isArray(value)) {
          const row = rowSchema.safeParse(value);
          if (!writer) {
            throw badFile(
              text(
                `Dòng ${number}: một hàng đứng trước mọi bảng.`,
                `Line ${number}: a row before any table.`,
              ),
            );
          }
          if (!row.success || row.data.length !== writer.table.columns.length) {
            throw badFile(
              text(
                `Dòng ${number}: một hàng của ${writer.table.name} không gồm ` +
                  `${writer.table.columns.length} giá trị văn bản.`,
                `Line ${number}: a row of ${writer.table.name} that is not ` +
                  `${writer.table.columns.length} text values.`,
              ),
            );
          }
          await writer.add(row.data);
          continue;
        }
        if (writer) {
          await writer.flush();
          summary[writer.table.name] = writer.rows;
          writer = undefined;
        }
        const table = tableLineSchema.safeParse(value);
        if (table.success) {
          const target = byName.get(table.data.table);
          const expected = target?.columns.map((c) => c.name).join(',');
          if (!target || table.data.columns.join(',') !== expected) {
            throw badFile(
              text(
                `Dòng ${number}: bảng ${table.data.table} (${table.data.columns.join(', ')}) ` +
                  'không khớp với lược đồ của cơ sở dữ liệu này.',
                `Line ${number}: table ${table.data.table} (${table.data.columns.join(', ')}) ` +
                  `does not match this database's schema.`,
              ),
            );
          }
          if (target.name in summary) {
            throw badFile(
              text(
                `Dòng ${number}: bảng ${target.name} xuất hiện hai lần.`,
                `Line ${number}: table ${target.name} appears twice.`,
              ),
            );
          }
          writer = new TableWriter(trx, target);
          continue;
        }
        const end = endLineSchema.safeParse(value);
        if (!end.success) {
          throw badFile(
            text(
              `Không hiểu được dòng ${number} của bản sao lưu.`,
              `Line ${number} of the backup is not understood.`,
            ),
          );
        }
        for (const t of tables) {
          if (end.data.end[t.name] !== (summary[t.name] ?? 0) || !(t.name in summary)) {
            throw badFile(
              text(
                `Phần kết của bản sao lưu không khớp với số hàng của ${t.name}: tệp bị hỏng.`,
                `The backup's trailer does not match its rows of ${t.name}: the file is damaged.`,
              ),
            );
          }
        }
        ended = true;
      }
      if (!ended) {
        throw badFile(
          text(
            'Bản sao lưu kết thúc sớm (không có phần kết): tệp bị cắt ngắn. Không khôi phục gì.',
            'The backup ends early (no trailer): the file was cut short. Nothing restored.',
          ),
        );
      }
      for (const table of tables) {
        for (const column of table.columns) {
          if (column.identity) await backup.resetIdentity(trx, table.name, column.name);
        }
      }
      // A backup from before a built-in was added gains it, as any database does on opening.
      await ensureBuiltinInstruments(trx);
      await ensureBuiltinFrameworks(trx);
      await ensureBuiltinOfficialInstruments(trx);
      return summary;
    });
  } finally {
    await lines.return(undefined);
  }
}
