// A PostgreSQL connection that dies while the service holds it (a restart, a failover, an
// administrator's pg_terminate_backend) fails only the work on it, as "unavailable" (503),
// and never the process: the pool drops it and serves on. Without an error listener on each
// checked-out client, pg emits an unhandled 'error' and the server exits.
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from '../db/errors.ts';
import { engines, openTestDatabase, type TestDatabase } from '../db/testing.ts';

describe.runIf(engines.includes('postgres'))('a connection lost while held on postgres', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase('postgres');
  });
  afterAll(() => database.close());

  it('fails the work on it as unavailable, and the pool serves on', async () => {
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      const work = database.db.transaction().execute(async (trx) => {
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
        await admin.query('select pg_terminate_backend($1)', [rows[0]?.pid]);
        // The server's goodbye arrives while this client is checked out and between queries.
        await new Promise((resolve) => setTimeout(resolve, 300));
        await sql`select 1`.execute(trx);
      });
      const error: unknown = await work.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isDatabaseUnavailable(error), String(error)).toBe(true);
    } finally {
      await admin.end();
    }
    for (let n = 0; n < 12; n++) expect(await database.ping()).toBe(true);
  });
});
