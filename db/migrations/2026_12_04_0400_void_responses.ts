// Frozen: never edit a migration that has shipped; add a new file instead.
// A mis-keyed form is voided, or replaced by a corrected copy, with a reason (issue 14). The
// response is never edited (spec §7): only its status changes, to `voided` (out of the scores;
// its form number stays taken, so that importing the same file again skips it) or `replaced`
// (out of the scores; its form number passes to the corrected copy, which names it in
// `replaces`). Either way it leaves the scores through the tally reset of
// 2026_11_22_1000_fold_by_snapshot (an update of a valid response's status).
import { sql, type Kysely } from 'kysely';

const statements = [
  `alter table response drop constraint response_status_check`,
  `alter table response add constraint response_status_check
check (status in ('valid', 'quarantined', 'voided', 'replaced'))`,
  `alter table response drop constraint response_check`,
  `alter table response add constraint response_check
check (status <> 'quarantined' or reason is not null)`,
  `alter table response add column voided_at timestamptz`,
  `alter table response add column void_reason text check (length(void_reason) <= 500)`,
  `-- The response this one is the corrected copy of: at most one copy a response.
alter table response add column replaces bigint unique references response (id)`,
  `alter table response add constraint response_voided_check
check ((status in ('voided', 'replaced')) = (voided_at is not null and void_reason is not null))`,
  `-- A form number is unique in its campaign among the responses that keep it: a replaced
-- response hands it to its corrected copy.
alter table response drop constraint response_campaign_id_source_id_key`,
  `create unique index response_source_id_key on response (campaign_id, source_id)
where status <> 'replaced'`,
];

export async function up(db: Kysely<any>): Promise<void> {
  // One statement a query: PGlite's extended protocol accepts no more.
  for (const statement of statements) await sql.raw(statement).execute(db);
}

// No down: voided and replaced responses would break the old checks.
