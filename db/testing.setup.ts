// Vitest's global setup: one migrated database per engine for the whole run, which each test
// database is cloned from (db/testing.ts), instead of running every migration for each one.
// Starting an empty PGlite (initdb in WebAssembly) and migrating it cost seconds a database;
// loading a dump skips both (the template a new data directory begins from, db/template.ts).
// On PostgreSQL the clone is CREATE DATABASE … TEMPLATE.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { connect } from './connect.ts';
import { migrateToLatest } from './migrate.ts';
import { migratedTemplate } from './template.ts';
import { adminQuery, withDatabase } from './testing.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A migrated PGlite's data directory, as a tar file (PGlite's dumpDataDir). */
    pgliteSnapshot: string;
    /** A migrated PostgreSQL database to clone; null without DATABASE_URL. */
    postgresTemplate: string | null;
  }
}

async function pgliteSnapshot(directory: string): Promise<string> {
  const file = join(directory, 'migrated.tar');
  await writeFile(file, await migratedTemplate());
  return file;
}

async function postgresTemplate(baseUrl: string): Promise<string> {
  const name = `sipas_template_${randomBytes(6).toString('hex')}`;
  await adminQuery(`create database ${name}`);
  const connection = connect({ engine: 'postgres', databaseUrl: withDatabase(baseUrl, name) });
  try {
    await migrateToLatest(connection.db);
  } finally {
    // A template is copied only while no one is connected to it.
    await connection.close();
  }
  return name;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const directory = await mkdtemp(join(tmpdir(), 'sipas-test-'));
  const baseUrl = process.env.DATABASE_URL;
  const [snapshot, template] = await Promise.all([
    pgliteSnapshot(directory),
    baseUrl ? postgresTemplate(baseUrl) : null,
  ]);
  project.provide('pgliteSnapshot', snapshot);
  project.provide('postgresTemplate', template);
  return async () => {
    await rm(directory, { recursive: true, force: true });
    if (template) await adminQuery(`drop database if exists ${template} with (force)`);
  };
}
