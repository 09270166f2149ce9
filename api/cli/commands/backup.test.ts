// `sipas backup FILE` and `sipas restore FILE` as an operator runs them: the example campaign
// moves to a new database and scores the same there; the refusals exit 1, bad usage 2.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identityOf } from '../../../db/lock.ts';
import { engines, openTestDatabase, type TestDatabase } from '../../../db/testing.ts';
import { openExampleCampaign } from '../../services/examples.testing.ts';
import { runCli } from '../run.ts';
import { cliFor } from '../testing.ts';

const bin = fileURLToPath(new URL('../../../bin/sipas.js', import.meta.url));

describe.each(engines)('sipas backup and restore on %s', (engine) => {
  const databases: TestDatabase[] = [];
  const sipasOn = async () => {
    const database = await openTestDatabase(engine, { migrate: false });
    databases.push(database);
    return cliFor(engine, database.url);
  };
  let source: ReturnType<typeof cliFor>;
  const folder = mkdtempSync(join(tmpdir(), 'sipas-backup-cli-'));
  const file = join(folder, 'brvt.sipas.gz');

  beforeAll(async () => {
    source = await sipasOn();
    expect((await source('migrate')).status).toBe(0);
    const connection = source.open();
    try {
      await openExampleCampaign(connection.db);
    } finally {
      await connection.close();
    }
  });
  afterAll(async () => {
    for (const database of databases) await database.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('moves the campaign to a new database, where it scores the same', async () => {
    const made = await source('backup', file);
    expect(made).toMatchObject({ status: 0, stdout: '' });
    expect(made.stderr).toMatch(/^backup: \d+ rows in \d+ tables\n$/);
    // Only the finished file: no partial one left beside it.
    expect(readdirSync(folder)).toEqual(['brvt.sipas.gz']);

    const target = await sipasOn();
    const restored = await target('restore', file);
    expect(restored).toMatchObject({ status: 0, stderr: '' });
    expect(restored.stdout).toBe(made.stderr.replace('backup:', 'restored'));

    const scores = ['scores', '--campaign', 'BRVT-2025', '--by', 'unit', '--format', 'json'];
    const before = await source(...scores);
    const after = await target(...scores);
    expect(JSON.parse(before.stdout)).toMatchObject({ groups: { length: 4 } });
    expect(after).toEqual(before);

    const again = await target('restore', file);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/^The database is not empty: /);
  });

  // The output plumbing is the engine's no matter: tested once, on the last engine.
  it.runIf(engine === engines.at(-1))(
    'writes the backup to stdout for -, bytes untouched',
    async () => {
      const chunks: Buffer[] = [];
      const stdout = new Writable({
        write(chunk: Buffer, _encoding, callback) {
          chunks.push(chunk);
          callback();
        },
      });
      const { url } = databases[0] ?? {};
      const data = url ? [] : ['--data', join(folder, 'stdout-data')];
      const io = { stderr: new PassThrough(), env: { ...process.env, DATABASE_URL: url ?? '' } };
      // A backup only reads: the database must exist first.
      expect(await runCli(['migrate', ...data], { ...io, stdout: new PassThrough() })).toBe(0);
      const status = await runCli(['backup', '-', ...data], { ...io, stdout });
      expect(status).toBe(0);
      const [first] = gunzipSync(Buffer.concat(chunks)).toString('utf8').split('\n');
      expect(JSON.parse(first ?? '')).toMatchObject({ format: 'sipas-backup', version: 1 });
    },
  );

  it('reports a missing file or folder with status 1, bad usage with 2', async () => {
    const missing = await source('restore', join(folder, 'none.gz'));
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/Cannot read .*none\.gz \(ENOENT\)/);
    const nowhere = await source('backup', join(folder, 'no', 'such', 'dir.gz'));
    expect(nowhere.status).toBe(1);
    expect(existsSync(join(folder, 'no'))).toBe(false);
    expect((await source('restore')).status).toBe(2);
    expect((await source('backup', 'a', 'b')).status).toBe(2);
  });

  it('removes the partial file a killed backup left, and keeps one a running backup writes', async () => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid ?? 0;
    const live = identityOf(process.ppid);
    const partial = (suffix: string) => join(folder, `.again.sipas.gz.partial-${suffix}`);
    writeFileSync(partial(`${dead}`), 'cut short');
    writeFileSync(partial(`${dead}-12345`), 'cut short');
    // A live pid with another start time is a reused pid: its writer is gone too.
    writeFileSync(partial(`${live.pid}-1`), 'cut short');
    const running = live.start === undefined ? `${live.pid}` : `${live.pid}-${live.start}`;
    writeFileSync(partial(running), 'being written');
    const made = await source('backup', join(folder, 'again.sipas.gz'));
    expect(made.status).toBe(0);
    expect(
      readdirSync(folder)
        .filter((name) => name.includes('again'))
        .sort(),
    ).toEqual([`.again.sipas.gz.partial-${running}`, 'again.sipas.gz']);
    rmSync(partial(running));
  });

  it('leaves no partial file when it fails', async () => {
    // A folder in the way: the backup fails once written, and takes its partial file away.
    mkdirSync(join(folder, 'taken.gz'));
    const failed = await source('backup', join(folder, 'taken.gz'));
    expect(readdirSync(folder).filter((name) => name.includes('taken'))).toEqual(['taken.gz']);
    expect(failed).toMatchObject({ status: 1, stdout: '' });
    expect(failed.stderr).toMatch(/^Cannot write .*taken\.gz \(EISDIR\)/);
  });

  it.runIf(engine === 'postgres')(
    'removes its partial file when stopped by SIGTERM',
    async () => {
      const [database] = databases;
      const file = join(folder, 'stopped.sipas.gz');
      let unlock = () => {};
      const unlocked = new Promise<void>((resolve) => (unlock = resolve));
      let locked = () => {};
      const isLocked = new Promise<void>((resolve) => (locked = resolve));
      // The backup's read of the responses waits behind this lock, its partial file open.
      const holding = database?.db.transaction().execute(async (trx) => {
        await sql`lock table response in access exclusive mode`.execute(trx);
        locked();
        await unlocked;
      });
      await isLocked;
      try {
        const child = spawn(process.execPath, [bin, 'backup', file], {
          env: { ...process.env, DATABASE_URL: database?.url },
          stdio: 'ignore',
        });
        const exited = once(child, 'exit');
        const partials = () => readdirSync(folder).filter((n) => n.startsWith('.stopped'));
        while (partials().length === 0 && child.exitCode === null) {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        child.kill('SIGTERM');
        expect(await exited).toEqual([null, 'SIGTERM']);
        expect(readdirSync(folder).filter((n) => n.includes('stopped'))).toEqual([]);
      } finally {
        unlock();
        await holding;
      }
    },
    120_000,
  );
});
