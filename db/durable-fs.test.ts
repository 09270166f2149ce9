// The embedded engine's durability (db/durable-fs.ts): each commit of a data directory ends
// with an fsync of its WAL file before the query returns, and connect() opens every data
// directory that way.
import { fsyncSync, mkdtempSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { connect } from './connect.ts';
import { durableDataDirectory } from './durable-fs.ts';

const made: string[] = [];
const dataDir = () => {
  const path = mkdtempSync(join(tmpdir(), 'sipas-durable-'));
  made.push(path);
  return path;
};
afterAll(() => {
  for (const path of made) rmSync(path, { recursive: true, force: true });
});

describe('a durable data directory on pglite', () => {
  it('fsyncs the WAL inside every commit, before the commit returns', async () => {
    const synced: string[] = [];
    const pg = new PGlite(
      durableDataDirectory(dataDir(), (fd) => {
        synced.push(readlinkSync(`/proc/self/fd/${fd}`));
        fsyncSync(fd);
      }),
    );
    try {
      await pg.exec('create table probe (n integer primary key)');
      const commits = 20;
      const walSyncs: number[] = [];
      const started = performance.now();
      for (let n = 0; n < commits; n++) {
        synced.length = 0;
        await pg.query('insert into probe values ($1)', [n]);
        walSyncs.push(synced.filter((path) => /\/pg_wal\/[0-9A-F]{24}$/.test(path)).length);
      }
      const perCommit = (performance.now() - started) / commits;
      expect(walSyncs).toEqual(Array.from({ length: commits }, () => 1));
      // Reading changes nothing on disk: no fsync without a commit.
      synced.length = 0;
      await pg.query('select count(*) from probe');
      expect(synced).toEqual([]);
      console.info(`durable commit: ${perCommit.toFixed(2)} ms`);
    } finally {
      await pg.close();
    }
  });

  it('is how connect() opens a data directory, and not an in-memory database', async () => {
    const onDisk = connect({ engine: 'pglite', dataDir: dataDir() });
    const inMemory = connect({ engine: 'pglite' });
    try {
      const settings = sql<{ fsync: string; method: string }>`
        select current_setting('fsync') as fsync, current_setting('wal_sync_method') as method`;
      expect((await settings.execute(onDisk.db)).rows).toEqual([{ fsync: 'on', method: 'fsync' }]);
      expect((await settings.execute(inMemory.db)).rows[0]?.fsync).toBe('off');
    } finally {
      await onDisk.close();
      await inMemory.close();
    }
  });
});
