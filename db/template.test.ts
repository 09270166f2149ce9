import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql, type Kysely } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { connect } from './connect.ts';
import type { Database } from './database.ts';
import { migrateToLatest } from './migrate.ts';
import { migrations } from './migrations/index.ts';
import { builtTemplate, templateFile } from './template.ts';

const migrationNames = async (db: Kysely<Database>) =>
  (
    await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db)
  ).rows.map((row) => row.name);

describe('the migrated template of a new embedded data directory', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sipas-template-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  const root = fileURLToPath(new URL('..', import.meta.url));
  const built = join(root, 'build/db/embedded-template.tar');

  it('is made by `npm run build` (which `npm test` runs first) with every migration of this code', async () => {
    const template = builtTemplate(built);
    if (!template) throw new Error(`${built} is missing: run npm run build`);
    const connection = connect({ engine: 'pglite', loadDataDir: template });
    try {
      expect(await migrationNames(connection.db)).toEqual(Object.keys(migrations).sort());
      expect(await migrateToLatest(connection.db)).toEqual([]);
    } finally {
      await connection.close();
    }
  });

  it('lies beside the compiled code only: the TypeScript itself finds none', () => {
    expect(templateFile).toBe(join(root, 'db/embedded-template.tar'));
    expect(existsSync(templateFile)).toBe(false);
  });

  it('begins a directory that holds no database, which later opens as it is', async () => {
    const template = new Blob([readFileSync(built)]);
    const first = connect({ engine: 'pglite', dataDir, loadDataDir: template });
    try {
      expect(await migrateToLatest(first.db)).toEqual([]);
      await sql`create table kept (n integer)`.execute(first.db);
      await sql`insert into kept values (1)`.execute(first.db);
    } finally {
      await first.close();
    }
    // Given the template again, the directory's own database opens: nothing is loaded over it.
    const again = connect({ engine: 'pglite', dataDir, loadDataDir: template });
    try {
      const { rows } = await sql<{ n: number }>`select n from kept`.execute(again.db);
      expect(rows).toEqual([{ n: 1 }]);
      expect(await migrationNames(again.db)).toEqual(Object.keys(migrations).sort());
    } finally {
      await again.close();
    }
  });
});
