// Test support for the HTTP routes: a fresh database with the example organisation
// (fixtures/examples), an app on it, and API tokens of each role.
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { Engine } from '../../db/connect.ts';
import { openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import { createApp } from '../app.ts';
import { loadConfig, type Config } from '../config.ts';
import type { Database } from '../../db/database.ts';
import { ensureBuiltins } from '../services/builtins.ts';
import { createCampaign } from '../services/campaigns/index.ts';
import { createApiToken, issueCounterToken } from '../services/credentials.ts';
import { importUnits } from '../services/units.ts';
import { importCounters } from '../services/counters.ts';
import { vietnamDate } from '../services/vietnam-time.ts';
import { operator } from '../services/access.ts';

export const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/examples/${name}`, import.meta.url), 'utf8');

export const testActor = operator('test');

/** Today in Vietnam, shifted by whole days. */
export function day(offset = 0, now = new Date()): string {
  return vietnamDate(new Date(now.getTime() + offset * 86_400_000));
}

export interface RouteFixture {
  database: TestDatabase;
  app: ReturnType<typeof createApp>;
  config: Config;
  tokens: { admin: string };
  request(path: string, init?: RequestInit & { token?: string }): Promise<Response>;
}

/** A migrated database with built-ins and the example units and counters, and an app on it. */
export async function openRouteFixture(
  engine: Engine,
  env: Record<string, string> = {},
): Promise<RouteFixture> {
  const database = await openTestDatabase(engine);
  await ensureBuiltins(database.db);
  await importUnits(database.db, testActor, Readable.from([fixture('units.csv')]));
  await importCounters(database.db, testActor, Readable.from([fixture('counters.csv')]));
  const config = loadConfig({ SIPAS_PUBLIC_URL: 'https://sipas.example.vn', ...env });
  const app = createApp({ connection: database, config });
  const admin = await createApiToken(database.db, testActor, { role: 'admin' });
  return {
    database,
    app,
    config,
    tokens: { admin },
    async request(path, { token, headers, ...init } = {}) {
      const all = new Headers(headers);
      if (token !== undefined) all.set('Authorization', `Bearer ${token}`);
      return app.request(path, { ...init, headers: all });
    },
  };
}

/** A JSON request body. */
export const jsonBody = (value: unknown, method = 'POST'): RequestInit => ({
  method,
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(value),
});

/** An uploaded CSV file as a POST request's body. */
export const csvBody = (body: string): RequestInit => ({
  method: 'POST',
  headers: { 'Content-Type': 'text/csv' },
  body,
});

/**
 * A campaign open from yesterday to tomorrow on one counter, and a survey token of that
 * counter: what a test of the citizen's submissions starts from.
 */
export async function openSurvey(
  db: Kysely<Database>,
  counter: string,
  { code = 'OPEN', instrument = 'sipas-2017' }: { code?: string; instrument?: string } = {},
): Promise<string> {
  await createCampaign(db, testActor, {
    code,
    instrument,
    from: day(-1),
    to: day(1),
    counters: [counter],
  });
  return issueCounterToken(db, testActor, counter);
}
