// Nothing a citizen or an operator sends ends up in the logs: every line the server writes
// during a load of submissions over real sockets (valid, replayed, conflicting, invalid, over a
// rate limit, to unknown and revoked tokens, admin calls with good and bad API tokens, and
// requests that fail inside the database) is captured and searched for tokens, IP addresses,
// device ids, response ids and answers.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../api/config.ts';
import { startServer, type RunningServer } from '../api/server.ts';
import { createApiToken, revokeCounterToken } from '../api/services/credentials.ts';
import { connect, type Engine } from '../db/connect.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { engines, openTestDatabase, type TestDatabase } from '../db/testing.ts';
import { freePort, openSurvey } from './harness.ts';
import { operator } from '../api/services/access.ts';

const logMethods = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

describe.each(engines)('the logs during a load on %s', (engine: Engine) => {
  let server: RunningServer;
  let database: TestDatabase | undefined;
  const lines: string[] = [];
  const secrets = new Set<string>();
  let tokens: string[] = [];
  let dataDir: string | undefined;

  beforeAll(async () => {
    for (const method of logMethods) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        lines.push(args.map((a) => (a instanceof Error ? `${a.stack}` : String(a))).join(' '));
      });
    }
    let env: Record<string, string>;
    if (engine === 'pglite') {
      dataDir = mkdtempSync(join(tmpdir(), 'sipas-logs-'));
      const connection = connect({ engine, dataDir });
      await migrateToLatest(connection.db);
      tokens = await openSurvey(connection.db);
      await connection.close();
      env = { SIPAS_DATA_DIR: dataDir };
    } else {
      database = await openTestDatabase(engine);
      tokens = await openSurvey(database.db);
      env = { DATABASE_URL: database.url ?? '' };
    }
    const config = loadConfig({
      ...env,
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      SIPAS_DEMO: 'off',
      SIPAS_RATE_LIMIT_DEVICE: '5',
    });
    server = await startServer(config);
    for (const token of tokens) secrets.add(token);
  });
  afterAll(async () => {
    await server.stop();
    await database?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    vi.restoreAllMocks();
  });

  it('holds no token, address, device, id or answer, even when requests fail', async () => {
    const base = server.url.replace('localhost', '127.0.0.1');
    const post = (token: string, body: unknown) =>
      fetch(`${base}/api/v1/s/${token}/responses`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      }).then(async (response) => {
        await response.arrayBuffer();
        return response.status;
      });
    const statuses: number[] = [];
    const submit = async (token: string, overrides: Record<string, unknown> = {}) => {
      const id = randomUUID();
      const device = `device-${randomUUID()}`;
      secrets.add(id).add(device);
      const body = { id, answers: { TC1: 4, TC2: 2, PAQ: 0, HL: 5 }, device, ...overrides };
      statuses.push(await post(token, body));
      return body;
    };

    const [first = '', second = '', third = ''] = tokens;
    for (let n = 0; n < 24; n++) await submit(n % 2 ? first : second);
    const replayed = await submit(first);
    statuses.push(await post(first, replayed));
    statuses.push(await post(first, { ...replayed, answers: { TC1: 1 } }));
    await submit(first, { answers: { TC1: 9, XX: 1 } });
    await submit(first, { website: 'http://spam.example' });
    await submit(first, { answers: 'not answers', extra: true });
    await submit(`unknown${'x'.repeat(20)}`);
    await revokeCounterToken(server.connection.db, operator('test'), 'BRVT.CHAUDUC.Q1');
    // Within the grace period an answer under the revoked token is still taken (quarantined),
    // but the survey behind it is gone for a citizen opening it: 410.
    await submit(third);
    const gone = await fetch(`${base}/api/v1/s/${third}`);
    statuses.push(gone.status);
    await gone.arrayBuffer();
    statuses.push(await post(first, 'a string'));

    // Failures inside the database: the column the insert writes is gone for a moment.
    await sql`alter table response rename column answers to answers_gone`.execute(
      server.connection.db,
    );
    await submit(first);
    await submit(second);
    await sql`alter table response rename column answers_gone to answers`.execute(
      server.connection.db,
    );

    const apiToken = await createApiToken(server.connection.db, operator('test'), {
      role: 'admin',
    });
    secrets.add(apiToken);
    for (const token of [apiToken, `sk_${'B'.repeat(43)}`]) {
      const response = await fetch(`${base}/api/v1/campaigns/LOAD/scores?by=counter`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      statuses.push(response.status);
      await response.arrayBuffer();
    }

    // The load met every kind of answer, the failures included.
    expect(new Set(statuses)).toEqual(new Set([200, 201, 400, 401, 404, 409, 410, 422, 500]));
    const log = lines.join('\n');
    // The failures were logged (so the capture works), by request id and route pattern.
    expect(log).toMatch(/\[[0-9a-f-]{36}\] POST \/api\/v1\/s\/:token\/responses: database error/);
    for (const secret of secrets) expect(log, secret).not.toContain(secret);
    expect(log).not.toMatch(/127\.0\.0\.1|::1|::ffff:/);
    expect(log).not.toMatch(/TC1|answers|spam\.example/);
  });
});
