// Bulk import (issue 7, part 1): `sipas responses import` of a million-row CSV into a
// campaign on PostgreSQL, against a plain COPY of the same rows, already in the table's form,
// through psql's \copy. Also the embedded engine at a smaller size, against its own COPY.
import { PGlite } from '@electric-sql/pglite';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { connect, type ConnectOptions } from '../db/connect.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { ensureBuiltins } from '../api/services/builtins.ts';
import {
  clock,
  median,
  measured,
  repeat,
  scratchDatabase,
  type BenchContext,
  type Benchmark,
  type Row,
} from './harness.ts';
import {
  csvHeader,
  csvLine,
  importRows,
  seedProvince,
  sipas2017,
  storedAnswers,
  type ImportRow,
  type Province,
} from './workload.ts';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

const COPY_COLUMNS =
  'source_id, campaign_id, counter_id, instrument_id, mode, submitted_at, service_area, ' +
  'answers, texts, status';

/** A row as COPY's text format wants it, in COPY_COLUMNS' order. */
function copyLine(
  row: ImportRow,
  ids: { campaign: number; instrument: number; counters: ReadonlyMap<string, number> },
): string {
  const answers = storedAnswers(sipas2017, row.answers).map((v) => (v === null ? 'NULL' : v));
  const counter = ids.counters.get(row.counter);
  if (counter === undefined) throw new Error(`no counter ${row.counter}`);
  return [
    row.sourceId,
    ids.campaign,
    counter,
    ids.instrument,
    'paper',
    row.submittedAt,
    '\\N',
    `{${answers.join(',')}}`,
    '\\N',
    'valid',
  ].join('\t');
}

async function writeLines(path: string, lines: Iterable<string>): Promise<void> {
  const out = createWriteStream(path);
  let chunk: string[] = [];
  for (const line of lines) {
    chunk.push(line);
    if (chunk.length === 5_000) {
      if (!out.write(`${chunk.join('\n')}\n`)) await once(out, 'drain');
      chunk = [];
    }
  }
  out.end(chunk.length > 0 ? `${chunk.join('\n')}\n` : '');
  await once(out, 'finish');
}

/** Runs a command to its end; resolves with its stdout, the seconds it took and its peak RSS. */
async function timed(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ stdout: string; seconds: number; peakBytes: number }> {
  const started = clock();
  const child = spawn(command, args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2_000)));
  let peakBytes = 0;
  // VmHWM is the process's peak resident size so far: the last reading before it ends holds.
  const poll = setInterval(() => {
    try {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kib = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
      peakBytes = Math.max(peakBytes, kib * 1024);
    } catch {
      // The process has just ended.
    }
  }, 100);
  const [code] = await once(child, 'exit');
  clearInterval(poll);
  const seconds = (clock() - started) / 1000;
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr}`);
  return { stdout, seconds, peakBytes };
}

interface Prepared {
  province: Province;
  csvPath: string;
  copyPath: string;
}

async function prepare(
  options: ConnectOptions,
  dir: string,
  rows: number,
  counters: number,
): Promise<Prepared> {
  const connection = connect(options);
  try {
    await migrateToLatest(connection.db);
    await ensureBuiltins(connection.db);
    const province = await seedProvince(connection.db, { counters, tokens: false });
    const campaign = await connection.db
      .selectFrom('campaign')
      .select(['id', 'instrument_id'])
      .where('code', '=', province.campaign)
      .executeTakeFirstOrThrow();
    const counterRows = await connection.db.selectFrom('counter').select(['id', 'code']).execute();
    const ids = {
      campaign: campaign.id,
      instrument: campaign.instrument_id,
      counters: new Map(counterRows.map((c) => [c.code, c.id])),
    };
    const csvPath = join(dir, 'responses.csv');
    const copyPath = join(dir, 'responses.copy');
    const generate = () => importRows(sipas2017, province, { rows, seed: 7 });
    await writeLines(
      csvPath,
      (function* () {
        yield csvHeader(sipas2017);
        for (const row of generate()) yield csvLine(sipas2017, row);
      })(),
    );
    await writeLines(
      copyPath,
      (function* () {
        for (const row of generate()) yield copyLine(row, ids);
      })(),
    );
    return { province, csvPath, copyPath };
  } finally {
    await connection.close();
  }
}

/**
 * Empties the table between runs, so that each starts from the same state: TRUNCATE, an empty
 * table and indexes at once, where a DELETE of a million rows ran the tally trigger and the
 * check of `replaces` for each (20 s of CPU) and left dead rows for autovacuum to clear while
 * the next run was timed. Nothing here folds, so the campaign has no tallies to drop.
 */
async function emptyResponses(options: ConnectOptions): Promise<void> {
  const connection = connect(options);
  try {
    await sql`truncate response`.execute(connection.db);
    await connection.db.deleteFrom('audit_log').where('action', '=', 'responses.import').execute();
  } finally {
    await connection.close();
  }
}

async function countResponses(options: ConnectOptions): Promise<number> {
  const connection = connect(options);
  try {
    const row = await connection.db
      .selectFrom('response')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  } finally {
    await connection.close();
  }
}

const sipasCommand = join(repoRoot, 'bin/sipas.js');

function importArgs(prepared: Prepared, extra: string[] = []): string[] {
  return [
    sipasCommand,
    'responses',
    'import',
    '--campaign',
    prepared.province.campaign,
    prepared.csvPath,
    ...extra,
  ];
}

function checkStored(stdout: string, rows: number) {
  if (!stdout.includes(`stored ${rows},`)) throw new Error(`the import said: ${stdout.trim()}`);
}

async function onPostgres(context: BenchContext, rows: number): Promise<Row[]> {
  const scratch = await scratchDatabase(context.postgresUrl, 'import');
  const dir = mkdtempSync(join(tmpdir(), 'sipas-bench-import-'));
  try {
    const options: ConnectOptions = { engine: 'postgres', databaseUrl: scratch.url, poolSize: 1 };
    const prepared = await prepare(options, dir, rows, 200);
    const env = { ...process.env, DATABASE_URL: scratch.url };
    const runs = await repeat(context.repetitions, async (i) => {
      await emptyResponses(options);
      const imported = await timed(process.execPath, importArgs(prepared), env);
      checkStored(imported.stdout, rows);
      const stored = await countResponses(options);
      await emptyResponses(options);
      const copied = await timed(
        'psql',
        [
          scratch.url,
          '-v',
          'ON_ERROR_STOP=1',
          '-c',
          `\\copy response (${COPY_COLUMNS}) from '${prepared.copyPath}'`,
        ],
        process.env,
      );
      context.log(
        `postgres, repetition ${i + 1}: import ${imported.seconds.toFixed(1)} s, ` +
          `COPY ${copied.seconds.toFixed(1)} s`,
      );
      return { imported, copied, stored };
    });
    const importRate = median(runs.map((r) => rows / r.imported.seconds));
    const copyRate = median(runs.map((r) => rows / r.copied.seconds));
    return [
      measured({
        name: `PostgreSQL: import of ${rows.toLocaleString('en-US')} rows`,
        value: importRate,
        unit: 'rows/s',
        baseline: copyRate,
        goals: [{ direction: 'at least', target: 0.7, onRatio: true }],
      }),
      measured({
        name: 'PostgreSQL: import, peak memory of the command',
        value: median(runs.map((r) => r.imported.peakBytes / 2 ** 20)),
        unit: 'MiB',
      }),
      measured({
        name: 'PostgreSQL: rows stored by each import',
        value: Math.min(...runs.map((r) => r.stored)),
        unit: 'rows',
        goals: [{ direction: 'at least', target: rows }],
      }),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await scratch.drop();
  }
}

/** The embedded engine: the same import with --data, against PGlite's own COPY from a blob. */
async function onPGlite(context: BenchContext, rows: number): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'sipas-bench-import-'));
  const dataDir = join(dir, 'data');
  try {
    const options: ConnectOptions = { engine: 'pglite', dataDir };
    const prepared = await prepare(options, dir, rows, 200);
    const env = { ...process.env, DATABASE_URL: '' };
    await emptyResponses(options);
    const imported = await timed(process.execPath, importArgs(prepared, ['--data', dataDir]), env);
    checkStored(imported.stdout, rows);
    await emptyResponses(options);
    const lite = new PGlite(dataDir);
    let copySeconds: number;
    try {
      const blob = new Blob([readFileSync(prepared.copyPath)]);
      const started = clock();
      await lite.query(`copy response (${COPY_COLUMNS}) from '/dev/blob'`, [], { blob });
      copySeconds = (clock() - started) / 1000;
    } finally {
      await lite.close();
    }
    context.log(
      `pglite: import ${imported.seconds.toFixed(1)} s, COPY ${copySeconds.toFixed(1)} s`,
    );
    return [
      measured({
        name: `PGlite: import of ${rows.toLocaleString('en-US')} rows (once)`,
        value: rows / imported.seconds,
        unit: 'rows/s',
        baseline: rows / copySeconds,
      }),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const importBenchmark: Benchmark = {
  name: 'import',
  description:
    '`sipas responses import --campaign … FILE` run as a command (bin/sipas.js, start-up ' +
    'included) on a CSV of a million distinct paper responses (ids P-1…, realistic answers ' +
    'with blanks and skip rules, round 200 counters) into an empty campaign; every row is ' +
    'validated, checked for repeats in the file and for ids already stored, and stored in ' +
    "one transaction. Baseline: `psql \\copy` of the same rows already in the table's form " +
    '(counter ids, answer arrays), nothing checked. The table is emptied (TRUNCATE) before ' +
    'each run; ' +
    "the import and the COPY alternate. Peak memory is the import process's VmHWM. The " +
    'embedded engine imports 100,000 rows once (its own COPY from a blob as the baseline), ' +
    'for information.',
  async run(context) {
    return [
      ...(await onPostgres(context, context.quick ? 50_000 : 1_000_000)),
      ...(await onPGlite(context, context.quick ? 10_000 : 100_000)),
    ];
  },
};
