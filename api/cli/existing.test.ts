// A command that only reads, or changes what is stored, works on an existing database and
// creates none: a mistyped --data, or a command run in the wrong folder, says that no database
// is there and how to name one.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import { runCli } from './run.ts';
import { cliFor } from './testing.ts';

const readers: [string, string[]][] = [
  ['scores', ['--campaign', 'X', '--by', 'all']],
  ['compare', ['--campaign', 'X', '--with', 'Y', '--by', 'all']],
  ['responses export', ['--campaign', 'X']],
  ['responses template', ['--campaign', 'X']],
  ['units template', []],
  ['quarantine list', ['--campaign', 'X']],
  ['quarantine release', ['1']],
  ['campaign edit', ['X', '--to', '2025-12-31']],
  ['campaign counters add', ['X', 'Y']],
  ['campaign counters remove', ['X', 'Y']],
  ['transactions set', ['--campaign', 'X', 'Y=1']],
  ['responses void', ['--campaign', 'X', 'F1', '--reason', 'mis-keyed']],
  ['par scorecard', ['--framework', 'par-2020-province', '--period', '2025', '--peers', 'X']],
  ['token list', []],
  ['token revoke', ['abcdef']],
  ['officials instruments', []],
  ['officials links', ['X']],
  ['officials progress', ['X']],
  ['officials reissue', ['X', '1', '--reason', 'lost']],
];

const advice =
  /creates none\. Point at one with --data DIR or SIPAS_DATA_DIR \(an embedded database\), or DATABASE_URL \(PostgreSQL\)\.\n$/;

describe.each(engines)('a command that only reads, on %s', (engine) => {
  let database: TestDatabase;
  let sipas: ReturnType<typeof cliFor>;
  const folder = mkdtempSync(join(tmpdir(), 'sipas-existing-'));
  beforeAll(async () => {
    database = await openTestDatabase(engine, { migrate: false });
    sipas = cliFor(engine, database.url);
  });
  afterAll(async () => {
    await database.close();
    rmSync(folder, { recursive: true, force: true });
  });

  const isEmpty = async () => {
    if (engine === 'pglite') return !existsSync(join(sipas.dataDir ?? '', 'PG_VERSION'));
    const { rows } = await sql<{ n: number }>`
      select count(*) as n from information_schema.tables where table_schema = 'public'
    `.execute(database.db);
    return rows[0]?.n === 0;
  };

  it.each(readers)('%s says no database is there, exits 1 and creates none', async (name, args) => {
    const result = await sipas(...name.split(' '), ...args);
    expect(result).toMatchObject({ status: 1, stdout: '' });
    expect(result.stderr).toMatch(
      engine === 'pglite'
        ? /^No SIPAS database in \/.*; sipas /
        : /^No SIPAS database at .*\/sipas_test_/,
    );
    expect(result.stderr).toMatch(advice);
    expect(await isEmpty()).toBe(true);
  });

  it('backup writes no file and creates no database', async () => {
    const file = join(folder, 'none.sipas.gz');
    const result = await sipas('backup', file);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(advice);
    expect(readdirSync(folder)).toEqual([]);
    expect(await isEmpty()).toBe(true);
  });

  it('a command that writes still creates the database, where the readers then read', async () => {
    expect((await sipas('token', 'create', '--role', 'admin')).status).toBe(0);
    expect(await isEmpty()).toBe(false);
    const scores = await sipas('scores', '--campaign', 'X', '--by', 'all');
    expect(scores.status).toBe(1);
    expect(scores.stderr).toMatch(/Unknown campaign X/);
  });
});

describe('sipas scores run in a folder without a database', () => {
  const folder = mkdtempSync(join(tmpdir(), 'sipas-no-data-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('leaves no ./data behind', async () => {
    const bin = fileURLToPath(new URL('../../bin/sipas.js', import.meta.url));
    const { DATABASE_URL: _postgres, SIPAS_DATA_DIR: _dataDir, ...env } = process.env;
    const failed = await promisify(execFile)(
      process.execPath,
      [bin, 'scores', '--campaign', 'BRVT-2025', '--by', 'all'],
      { cwd: folder, env },
    ).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toMatch(new RegExp(`^No SIPAS database in ${folder}/data; `));
    expect(readdirSync(folder)).toEqual([]);
  });
});

describe('the database a command is pointed at', () => {
  async function run(args: string[], env: NodeJS.ProcessEnv) {
    let stderr = '';
    const sink = () =>
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          stderr += chunk.toString();
          done();
        },
      });
    const status = await runCli(args, { stdout: sink(), stderr: sink(), env });
    return { status, stderr };
  }
  const scores = ['scores', '--campaign', 'X', '--by', 'all'];
  const folder = mkdtempSync(join(tmpdir(), 'sipas-pointed-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('refuses a bad DATABASE_URL as the server does, naming it', async () => {
    expect(await run(scores, { DATABASE_URL: 'mysql://x' })).toEqual({
      status: 1,
      stderr: 'Bad configuration:\n  DATABASE_URL: a postgres:// connection URL\n',
    });
  });

  it('reads SIPAS_DATA_DIR, and --data over it', async () => {
    const fromEnv = join(folder, 'from-env');
    const fromFlag = join(folder, 'from-flag');
    const env = { DATABASE_URL: '', SIPAS_DATA_DIR: fromEnv };
    expect((await run(scores, env)).stderr).toMatch(`No SIPAS database in ${fromEnv}; `);
    expect((await run([...scores, '--data', fromFlag], env)).stderr).toMatch(
      `No SIPAS database in ${fromFlag}; `,
    );
    expect(readdirSync(folder)).toEqual([]);
  });
});
