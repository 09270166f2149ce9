import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrateToLatest, migrator } from './migrate.ts';
import { engines, openTestDatabase } from './testing.ts';

describe.each(engines)('migrations on %s', (engine) => {
  it('apply every migration to an empty database, and again is a no-op', async () => {
    const database = await openTestDatabase(engine, { migrate: false });
    try {
      const available = await migrator(database.db).getMigrations();
      expect(available.length).toBeGreaterThan(0);
      const applied = await migrateToLatest(database.db);
      expect(applied).toEqual(available.map((m) => m.name));
      expect(await migrateToLatest(database.db)).toEqual([]);
      const { rows } = await sql<{ n: number }>`select count(*) as n from response`.execute(
        database.db,
      );
      expect(rows[0]?.n).toBe(0);
    } finally {
      await database.close();
    }
  });
});
