import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type ConnectOptions } from './connect.ts';
import { isDatabaseUnavailable } from './errors.ts';
import { engines, openTestDatabase, type TestDatabase } from './testing.ts';

describe.each(engines)('connection on %s', (engine) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
  });
  afterAll(() => database.close());

  it('answers a ping', async () => {
    expect(await database.ping()).toBe(true);
  });

  it('reads dates as YYYY-MM-DD text and counts as numbers, alike on both engines', async () => {
    const { rows } = await sql<{
      day: unknown;
      n: unknown;
    }>`select date '2025-12-31' as day, count(*) as n from generate_series(1, 3)`.execute(
      database.db,
    );
    expect(rows).toEqual([{ day: '2025-12-31', n: 3 }]);
  });

  it('keeps exactly the committed work of 50 concurrent transactions, some rolling back', async () => {
    const { db } = database;
    await sql`create table probe (n integer primary key, touched integer not null)`.execute(db);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, (_, n) =>
        db.transaction().execute(async (trx) => {
          await sql`insert into probe (n, touched) values (${n}, 0)`.execute(trx);
          // Yield to the event loop between statements, so that an engine that did not
          // isolate transactions would interleave them here.
          await new Promise((resolve) => setTimeout(resolve, n % 5));
          await sql`update probe set touched = touched + 1 where n = ${n}`.execute(trx);
          if (n % 3 === 0) throw new Error(`roll back ${n}`);
        }),
      ),
    );
    const committed = outcomes.flatMap((o, n) => (o.status === 'fulfilled' ? [n] : []));
    expect(committed).toHaveLength(33);
    const { rows } = await sql<{
      n: number;
      touched: number;
    }>`select n, touched from probe order by n`.execute(db);
    expect(rows).toEqual(committed.map((n) => ({ n, touched: 1 })));
  });
});

describe('the embedded engine', () => {
  it('keeps 16 MB of shared buffers and starts WAL segments unzeroed, in memory and in a data directory', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sipas-connect-'));
    try {
      const opened: ConnectOptions[] = [{ engine: 'pglite' }, { engine: 'pglite', dataDir }];
      for (const options of opened) {
        const connection = connect(options);
        try {
          const { rows } = await sql<{
            shared_buffers: string;
            wal_init_zero: string;
          }>`select current_setting('shared_buffers') as shared_buffers,
            current_setting('wal_init_zero') as wal_init_zero`.execute(connection.db);
          expect(rows).toEqual([{ shared_buffers: '16MB', wal_init_zero: 'off' }]);
        } finally {
          await connection.close();
        }
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

const postgresUrl = process.env.DATABASE_URL;

describe.skipIf(postgresUrl === undefined)('statement timeout on postgres', () => {
  it('cancels a statement past it, as the database being unavailable (503)', async () => {
    const connection = connect({
      engine: 'postgres',
      databaseUrl: postgresUrl ?? '',
      statementTimeoutMs: 200,
    });
    try {
      const slow = sql`select pg_sleep(2)`.execute(connection.db);
      await expect(slow).rejects.toMatchObject({ code: '57014' });
      expect(isDatabaseUnavailable(await slow.catch((error: unknown) => error))).toBe(true);
      // A statement may take longer when it asks for it (an import, a fold).
      await connection.db.transaction().execute(async (trx) => {
        await sql`set local statement_timeout = 5000`.execute(trx);
        await sql`select pg_sleep(0.3)`.execute(trx);
      });
      expect(await connection.ping()).toBe(true);
    } finally {
      await connection.close();
    }
  });
});
