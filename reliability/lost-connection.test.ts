// A PostgreSQL connection that dies while the service holds it (a restart, a failover, an
// administrator's pg_terminate_backend) fails only the work on it, as "unavailable" (503),
// and never the process: the pool drops it and serves on. Without an error listener on each
// checked-out client, pg emits an unhandled 'error' and the server exits: the service's pool and a
// bulk import's own connection (db/copy.ts) alike.
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from '../db/errors.ts';
import { engines, openTestDatabase, type TestDatabase } from '../db/testing.ts';
import { openRouteFixture, testActor, type RouteFixture } from '../api/routes/testing.ts';
import { createCampaign } from '../api/services/campaigns/index.ts';

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

describe.runIf(engines.includes('postgres'))('a connection lost during an import', () => {
  let f: RouteFixture;
  beforeAll(async () => {
    f = await openRouteFixture('postgres');
    await createCampaign(f.database.db, testActor, {
      code: 'BIG-2025',
      instrument: 'sipas-2017',
      from: '2025-01-01',
      to: '2025-12-31',
      counters: 'all',
    });
  });
  afterAll(() => f.database.close());

  const stored = async () =>
    Number(
      (
        await f.database.db
          .selectFrom('response')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('fails the import alone with 503, stores nothing, and the next import works', async () => {
    const rows = Array.from(
      { length: 300_000 },
      (_, n) => `R-${n},BRVT.STP.Q1,2025-03-01T08:00:00+07:00,paper,4,5,1`,
    );
    const body = `response_id,counter,submitted_at,mode,TC1,HL,PAQ\n${rows.join('\n')}\n`;
    // Without a listener on the import's client, its error reaches the process: a server exits.
    const uncaught: unknown[] = [];
    const record = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', record);
    const admin = new pg.Client({ connectionString: f.database.url });
    await admin.connect();
    try {
      const importing = f.request('/api/v1/campaigns/BIG-2025/responses/import', {
        token: f.tokens.admin,
        method: 'POST',
        headers: { 'Content-Type': 'text/csv' },
        body,
      });
      // The import's own connection, once it is copying rows in.
      let terminated = false;
      for (let wait = 0; wait < 600 && !terminated; wait++) {
        const { rows: found } = await admin.query<{ pid: number }>(
          `select pid from pg_stat_activity
           where datname = current_database() and pid <> pg_backend_pid() and query ilike 'copy response%'`,
        );
        for (const { pid } of found) {
          await admin.query('select pg_terminate_backend($1)', [pid]);
          terminated = true;
        }
        if (!terminated) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(terminated).toBe(true);
      const response = await importing;
      expect(response.status).toBe(503);
      expect((await response.json()).detail).toBe(
        'The database is unavailable; try again shortly.',
      );
    } finally {
      await admin.end();
      process.off('uncaughtException', record);
    }
    expect(uncaught).toEqual([]);
    expect(await stored()).toBe(0);
    const again = await f.request('/api/v1/campaigns/BIG-2025/responses/import', {
      token: f.tokens.admin,
      method: 'POST',
      headers: { 'Content-Type': 'text/csv' },
      body: `response_id,counter,submitted_at,mode,TC1,HL,PAQ\n${rows.slice(0, 10).join('\n')}\n`,
    });
    expect(await again.json()).toEqual({ stored: 10, duplicates: [], dryRun: false });
  });
});
