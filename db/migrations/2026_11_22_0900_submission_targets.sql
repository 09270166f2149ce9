-- The look-up before survey submissions (db/repositories/responses.ts, findSubmissionTargets),
-- created by 2026_11_22_0900_submission_targets.ts. Frozen with that migration, and indented as
-- it was when written inline there, so that the function's stored text is the same either way.
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
