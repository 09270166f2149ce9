import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { connect as connectSocket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../db/connect.ts';
import { engines, openTestDatabase, type TestDatabase } from '../db/testing.ts';
import { createApp } from './app.ts';
import { loadConfig } from './config.ts';
import { openRouteFixture, openSurvey, type RouteFixture } from './routes/testing.ts';
import { listen, startServer, startupLines } from './server.ts';
import { startScratchServer } from './server.testing.ts';
import { operator } from './services/access.ts';
import { frameworkCsv } from './services/assessments.testing.ts';
import { createApiToken } from './services/credentials.ts';
import { importFrameworkTree } from './services/frameworks.ts';
import { seedPlan } from './services/plans.testing.ts';
import { importUnits } from './services/units.ts';

const run = promisify(execFile);
const config = loadConfig({});

describe.each(engines)('health on %s', (engine) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
  });
  afterAll(() => database.close());

  it('answers 200 ok while the database answers', async () => {
    const app = createApp({ connection: database, config });
    const response = await app.request('/healthz');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('answers unknown routes with problem+json 404', async () => {
    const app = createApp({ connection: database, config });
    const response = await app.request('/api/v1/nothing-here');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ status: 404, title: 'Not found' });
  });
});

describe('health without a database', () => {
  it('answers 503 problem+json when PostgreSQL is unreachable', async () => {
    // Port 9 (discard) has no PostgreSQL on this machine.
    const connection = connect({ engine: 'postgres', databaseUrl: 'postgres://x@127.0.0.1:9/x' });
    try {
      const response = await createApp({ connection, config }).request('/healthz');
      expect(response.status).toBe(503);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
    } finally {
      await connection.close();
    }
  });
});

describe('the embedded data directory', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sipas-lock-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('belongs to the server while it runs: the command runs in it, a second server is refused', async () => {
    const lines: string[] = [];
    const server = await startServer(
      {
        ...loadConfig({ HOST: '127.0.0.1', SIPAS_DEMO: 'off' }),
        port: 0,
        database: { engine: 'pglite', dataDir },
      },
      { log: (line) => lines.push(line) },
    );
    expect(lines).toContain(
      `sipas commands on this data directory run in this server (socket ${join(dataDir, 'sipas.sock')}).`,
    );
    expect(lines.slice(0, 4)).toEqual([
      `SIPAS is listening on ${server.url} (database: pglite)`,
      `  console:            ${server.url}/console`,
      `  API reference:      ${server.url}/api/docs`,
      `  OpenAPI document:   ${server.url}/api/openapi.json`,
    ]);
    expect(lines.join('\n')).not.toMatch(/Warning/);
    const env = { ...process.env, DATABASE_URL: '' };
    try {
      const beside = await run('./bin/sipas.js', ['migrate', '--data', dataDir], { env });
      expect(beside.stderr).toBe('The database is migrated.\n');
      // The lock still admits one writer: a second server on the directory stops.
      const refused = await run('./bin/start.js', [], {
        env: { ...env, SIPAS_DATA_DIR: dataDir, PORT: '65535', HOST: '127.0.0.1' },
      }).then(
        () => undefined,
        (error: { code: number; stderr: string }) => error,
      );
      expect(refused?.code).toBe(1);
      expect(refused?.stderr).toMatch(new RegExp(`${dataDir} is in use by process ${process.pid}`));
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    } finally {
      await server.stop();
    }
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
    const { stderr } = await run('./bin/sipas.js', ['migrate', '--data', dataDir], { env });
    expect(stderr).toMatch(/migrated/);
  });
});

describe('the start-up log', () => {
  const url = 'http://localhost:8787';

  it('says where the console, the API reference, the OpenAPI document and the QR codes point', () => {
    const lines = startupLines(
      loadConfig({ SIPAS_PUBLIC_URL: 'https://sipas.example.vn/' }),
      url,
      'pglite',
    );
    expect(lines).toEqual([
      'SIPAS is listening on http://localhost:8787 (database: pglite)',
      '  console:            http://localhost:8787/console',
      '  API reference:      http://localhost:8787/api/docs',
      '  OpenAPI document:   http://localhost:8787/api/openapi.json',
      '  survey QR codes:    https://sipas.example.vn/s/…',
    ]);
  });

  it('warns that QR codes point at localhost when no public URL is set and others can connect', () => {
    const warning = (env: Record<string, string>) =>
      startupLines(loadConfig(env), url, 'pglite').filter((l) => l.startsWith('Warning'));
    expect(warning({})).toEqual([
      'Warning: SIPAS_PUBLIC_URL is not set, so printed QR codes point at ' +
        "http://localhost:8787, which citizens' phones cannot reach, although the server " +
        'listens on 0.0.0.0. Set SIPAS_PUBLIC_URL to the address citizens reach ' +
        '(e.g. https://sipas.example.gov.vn).',
    ]);
    expect(warning({ HOST: '127.0.0.1' })).toEqual([]);
    expect(warning({ SIPAS_PUBLIC_URL: 'https://sipas.example.vn' })).toEqual([]);
  });
});

// The limits below live in the HTTP layer, the same on either engine: one engine is enough.
let fixture: RouteFixture;
let survey: string;
beforeAll(async () => {
  fixture = await openRouteFixture('pglite');
  survey = await openSurvey(fixture.database.db, 'BRVT.STP.Q1');
});
afterAll(() => fixture.database.close());

/** The example organisation with an open campaign, served on 127.0.0.1 with `env`'s limits. */
async function serveFixture(env: Record<string, string>) {
  const config = loadConfig({ SIPAS_RATE_LIMIT_DEVICE: '0', SIPAS_RATE_LIMIT_IP: '0', ...env });
  const app = createApp({ connection: fixture.database, config });
  const server: Server = await listen(app.fetch, { ...config, port: 0, host: '127.0.0.1' });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    submissions: `/api/v1/s/${survey}/responses`,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A raw connection that records what it receives and when the server closes it. */
function rawSocket(port: number, localAddress = '127.0.0.1') {
  const socket = connectSocket({ port, host: '127.0.0.1', localAddress });
  const opened = Date.now();
  const state = { received: '', closedAfterMs: -1, ended: false, socket };
  socket.on('data', (data) => (state.received += data.toString('latin1')));
  socket.on('end', () => (state.ended = true));
  socket.on('error', () => {});
  socket.on('close', () => (state.closedAfterMs = Date.now() - opened));
  return state;
}

const honestSubmission = () =>
  JSON.stringify({ id: randomUUID(), answers: { TC1: 4, TC2: 5, HL: 4 } });

describe('a body over its limit, on a connection kept alive', () => {
  let served: Awaited<ReturnType<typeof serveFixture>>;
  beforeAll(async () => {
    served = await serveFixture({});
  });
  afterAll(() => served.close());

  const post = (path: string, body: BodyInit, headers: Record<string, string> = {}) =>
    fetch(`${served.url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body,
      duplex: 'half',
    } as RequestInit);

  it('gets 413 every time, then the connection closes (fetch reuses its connections)', async () => {
    // A 2 MB body right after a 400 on the same connection got no reply at all in 5 of 10.
    const admin = { Authorization: `Bearer ${fixture.tokens.admin}` };
    const huge = `{"name":"${'x'.repeat(2 * 1024 * 1024)}"}`;
    const streamed = () =>
      new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(huge));
          controller.close();
        },
      });
    const outcomes: string[] = [];
    for (let i = 0; i < 10; i++) {
      for (const [what, path, headers, body] of [
        ['survey', served.submissions, {}, () => huge],
        ['survey, streamed', served.submissions, {}, streamed],
        ['admin JSON', '/api/v1/units', admin, () => huge],
      ] as const) {
        const first = await post(path, '[]', headers);
        await first.arrayBuffer();
        const outcome = await post(path, body(), headers).then(
          async (response) => {
            await response.arrayBuffer();
            return `${response.status} ${response.headers.get('connection')}`;
          },
          (error: Error) => `${String(error.cause ?? error)}`,
        );
        outcomes.push(`${what}: ${first.status}, ${outcome}`);
      }
    }
    expect(outcomes.filter((o) => !/: 4\d\d, 413 close$/.test(o))).toEqual([]);
  });

  it('says Connection: close and closes the connection once the 413 is sent', async () => {
    const raw = rawSocket(served.port);
    raw.socket.write(
      `POST ${served.submissions} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${2 * 1024 * 1024}\r\n\r\n{"id":"${'x'.repeat(100_000)}`,
    );
    await expect.poll(() => raw.closedAfterMs, { timeout: 5_000 }).toBeGreaterThanOrEqual(0);
    expect(raw.received).toMatch(/^HTTP\/1\.1 413 .*\r\n(.*\r\n)*connection: close\r\n/i);
    expect(raw.ended).toBe(true);
  });
});

describe('slow and many connections', () => {
  it('cuts off trickling requests at their timeouts while honest requests are served', async () => {
    const served = await serveFixture({
      SIPAS_HEADERS_TIMEOUT_MS: '500',
      SIPAS_REQUEST_TIMEOUT_MS: '3000',
      SIPAS_SURVEY_BODY_TIMEOUT_MS: '800',
      SIPAS_CONNECTIONS_PER_IP: '0',
    });
    const body = (path: string, method = 'POST') =>
      `${method} ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
      'Content-Length: 60000\r\n\r\n{';
    const kinds = {
      silent: { start: '', trickle: '' },
      'slow headers': { start: 'GET /healthz HTTP/1.1\r\n', trickle: 'X' },
      'slow survey body': { start: body(served.submissions), trickle: ' ' },
      'slow body of another route': { start: body('/healthz', 'GET'), trickle: ' ' },
    };
    const sockets = Object.entries(kinds).flatMap(([kind, { start, trickle }]) =>
      Array.from({ length: 15 }, () => ({ kind, trickle, raw: rawSocket(served.port) })).map(
        (s) => {
          if (start) s.raw.socket.write(start);
          return s;
        },
      ),
    );
    const trickling = setInterval(() => {
      for (const { raw, trickle } of sockets) {
        if (trickle && raw.closedAfterMs < 0) raw.socket.write(trickle);
      }
    }, 100);
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      const honest = await fetch(`${served.url}${served.submissions}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: honestSubmission(),
      });
      expect(honest.status).toBe(201);
      await expect
        .poll(() => sockets.filter((s) => s.raw.closedAfterMs < 0).map((s) => s.kind), {
          timeout: 8_000,
          interval: 100,
        })
        .toEqual([]);
      const survey = sockets.filter((s) => s.kind === 'slow survey body');
      expect(survey.map((s) => s.raw.received.slice(0, 12))).toEqual(
        survey.map(() => 'HTTP/1.1 408'),
      );
      // The survey's deadline, not the whole request's, cut its slow bodies off.
      expect(Math.max(...survey.map((s) => s.raw.closedAfterMs))).toBeLessThan(2_500);
    } finally {
      clearInterval(trickling);
      for (const { raw } of sockets) raw.socket.destroy();
      await served.close();
    }
  });

  it('leaves a trusted proxy uncapped: its connections carry every client behind it', async () => {
    const served = await serveFixture({
      SIPAS_CONNECTIONS_PER_IP: '5',
      SIPAS_TRUSTED_PROXIES: '127.0.0.3',
    });
    const held = Array.from({ length: 12 }, () => rawSocket(served.port, '127.0.0.3'));
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(held.filter((s) => s.closedAfterMs >= 0)).toHaveLength(0);
      const last = held[11];
      last?.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      await expect.poll(() => last?.received.slice(0, 12), { timeout: 5_000 }).toBe('HTTP/1.1 200');
    } finally {
      for (const s of held) s.socket.destroy();
      await served.close();
    }
  });

  it('refuses connections from an address past its cap, and serves other addresses', async () => {
    const served = await serveFixture({ SIPAS_CONNECTIONS_PER_IP: '5' });
    // All of 127.0.0.0/8 is this machine: 127.0.0.2 plays another client.
    const held = Array.from({ length: 12 }, () => rawSocket(served.port, '127.0.0.2'));
    try {
      await expect
        .poll(() => held.filter((s) => s.closedAfterMs >= 0).length, { timeout: 5_000 })
        .toBe(7);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(held.filter((s) => s.closedAfterMs < 0)).toHaveLength(5);
      expect(held.every((s) => s.received === '')).toBe(true);
      const honest = await fetch(`${served.url}${served.submissions}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: honestSubmission(),
      });
      expect(honest.status).toBe(201);
      // Once its connections close, the address is served again.
      for (const s of held) s.socket.destroy();
      await new Promise((resolve) => setTimeout(resolve, 100));
      const again = rawSocket(served.port, '127.0.0.2');
      again.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      await expect.poll(() => again.received.slice(0, 12), { timeout: 5_000 }).toBe('HTTP/1.1 200');
    } finally {
      for (const s of held) s.socket.destroy();
      await served.close();
    }
  });
});

describe('the clock', () => {
  it('reaches the routes from startScratchServer: a plan is served for the day of `now` in Vietnam', async () => {
    // 31 December 2026, 18:00 UTC: 1 January 2027 in Vietnam.
    const server = await startScratchServer('clock', {
      now: () => new Date('2026-12-31T18:00:00Z'),
    });
    try {
      const db = server.connection.db;
      const cli = operator('test');
      await importUnits(db, cli, Readable.from(['unit,name,parent\nT,Tỉnh T,\nT.H,Huyện H,T\n']));
      await importFrameworkTree(db, cli, { code: 't-assess' }, frameworkCsv());
      const plan = await seedPlan(db, cli, 'T.H');
      const token = await createApiToken(db, cli, { role: 'admin' });
      const response = await fetch(`${server.url}/api/v1/plans/${plan}`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ today: '2027-01-01' });
    } finally {
      await server.stop();
    }
  });
});
