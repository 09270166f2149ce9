import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrateToLatest, migrator } from './migrate.ts';
import { engines, openTestDatabase } from './testing.ts';

/** A unit, its counter and an instrument, for a campaign to hold responses in the older schemas. */
const aCounterAndInstrument = [
  `insert into unit (code, name) values ('U', 'U')`,
  `insert into counter (code, unit_id, name) select 'U.Q', id, 'Q' from unit`,
  `insert into instrument (code, definition) values ('i', '{}')`,
];

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

  it('still refuses a database that has run a migration this code does not know', async () => {
    const database = await openTestDatabase(engine);
    try {
      // Up to date but for one more: the quick check of an up-to-date database must not pass it.
      await sql`insert into kysely_migration (name, timestamp)
        values ('2099_01_01_0000_from_a_later_release', now())`.execute(database.db);
      await expect(migrateToLatest(database.db)).rejects.toThrow(/2099_01_01_0000/);
    } finally {
      await database.close();
    }
  });

  it('keeps counted what was tallied when folds move to snapshots (2026_11_22_1000), and starts over for asked blanks (2026_12_03_1800)', async () => {
    const database = await openTestDatabase(engine, { migrate: false });
    try {
      const { db } = database;
      const { error } = await migrator(db).migrateTo('2026_11_22_0900_submission_targets');
      expect(error).toBeUndefined();
      // Two campaigns: A folded once (two responses tallied, one arrived since), B never.
      for (const statement of [
        ...aCounterAndInstrument,
        `insert into campaign (code, name, instrument_id, starts_on, ends_on, rules)
         select code, code, (select id from instrument), '2025-01-01', '2025-12-31', '{}'
         from (values ('A'), ('B')) v (code)`,
        `insert into response (campaign_id, counter_id, instrument_id, mode, submitted_at,
           answers, status, tallied)
         select c.id, (select id from counter), c.instrument_id, 'qr', now(), '{5}'::int2[], 'valid', t
         from campaign c, (values (true), (true), (false)) v (t) where c.code = 'A'
         union all
         select c.id, (select id from counter), c.instrument_id, 'qr', now(), '{5}'::int2[], 'valid', false
         from campaign c where c.code = 'B'`,
        `insert into response_tally (campaign_id, counter_id, modes, answers, products)
         select c.id, (select id from counter), '{2}', '{2}', '{2}' from campaign c where code = 'A'`,
      ]) {
        await sql.raw(statement).execute(db);
      }
      expect((await migrator(db).migrateTo('2026_11_22_1000_fold_by_snapshot')).error).toBe(
        undefined,
      );
      const counted = () =>
        sql<{ code: string; seen: number; unseen: number }>`
        select c.code,
          count(*) filter (where pg_visible_in_snapshot(r.fold_xid, f.snapshot)) as seen,
          count(*) filter (where f.snapshot is null
            or not pg_visible_in_snapshot(r.fold_xid, f.snapshot)) as unseen
        from response r
        join campaign c on c.id = r.campaign_id
        left join tally_fold f on f.campaign_id = c.id
        group by c.code order by c.code
      `.execute(db);
      expect((await counted()).rows).toEqual([
        { code: 'A', seen: 2, unseen: 1 },
        { code: 'B', seen: 0, unseen: 1 },
      ]);

      // 2026_12_03_1800: tallies that counted a skipped item as a blank start over.
      await migrateToLatest(db);
      expect((await counted()).rows).toEqual([
        { code: 'A', seen: 0, unseen: 3 },
        { code: 'B', seen: 0, unseen: 1 },
      ]);
      const { rows: tallied } = await sql<{ n: number }>`
        select count(*) as n from response_tally
      `.execute(db);
      expect(tallied).toEqual([{ n: 0 }]);
    } finally {
      await database.close();
    }
  });

  it('starts the tallies over for disjoint answer sets (2026_12_10_0100)', async () => {
    const database = await openTestDatabase(engine, { migrate: false });
    try {
      const { db } = database;
      expect((await migrator(db).migrateTo('2026_12_09_0100_tally_text')).error).toBeUndefined();
      // A campaign whose one response a fold counted over the nested sets of before.
      for (const statement of [
        ...aCounterAndInstrument,
        `insert into campaign (code, name, instrument_id, starts_on, ends_on, rules)
         select 'A', 'A', id, '2025-01-01', '2025-12-31', '{}' from instrument`,
        `insert into response (campaign_id, counter_id, instrument_id, mode, submitted_at,
           answers, status)
         select c.id, (select id from counter), c.instrument_id, 'qr', now(), '{5}', 'valid'
         from campaign c`,
        `insert into response_tally (campaign_id, counter_id, modes, answers, products)
         select id, (select id from counter), '{1}', '{1}', '{1}' from campaign`,
        `insert into tally_fold (campaign_id, snapshot) select id, pg_current_snapshot() from campaign`,
      ]) {
        await sql.raw(statement).execute(db);
      }
      await migrateToLatest(db);
      const { rows } = await sql<{ tallies: number; folds: number; responses: number }>`
        select (select count(*) from response_tally) as tallies,
          (select count(*) from tally_fold) as folds,
          (select count(*) from response) as responses
      `.execute(db);
      // The next fold counts the response again, over the sets of today.
      expect(rows).toEqual([{ tallies: 0, folds: 0, responses: 1 }]);
    } finally {
      await database.close();
    }
  });
});
