-- Folds up to $4 of a campaign's valid responses that the snapshot of its last fold could not
-- see into response_tally, in one statement. The caller (api/services/tallies.ts) runs every
-- statement of a fold in one repeatable-read transaction, after taking the fold lock, and then
-- stores that transaction's snapshot as the campaign's: each response is counted by the first
-- fold whose snapshot sees it, and by no other.
-- $1: campaign id;
-- $2, $3: per answer set (analysis/linearization.ts, tallyAtoms), its sat5 item (1-based
-- ordinal) and its answers as a bit mask (bit a for answer a; 0 is a blank);
-- $4: at most this many responses;
-- $5: the snapshot of the campaign's last fold, or null to count every valid response;
-- $6, $7: fold only responses after this (fold_xid, id), in that order: where the previous
-- statement of the same fold stopped ('0' and 0 at first).
-- $8: null for a fold; for an adjustment, the ids of the valid responses to count whatever
-- the snapshot says (the caller holds the fold lock and knows whether the last fold saw them);
-- $9: 1 to add the responses to the tallies, -1 to take them out (a fold adds).
-- Returns how many responses and counters it folded, and the (fold_xid, id) of its last.
--
-- A template: the one line with placeholders for a position and a plane (in braces) is
-- repeated, comma-separated, for each sat5 item's position in the answers array (1-based) and
-- each plane 0, 1, 2, in that order. {asked} is when the item was asked: `true`, `false`, or
-- its skip rule's conditions, answers[position] = value joined by `and` (the skip rule restated
-- in SQL: its one definition is shared/rules.ts, `askedWhen`); an item not asked has the
-- answer code {notAsked} (analysis/linearization.ts, NOT_ASKED), which is no blank and in no
-- answer set. db/repositories/tallies.ts fills in these integers and nothing else.
--
-- Why bit strings: every index needs, per counter, how many respondents fall in each pair of
-- the answer sets (about (2K)² / 2 pairs for K items). Summing that many products per response
-- is too slow (BENCHMARKS.md, by hand); here each counter's respondents become three bit
-- strings per item (the bits of the answer: 3K string aggregates per response), from which
-- each answer set is a few bitwise operations and each pair one bit_count of an AND.
with folded as (
  -- Through response_fold_idx: the campaign's valid responses from the oldest transaction the
  -- last snapshot may not have seen, less those it saw. The planner folds the constant case
  -- away: a fold's plan is the same as without it.
  select r.id, r.fold_xid, r.counter_id, r.mode, r.answers
  from response r
  where r.campaign_id = $1 and r.status = 'valid'
    and case when $8::bigint[] is null then ($5::pg_snapshot is null or (
      r.fold_xid >= pg_snapshot_xmin($5::pg_snapshot)
      and not pg_visible_in_snapshot(r.fold_xid, $5::pg_snapshot)
    )) else r.id = any($8::bigint[]) end
    and (r.fold_xid, r.id) > ($6::xid8, $7::bigint)
  order by r.fold_xid, r.id
  limit $4
), batch as (
  select counter_id,
    array[
      -- By mode, in the order of shared/rules.ts, MODES.
      count(*) filter (where mode = 'qr'), count(*) filter (where mode = 'kiosk'),
      count(*) filter (where mode = 'paper'), count(*) filter (where mode = 'post'),
      count(*) filter (where mode = 'phone'), count(*) filter (where mode = 'interview'),
      count(*) filter (where mode = 'online')
    ] as modes,
    -- All aggregates of a group see its rows in the same order: bit r of every string is the
    -- same respondent.
    array[
      string_agg((((case when {asked} then coalesce(answers[{position}], 0) else {notAsked} end) >> {plane}) & 1)::text, '')::varbit
    ] as planes
  from folded
  group by counter_id
), items as (
  select b.counter_id, k.item,
    b.planes[3 * k.item - 2] as p0, b.planes[3 * k.item - 1] as p1, b.planes[3 * k.item] as p2
  from batch b
  cross join generate_series(1, array_length(b.planes, 1) / 3) as k (item)
), answered as (
  -- Per counter, item and answer a = 0 (asked, left blank) to 5: the respondents who gave a.
  select i.counter_id, i.item, a.answer,
    (case when (a.answer & 1) = 1 then i.p0 else ~i.p0 end)
    & (case when (a.answer & 2) = 2 then i.p1 else ~i.p1 end)
    & (case when (a.answer & 4) = 4 then i.p2 else ~i.p2 end) as bits
  from items i
  cross join generate_series(0, 5) as a (answer)
), atoms as (
  select x.counter_id, t.atom, bit_or(x.bits) as bits
  from unnest($2::int[], $3::int[]) with ordinality as t (item, answers, atom)
  join answered x on x.item = t.item and ((t.answers >> x.answer) & 1) = 1
  group by x.counter_id, t.atom
), products as (
  select a.counter_id, array_agg(bit_count(a.bits & b.bits) order by a.atom, b.atom) as products
  from atoms a
  join atoms b on b.counter_id = a.counter_id and b.atom >= a.atom
  group by a.counter_id
), counts as (
  select counter_id, array_agg(bit_count(bits) order by item, answer) as answers
  from answered
  group by counter_id
), stored as (
  -- The read-only form of this statement (tallies.ts, unfoldedTallies) ends before this.
  -- Signed: what an adjustment takes out was added by a fold, into a row that exists.
  insert into response_tally as t (campaign_id, counter_id, modes, answers, products)
  select $1, b.counter_id,
    array(select $9::int * x from unnest(b.modes) with ordinality as u (x, i) order by i),
    array(select $9::int * x from unnest(c.answers) with ordinality as u (x, i) order by i),
    array(select $9::int * x from unnest(p.products) with ordinality as u (x, i) order by i)
  from batch b
  join counts c on c.counter_id = b.counter_id
  join products p on p.counter_id = b.counter_id
  on conflict (campaign_id, counter_id) do update set
    modes = array(
      select x + y from unnest(t.modes, excluded.modes) with ordinality as u (x, y, i) order by i
    ),
    answers = array(
      select x + y from unnest(t.answers, excluded.answers) with ordinality as u (x, y, i) order by i
    ),
    products = array(
      select x + y from unnest(t.products, excluded.products) with ordinality as u (x, y, i)
      order by i
    )
  returning 1
)
select (select count(*) from folded) as responses, (select count(*) from stored) as counters,
  last.fold_xid::text as last_xid, last.id as last_id
from (values (1)) as one (x)
left join lateral (
  select fold_xid, id from folded order by fold_xid desc, id desc limit 1
) last on true
