// Frozen: never edit a migration that has shipped; add a new file instead.
// On the embedded engine the background fold held the only connection for up to a second while
// it folded every new response of a campaign in one transaction, and submissions waited
// behind it (issue 19). It now folds in slices, a few counters at a time, each in a short
// transaction of its own (api/services/tallies.ts, `foldSlice`). Between slices a campaign has a
// round under way: the snapshot `target` taken when the round began, and how far the round has
// come in the order (counter, fold_xid, id). What its folds counted is then what `snapshot` saw
// and, of what `target` saw, every response up to `position` (db/repositories/tallies.ts,
// `countedSql`, the one definition). A first round leaves `snapshot` null: nothing was counted
// before it.
import { sql, type Kysely } from 'kysely';

const statements = [
  `alter table tally_fold
  alter column snapshot drop not null,
  add column target pg_snapshot,
  add column position_counter integer,
  add column position_xid xid8,
  add column position_id bigint`,
  `alter table tally_fold add constraint tally_fold_round check (
  (target is null and position_counter is null and position_xid is null and position_id is null)
  or (target is not null and (position_counter is null) = (position_xid is null)
    and (position_xid is null) = (position_id is null))
)`,
  `alter table tally_fold add constraint tally_fold_counts check (
  snapshot is not null or target is not null
)`,
];

export async function up(db: Kysely<any>): Promise<void> {
  // One statement a query: PGlite's extended protocol accepts no more.
  for (const statement of statements) await sql.raw(statement).execute(db);
}

// No down: a round under way has no place in the old table.
