// Frozen: never edit a migration that has shipped; add a new file instead.
// The look-up before each survey submission (db/repositories/survey.ts, findSubmissionTarget)
// as a function, because a PL/pgSQL function keeps its query's plan for the session: planning
// this join of seven relations costs the server several times what running it does, and it
// runs once for every response a phone sends (issue 7: ingestion).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function submission_target(
      p_token_hash bytea, p_online_id uuid, p_from date, p_to date
    ) returns table (
      stored boolean,
      counter_id integer, counter_code text, counter_name text,
      unit_code text, unit_name text, revoked_at timestamptz,
      campaign_id integer, campaign_code text, campaign_name text,
      starts_on date, ends_on date, instrument_id integer, instrument_code text
    ) language plpgsql stable as $$
    begin
      -- One row when the token is unknown (the counter's columns null), else one a campaign
      -- whose period meets [p_from, p_to] (or one with null campaign columns): the left
      -- joins from a single row keep the stored flag in every case.
      return query
      select
        exists (select from response r where r.online_id = p_online_id),
        k.id, k.code, k.name, u.code, u.name, t.revoked_at,
        c.id, c.code, c.name, c.starts_on, c.ends_on, c.instrument_id, i.code
      from (values (1)) as one (x)
      left join (
        counter_token t
        join counter k on k.id = t.counter_id
        join unit u on u.id = k.unit_id
      ) on t.token_hash = p_token_hash
      left join (
        campaign_counter cc
        join campaign c on c.id = cc.campaign_id and c.starts_on <= p_to and c.ends_on >= p_from
        join instrument i on i.id = c.instrument_id
      ) on cc.counter_id = k.id
      order by c.starts_on;
    end
    $$
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function submission_target(bytea, uuid, date, date)`.execute(db);
}
