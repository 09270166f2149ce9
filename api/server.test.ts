import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../db/connect.ts';
import { engines, openTestDatabase, type TestDatabase } from '../db/testing.ts';
import { createApp } from './app.ts';
import { loadConfig } from './config.ts';
import { startServer } from './server.ts';

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

  it('belongs to the server while it runs: the command stops with a message, then works', async () => {
    const server = await startServer(
      { ...config, port: 0, host: '127.0.0.1', database: { engine: 'pglite', dataDir } },
      { log: () => {} },
    );
    const env = { ...process.env, DATABASE_URL: '' };
    try {
      const refused = await run('./bin/sipas.js', ['migrate', '--data', dataDir], { env }).then(
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
