// Frozen: never edit a migration that has shipped; add a new file instead.
// The fold (analysis/queries/tally-fold.sql) no longer marks each response it counts: marking
// rewrote every response once more after its insert, half of a fold's cost and a steady load
// on the server beside ingestion (issue 7). Instead a response carries the id of the
// transaction that made it valid, and each campaign keeps the snapshot of its last fold: the
// responses to fold next are the valid ones that snapshot could not see. A snapshot knows
// which transactions were still open, so a response whose transaction commits after a later
// one is still counted, once.
import { sql, type Kysely } from 'kysely';

const statements = [
  `alter table response add column fold_xid xid8`,
  `-- One row per campaign folded at least once: the snapshot its last fold saw. A campaign
-- without one has nothing counted: its next fold counts every valid response.
create table tally_fold (
  campaign_id integer primary key references campaign (id),
  snapshot pg_snapshot not null
)`,
  `-- What was tallied stays counted: transaction id 2 is visible in every snapshot, and the
-- campaigns with tallies get a snapshot that sees only it.
update response set fold_xid = case when tallied then '2'::xid8 else pg_current_xact_id() end`,
  `insert into tally_fold (campaign_id, snapshot)
select campaign_id, '3:3:'::pg_snapshot from (select distinct campaign_id from response_tally) t`,
  `alter table response
  alter column fold_xid set default pg_current_xact_id(),
  alter column fold_xid set not null`,
  `drop trigger response_tally_reset_on_update on response`,
  `drop trigger response_tally_reset_on_delete on response`,
  `drop function response_tally_reset()`,
  `drop index response_untallied_idx`,
  `alter table response drop column tallied`,
  `-- The valid responses of a campaign in the order a fold reads the new ones.
create index response_fold_idx on response (campaign_id, fold_xid, id) where status = 'valid'`,
  `-- A response that becomes valid (released from quarantine) is new to the fold.
create function response_fold_touch() returns trigger language plpgsql as $$
begin
  new.fold_xid := pg_current_xact_id();
  return new;
end
$$`,
  `create trigger response_fold_touch
before update of status on response
for each row when (old.status <> 'valid' and new.status = 'valid')
execute function response_fold_touch()`,
  `-- Responses are never edited (spec §7); should a valid one change or go anyway (a repair by
-- hand), its campaign's tallies are dropped and its responses folded again from scratch. The
-- lock first, as a fold takes it: a fold under way finishes before its work is dropped.
create function response_tally_reset() returns trigger language plpgsql as $$
begin
  lock table tally_fold in share row exclusive mode;
  delete from response_tally where campaign_id = old.campaign_id;
  delete from tally_fold where campaign_id = old.campaign_id;
  if tg_op = 'UPDATE' and new.campaign_id <> old.campaign_id then
    delete from response_tally where campaign_id = new.campaign_id;
    delete from tally_fold where campaign_id = new.campaign_id;
  end if;
  return null;
end
$$`,
  `create trigger response_tally_reset_on_update
after update of campaign_id, counter_id, mode, answers, status on response
for each row when (old.status = 'valid') execute function response_tally_reset()`,
  `create trigger response_tally_reset_on_delete
after delete on response
for each row when (old.status = 'valid') execute function response_tally_reset()`,
];

export async function up(db: Kysely<any>): Promise<void> {
  // One statement a query: PGlite's extended protocol accepts no more.
  for (const statement of statements) await sql.raw(statement).execute(db);
}

// No down: the marks it drops can only be rebuilt by folding every response again.
