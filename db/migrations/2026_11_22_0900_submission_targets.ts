// Frozen: never edit a migration that has shipped; add a new file instead.
// The look-up before survey submissions for many submissions at once: the service sends the
// submissions that arrive together in one round trip (db/batch.ts), so the look-up takes arrays
// and answers each element by its ordinal. It replaces the one-submission function of
// 2026_11_22_0700, whose plan-once reason holds here too.
import { sql, type Kysely } from 'kysely';
import { up as createSubmissionTarget } from './2026_11_22_0700_submission_target.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function submission_targets(
      p_token_hashes bytea[], p_online_ids uuid[], p_from date[], p_to date[]
    ) returns table (
      ordinal integer, stored boolean,
      counter_id integer, counter_code text, counter_name text,
      unit_code text, unit_name text, revoked_at timestamptz,
      campaign_id integer, campaign_code text, campaign_name text,
      starts_on date, ends_on date, instrument_id integer, instrument_code text
    ) language plpgsql stable as $$
    begin
      -- Per element: one row when the token is unknown (the counter's columns null), else one
      -- a campaign whose period meets [from, to] (or one with null campaign columns).
      return query
      select
        q.ordinal::integer,
        exists (select from response r where r.online_id = q.online_id),
        k.id, k.code, k.name, u.code, u.name, t.revoked_at,
        c.id, c.code, c.name, c.starts_on, c.ends_on, c.instrument_id, i.code
      from unnest(p_token_hashes, p_online_ids, p_from, p_to)
        with ordinality as q (token_hash, online_id, from_day, to_day, ordinal)
      left join (
        counter_token t
        join counter k on k.id = t.counter_id
        join unit u on u.id = k.unit_id
      ) on t.token_hash = q.token_hash
      left join (
        campaign_counter cc
        join campaign c on c.id = cc.campaign_id
        join instrument i on i.id = c.instrument_id
      ) on cc.counter_id = k.id and c.starts_on <= q.to_day and c.ends_on >= q.from_day
      order by q.ordinal, c.starts_on;
    end
    $$
  `.execute(db);
  await sql`drop function submission_target(bytea, uuid, date, date)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await createSubmissionTarget(db);
  await sql`drop function submission_targets(bytea[], uuid[], date[], date[])`.execute(db);
}
