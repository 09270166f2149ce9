// Frozen: never edit a migration that has shipped; add a new file instead.
// Per-counter tallies of a campaign's valid responses, so that scoring reads a few rows per
// counter instead of every response (analysis/queries/tally-fold.sql keeps them current).
import { sql, type Kysely } from 'kysely';

const statements = [
  `-- Whether the response is counted in response_tally. A new or released response is not yet;
-- a fold adds the untallied valid responses of a campaign and marks them in one statement.
alter table response add column tallied boolean not null default false`,
  `create index response_untallied_idx on response (campaign_id, counter_id)
where status = 'valid' and not tallied`,
  `-- One row per campaign and counter with tallied responses. Arrays, all sums over them:
-- modes: respondents by mode, in the order qr, kiosk, paper, post, phone, interview, online;
-- answers: per sat5 item (instrument order) and answer 1 to 5, how many gave it;
-- products: per pair (i <= j) of the campaign's answer sets (analysis/linearization.ts,
-- tallyAtoms), how many respondents' answers fell in both, the upper triangle row by row.
create table response_tally (
  campaign_id integer not null references campaign (id),
  counter_id integer not null references counter (id),
  modes bigint[] not null,
  answers bigint[] not null,
  products bigint[] not null,
  primary key (campaign_id, counter_id)
)`,
  `-- Responses are never edited (spec §7); should a tallied one change or go anyway (a repair
-- by hand), its campaign's tallies are dropped and its responses folded again from scratch.
create function response_tally_reset() returns trigger language plpgsql as $$
begin
  if exists (select 1 from response_tally where campaign_id = old.campaign_id) then
    delete from response_tally where campaign_id = old.campaign_id;
    update response set tallied = false where campaign_id = old.campaign_id and tallied;
  end if;
  if tg_op = 'UPDATE' and new.campaign_id <> old.campaign_id
    and exists (select 1 from response_tally where campaign_id = new.campaign_id) then
    delete from response_tally where campaign_id = new.campaign_id;
    update response set tallied = false where campaign_id = new.campaign_id and tallied;
  end if;
  return null;
end
$$`,
  `create trigger response_tally_reset_on_update
after update of campaign_id, counter_id, mode, answers, status on response
for each row when (old.tallied) execute function response_tally_reset()`,
  `create trigger response_tally_reset_on_delete
after delete on response
for each row when (old.tallied) execute function response_tally_reset()`,
];

export async function up(db: Kysely<any>): Promise<void> {
  // One statement a query: PGlite's extended protocol accepts no more.
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table response_tally`.execute(db);
  await sql`drop trigger response_tally_reset_on_delete on response`.execute(db);
  await sql`drop trigger response_tally_reset_on_update on response`.execute(db);
  await sql`drop function response_tally_reset()`.execute(db);
  await sql`drop index response_untallied_idx`.execute(db);
  await sql`alter table response drop column tallied`.execute(db);
}
