// Test support: every database test runs on an in-memory PGlite and, when DATABASE_URL is
// set (as .ci/run sets it), on PostgreSQL too, each test file in a database of its own. A
// migrated database is a clone of the one the global setup migrated (db/testing.setup.ts).
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { inject } from 'vitest';
import { connect, type Connection, type Engine } from './connect.ts';

export const engines: Engine[] = process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export interface TestDatabase extends Connection {
  /** For connecting a second client (a CLI child process) to the same database. */
  readonly url: string | undefined;
}

export async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** A fresh, migrated database on the engine; close() drops it. */
export async function openTestDatabase(
  engine: Engine,
  { migrate = true }: { migrate?: boolean } = {},
): Promise<TestDatabase> {
  if (engine === 'pglite') {
    const connection = migrate
      ? connect({
          engine: 'pglite',
          loadDataDir: new Blob([await readFile(inject('pgliteSnapshot'))]),
        })
      : connect({ engine: 'pglite' });
    return { ...connection, url: undefined };
  }
  const baseUrl = process.env.DATABASE_URL;
  if (!baseUrl) throw new Error('DATABASE_URL is not set');
  const name = `sipas_test_${randomBytes(6).toString('hex')}`;
  const template = migrate ? inject('postgresTemplate') : null;
  if (migrate && !template)
    throw new Error('no migrated PostgreSQL template: see db/testing.setup.ts');
  await adminQuery(`create database ${name}${template ? ` template ${template}` : ''}`);
  const url = withDatabase(baseUrl, name);
  const connection = connect({ engine: 'postgres', databaseUrl: url, poolSize: 5 });
  return {
    ...connection,
    url,
    async close() {
      await connection.close();
      await adminQuery(`drop database if exists ${name} with (force)`);
    },
  };
}
