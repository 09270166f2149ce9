// PostgreSQL stopped, or frozen (SIGSTOP), in the middle of a load of survey submissions and
// then back, on a private cluster: meanwhile every request gets a 503 problem+json within a
// bound (the server neither crashes nor hangs), and once the database is back the same server
// process serves again, storing every response once.
import { afterAll, describe, expect, it } from 'vitest';
import { connect } from '../db/connect.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { clusterUnavailable, createCluster, type Cluster } from './cluster.ts';
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
/** The longest any request may take, the outage included. */
const ANSWER_WITHIN_MS = 6_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const unavailable = clusterUnavailable();
if (slowTests && unavailable) console.info(`database outage test skipped: ${unavailable}`);

/** A private cluster with the survey of harness.ts, and the server on it. */
async function serveOnCluster(
  env: Record<string, string> = {},
): Promise<{ cluster: Cluster; tokens: string[]; start: () => Promise<ServerProcess> }> {
  const cluster = await createCluster(await freePort());
  const connection = connect({ engine: 'postgres', databaseUrl: cluster.url });
  try {
    await migrateToLatest(connection.db);
    const tokens = await openSurvey(connection.db);
    return {
      cluster,
      tokens,
      start: async () =>
        startServerProcess({
          DATABASE_URL: cluster.url,
          PORT: String(await freePort()),
          SIPAS_RATE_LIMIT_DEVICE: '0',
          SIPAS_RATE_LIMIT_IP: '0',
          ...env,
        }),
    };
  } finally {
    await connection.close();
  }
}

async function storedIds(cluster: Cluster): Promise<(string | null)[]> {
  const check = connect({ engine: 'postgres', databaseUrl: cluster.url });
  try {
    const stored = await check.db.selectFrom('response').select('online_id').execute();
    return stored.map((r) => r.online_id);
  } finally {
    await check.close();
  }
}

describe.skipIf(!slowTests || unavailable !== null)('PostgreSQL stopped under load', () => {
  let cluster: Cluster | undefined;
  let server: ServerProcess | undefined;
  afterAll(async () => {
    await server?.stop('SIGKILL');
    await cluster?.destroy();
  });

  it('answers 503 problem+json quickly while it is down, and recovers without a restart', async () => {
    const served = await serveOnCluster();
    cluster = served.cluster;
    const { tokens } = served;
    server = await served.start();
    const { pid } = server.child;
    const url = server.url;
    const all = submissions(tokens, RESPONSES);
    const phones = new Phones(() => url, { concurrency: 8, timeoutMs: 30_000, pauseMs: 50 });
    const load = phones.send(all, Date.now() + 180_000);

    // An orderly stop (clients disconnected) and a crash (`immediate`: no shutdown at all).
    const outages: { down: number; up: number }[] = [];
    for (const [fraction, mode] of [
      [0.25, 'fast'],
      [0.6, 'immediate'],
    ] as const) {
      while (phones.acknowledged.size < RESPONSES * fraction) await sleep(1);
      await cluster.stop(mode);
      const down = Date.now();
      await sleep(2_500);
      const health = await fetch(`${url}/healthz`, {
        signal: AbortSignal.timeout(ANSWER_WITHIN_MS),
      });
      expect(health.status).toBe(503);
      expect(health.headers.get('content-type')).toBe('application/problem+json');
      outages.push({ down, up: Date.now() });
      await cluster.start();
    }
    await load;

    // The same process throughout: nothing crashed, nothing was restarted.
    expect(server.child.pid).toBe(pid);
    expect(server.child.exitCode).toBeNull();
    for (const { down, up } of outages) {
      const whileDown = phones.attempts.filter((a) => a.sent > down && a.answered < up);
      expect(whileDown.length).toBeGreaterThan(10);
      for (const attempt of whileDown) {
        expect(attempt).toMatchObject({ status: 503, contentType: 'application/problem+json' });
      }
    }
    // At no time a crash, a hang, a dropped connection or a 500: a 503 at worst.
    const statuses = new Set(phones.attempts.map((a) => a.status));
    expect([...statuses].filter((s) => ![200, 201, 503].includes(s))).toEqual([]);
    const slowest = Math.max(...phones.attempts.map((a) => a.ms));
    expect(slowest).toBeLessThan(ANSWER_WITHIN_MS);

    const stored = await storedIds(cluster);
    expect(new Set(stored)).toEqual(new Set(all.map((s) => s.id)));
    expect(stored).toHaveLength(RESPONSES);
    const answered503 = phones.attempts.filter((a) => a.status === 503);
    const recovery = outages.map(({ up }) => {
      const served = phones.attempts.filter((a) => a.sent > up && a.status < 300);
      return Math.min(...served.map((a) => a.answered)) - up;
    });
    console.info(
      `outages: ${answered503.length} requests answered 503, the slowest in ` +
        `${Math.max(...answered503.map((a) => a.ms)).toFixed(0)} ms; slowest answer of all ` +
        `${slowest.toFixed(0)} ms; first 2xx ${recovery.join(' and ')} ms after each restart began`,
    );
  }, 300_000);
});

/** The server's limits in the frozen test: small, so that the test is quick. */
const STATEMENT_TIMEOUT_MS = 1_500;
const CONNECT_TIMEOUT_MS = 1_000;
/**
 * The longest a request may take while the database is frozen: a pool client to wait for and a
 * connection to open (each within the connect timeout), then a statement and the client's
 * margin past it (db/connect.ts), with room for a loaded machine.
 */
const FROZEN_ANSWER_WITHIN_MS = 2 * CONNECT_TIMEOUT_MS + STATEMENT_TIMEOUT_MS + 5_000 + 3_000;
/** How long the database stays frozen: well past every deadline above. */
const FROZEN_MS = 20_000;

describe.skipIf(!slowTests || unavailable !== null)('PostgreSQL frozen under load', () => {
  let cluster: Cluster | undefined;
  let server: ServerProcess | undefined;
  afterAll(async () => {
    await server?.stop('SIGKILL');
    await cluster?.destroy();
  });

  it('answers 503 problem+json within its timeouts while frozen, and serves again once it thaws', async () => {
    const served = await serveOnCluster({
      SIPAS_DB_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
      SIPAS_DB_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
    });
    cluster = served.cluster;
    server = await served.start();
    const { pid } = server.child;
    const url = server.url;
    const all = submissions(served.tokens, RESPONSES);
    const phones = new Phones(() => url, { concurrency: 8, timeoutMs: 60_000, pauseMs: 50 });
    const load = phones.send(all, Date.now() + 240_000);

    while (phones.acknowledged.size < RESPONSES * 0.25) await sleep(1);
    cluster.freeze();
    const frozen = Date.now();
    await sleep(FROZEN_ANSWER_WITHIN_MS);
    const started = Date.now();
    const health = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(30_000) });
    const healthMs = Date.now() - started;
    await sleep(frozen + FROZEN_MS - Date.now());
    cluster.thaw();
    const thawed = Date.now();
    await load;

    expect(health.status).toBe(503);
    expect(health.headers.get('content-type')).toBe('application/problem+json');
    expect(healthMs).toBeLessThan(FROZEN_ANSWER_WITHIN_MS);
    expect(server.child.pid).toBe(pid);
    expect(server.child.exitCode).toBeNull();
    const whileFrozen = phones.attempts.filter((a) => a.sent > frozen && a.answered < thawed);
    expect(whileFrozen.length).toBeGreaterThan(10);
    for (const attempt of whileFrozen) {
      expect(attempt).toMatchObject({ status: 503, contentType: 'application/problem+json' });
    }
    const statuses = new Set(phones.attempts.map((a) => a.status));
    expect([...statuses].filter((s) => ![200, 201, 503].includes(s))).toEqual([]);
    const slowest = Math.max(...phones.attempts.map((a) => a.ms));
    expect(slowest).toBeLessThan(FROZEN_ANSWER_WITHIN_MS);

    const stored = await storedIds(cluster);
    expect(new Set(stored)).toEqual(new Set(all.map((s) => s.id)));
    expect(stored).toHaveLength(RESPONSES);
    const firstServed = Math.min(
      ...phones.attempts.filter((a) => a.sent > thawed && a.status < 300).map((a) => a.answered),
    );
    console.info(
      `frozen ${FROZEN_MS} ms: ${whileFrozen.length} requests answered 503 meanwhile, the slowest ` +
        `answer of all in ${slowest.toFixed(0)} ms; /healthz 503 in ${healthMs} ms; first 2xx ` +
        `${firstServed - thawed} ms after the thaw`,
    );
  }, 300_000);
});
