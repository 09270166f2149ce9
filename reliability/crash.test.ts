// SIGKILL of the server in the middle of a load of distinct survey submissions, on each engine:
// after a restart, and the phones resending what was not acknowledged (same ids), every
// response acknowledged before the kill is stored, none twice, none altered, and the database
// opens cleanly. On an embedded data directory this holds because a commit is on disk before
// it is acknowledged (db/durable-fs.ts); the kill itself only tests that the write reached the
// kernel, so db/durable-fs.test.ts proves the fsync.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { builtinInstruments } from '../analysis/instruments/index.ts';
import { encodeAnswers } from '../api/services/answers.ts';
import { connect, type Connection, type Engine } from '../db/connect.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { engines, openTestDatabase, type TestDatabase } from '../db/testing.ts';
import {
  freePort,
  openSurvey,
  Phones,
  slowTests,
  startServerProcess,
  submissions,
  type ServerProcess,
} from './harness.ts';

const RESPONSES = 400;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A prepared database and how the server and the test reach it. */
async function prepare(engine: Engine): Promise<{
  tokens: string[];
  env: Record<string, string>;
  open: () => Connection;
  close: () => Promise<void>;
}> {
  if (engine === 'pglite') {
    const dataDir = mkdtempSync(join(tmpdir(), 'sipas-crash-'));
    const connection = connect({ engine, dataDir });
    await migrateToLatest(connection.db);
    const tokens = await openSurvey(connection.db);
    await connection.close();
    return {
      tokens,
      env: { SIPAS_DATA_DIR: dataDir },
      open: (): Connection => connect({ engine, dataDir }),
      close: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const database: TestDatabase = await openTestDatabase(engine);
  const tokens = await openSurvey(database.db);
  return {
    tokens,
    env: { DATABASE_URL: database.url ?? '' },
    open: (): Connection => ({ ...database, close: async () => {} }),
    close: () => database.close(),
  };
}

describe.skipIf(!slowTests).each(engines)('SIGKILL of the server under load on %s', (engine) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('keeps every acknowledged response, stores none twice, and opens cleanly after', async () => {
    const database = await prepare(engine);
    cleanups.push(database.close);
    const env: Record<string, string> = {
      ...database.env,
      PORT: String(await freePort()),
      SIPAS_RATE_LIMIT_DEVICE: '0',
      SIPAS_RATE_LIMIT_IP: '0',
    };
    let server: ServerProcess = await startServerProcess(env);
    const logs: (() => string)[] = [server.output];
    cleanups.push(() => server.stop('SIGKILL'));
    const all = submissions(database.tokens, RESPONSES);
    const phones = new Phones(() => server.url, {
      concurrency: 16,
      timeoutMs: 10_000,
      pauseMs: 200,
    });
    const load = phones.send(all, Date.now() + 240_000);

    // Two kills, at a quarter and at 60 % of the load, wherever the requests in flight are.
    const acknowledgedBeforeKill = new Set<string>();
    const restartMs: number[] = [];
    for (const fraction of [0.25, 0.6]) {
      while (phones.acknowledged.size < RESPONSES * fraction) await sleep(1);
      const killedAt = Date.now();
      await server.stop('SIGKILL');
      // Every reply a phone has read was sent before the process died.
      for (const id of phones.acknowledged.keys()) acknowledgedBeforeKill.add(id);
      server = await startServerProcess(env);
      logs.push(server.output);
      restartMs.push(Date.now() - killedAt);
    }
    await load;
    await server.stop('SIGTERM');
    // What the servers wrote meanwhile holds no token, response id or answer.
    const written = logs.map((output) => output()).join('\n');
    expect(written).toContain('SIPAS is listening on');
    for (const secret of [...database.tokens, ...all.map((s) => s.id)]) {
      expect(written).not.toContain(secret);
    }
    expect(written).not.toMatch(/answers|TC1|127\.0\.0\.1/);

    // Opening the directory again is the clean-open check for the embedded engine.
    const connection = database.open();
    try {
      const stored = await connection.db
        .selectFrom('response')
        .select(['online_id', 'answers', 'status'])
        .execute();
      const byId = new Map(stored.map((r) => [r.online_id, r]));
      expect(stored).toHaveLength(RESPONSES);
      expect(byId.size).toBe(RESPONSES);
      const instrument = builtinInstruments.find((i) => i.code === 'sipas-2017');
      if (!instrument) throw new Error('sipas-2017 is not built in');
      for (const submission of all) {
        const row = byId.get(submission.id);
        const { answers } = encodeAnswers(instrument, JSON.parse(submission.body).answers);
        expect(row, submission.id).toMatchObject({ answers, status: 'valid' });
      }
      for (const id of acknowledgedBeforeKill) expect(byId.has(id), id).toBe(true);
      expect([...phones.final.values()].every((s) => s === 200 || s === 201)).toBe(true);

      // Committed but not acknowledged when the process died: the resend was a replay.
      const replays = [...phones.final.values()].filter((s) => s === 200).length;
      const failures = phones.attempts.filter((a) => a.status === 0 || a.status >= 500).length;
      console.info(
        `${engine}: ${acknowledgedBeforeKill.size} acknowledged before the kill, ` +
          `${failures} failed attempts resent, ${replays} answered 200 as replays, ` +
          `restarts ${restartMs.join(' and ')} ms, ${stored.length} stored`,
      );
    } finally {
      await connection.close();
    }
  }, 300_000);
});
