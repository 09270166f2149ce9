// Tokens compared in constant time. A presented token (API or survey) is hashed with SHA-256
// first and only its digest is looked up; the plaintext never reaches the database or a
// comparison, so how long a lookup takes depends on the digest of the guess, which tells an
// attacker nothing about any stored token. Checked three ways: what is stored, what the
// database is sent while tokens are checked, and that no code compares a token by value.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../api/app.ts';
import { loadConfig } from '../api/config.ts';
import {
  day,
  jsonBody,
  openRouteFixture,
  testActor,
  type RouteFixture,
} from '../api/routes/testing.ts';
import { createCampaign } from '../api/services/campaigns/index.ts';
import { createApiToken, issueCounterToken } from '../api/services/credentials.ts';
import { engines } from '../db/testing.ts';
import { parameterText, recording, type Recording } from './recorder.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const sha256 = (text: string) => createHash('sha256').update(text).digest();

function sources(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) && !/\.test\.ts$|testing\.ts$/.test(name) ? [path] : [];
  });
}

describe.each(engines)('token comparison on %s', (engine) => {
  let f: RouteFixture;
  let recorded: Recording;
  let app: ReturnType<typeof createApp>;
  let apiToken: string;
  let surveyToken: string;

  beforeAll(async () => {
    f = await openRouteFixture(engine);
    await createCampaign(f.database.db, testActor, {
      code: 'T',
      instrument: 'sipas-2017',
      from: day(-5),
      to: day(5),
      counters: ['BRVT.SKHDT.Q1'],
    });
    apiToken = await createApiToken(f.database.db, testActor, { role: 'analyst' });
    surveyToken = await issueCounterToken(f.database.db, testActor, 'BRVT.SKHDT.Q1');
    recorded = recording(f.database.db);
    app = createApp({ connection: { ...f.database, db: recorded.db }, config: loadConfig({}) });
  });
  afterAll(() => f.database.close());

  it('stores every token only as its SHA-256 digest', async () => {
    const hashes = [
      ...(await f.database.db.selectFrom('api_token').select('token_hash').execute()),
      ...(await f.database.db.selectFrom('counter_token').select('token_hash').execute()),
    ].map((r) => Buffer.from(r.token_hash).toString('hex'));
    expect(hashes).toContain(sha256(apiToken).toString('hex'));
    expect(hashes).toContain(sha256(surveyToken).toString('hex'));
    expect(hashes.every((h) => h.length === 64)).toBe(true);
    const { rows } = await sql<{ name: string }>`
      select tablename as name from pg_tables where schemaname = current_schema()`.execute(
      f.database.db,
    );
    for (const { name } of rows) {
      const { rows: found } = await sql<{ n: number }>`
        select count(*) as n from ${sql.table(name)} t
        where strpos(to_jsonb(t)::text, ${apiToken}) > 0 or strpos(to_jsonb(t)::text, ${surveyToken}) > 0
      `.execute(f.database.db);
      expect(found[0]?.n, name).toBe(0);
    }
  });

  it('sends the database digests, never a presented token', async () => {
    const wrong = `sk_${'C'.repeat(43)}`;
    const asked = [
      await app.request('/api/v1/me', { headers: { Authorization: `Bearer ${apiToken}` } }),
      await app.request('/api/v1/me', { headers: { Authorization: `Bearer ${wrong}` } }),
      await app.request(`/api/v1/s/${surveyToken}`),
      await app.request(`/s/${surveyToken}`),
      await app.request(
        `/api/v1/s/${surveyToken}/responses`,
        jsonBody({ id: crypto.randomUUID(), answers: { TC1: 4 } }),
      ),
      await app.request(`/api/v1/s/${'D'.repeat(22)}`),
    ];
    expect(asked.map((r) => r.status)).toEqual([200, 401, 200, 200, 201, 404]);
    // Survey look-ups send their digests as an array, those of all the submissions at hand.
    const parameters = recorded.queries
      .flatMap((q) => q.parameters)
      .flatMap((p): unknown[] => (Array.isArray(p) ? p : [p]));
    const texts = [...recorded.queries.map((q) => q.sql), ...parameters.map(parameterText)];
    for (const token of [apiToken, wrong, surveyToken, 'D'.repeat(22)]) {
      expect(
        texts.filter((t) => t.includes(token)),
        token,
      ).toEqual([]);
      const digest = sha256(token);
      expect(
        parameters.some((p) => p instanceof Uint8Array && digest.equals(p)),
        token,
      ).toBe(true);
    }
  });

  it('has no code that compares a token by value', () => {
    const byValue =
      /\b\w*[tT]oken\w*(\.\w+)*\s*(===?|!==?)\s*(?!undefined\b|null\b)[\w'"`]|[\w'"`)]\s*(===?|!==?)\s*\w*[tT]oken\w*\b(?!\.length)/;
    const found = [root + 'api', root + 'db'].flatMap(sources).flatMap((path) =>
      readFileSync(path, 'utf8')
        .split('\n')
        .flatMap((line, i) =>
          byValue.test(line) && !/\.length\s*===/.test(line)
            ? [`${relative(root, path)}:${i + 1}: ${line.trim()}`]
            : [],
        ),
    );
    expect(found).toEqual([]);
    expect(byValue.test('if (token === presented) return')).toBe(true);
    expect(byValue.test('if (stored.token_hash !== hash) throw')).toBe(true);
  });
});
