import { sql, type Kysely } from 'kysely';
import { Migrator, type MigrationResultSet } from 'kysely/migration';
import type { Database } from './database.ts';
import { migrations } from './migrations/index.ts';

export function migrator(db: Kysely<Database>): Migrator {
  return new Migrator({ db, provider: { getMigrations: () => Promise.resolve(migrations) } });
}

/**
 * Whether the database has run exactly the migrations of this code, no more and no fewer: then
 * the migrator would do nothing, and its transactions, lock and checks (over a second of every
 * start on the embedded engine, issue 19) can be spared.
 */
async function upToDate(db: Kysely<Database>): Promise<boolean> {
  if (!(await hasSchema(db))) return false;
  const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
  const known = Object.keys(migrations);
  return rows.length === known.length && rows.every((row) => Object.hasOwn(migrations, row.name));
}

/** Applies every pending migration; throws the first failure. Returns the names applied. */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  if (await upToDate(db)) return [];
  const { error, results }: MigrationResultSet = await migrator(db).migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Whether the database holds a SIPAS schema, rather than being empty or someone else's. */
export async function hasSchema(db: Kysely<Database>): Promise<boolean> {
  const { rows } = await sql<{ found: boolean }>`
    select to_regclass('kysely_migration') is not null as found
  `.execute(db);
  return rows[0]?.found === true;
}
