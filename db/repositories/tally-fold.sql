-- Folds up to $4 of a campaign's valid responses that its folds have not counted into
-- response_tally, in one statement. The caller (api/services/tallies.ts) runs every statement
-- of a fold in one repeatable-read transaction, after taking the fold lock, and then records
-- what it counted (db/repositories/tallies.ts): each response is counted by one fold or slice,
-- and by no other.
-- $1: campaign id;
-- $2, $3: per answer set (analysis/linearization.ts, tallyAtoms), its sat5 item (1-based
-- ordinal) and its answers as a bit mask (bit a for answer a; 0 is a blank);
-- $4: at most this many responses;
-- $5 to $9: the campaign's fold state (tally_fold: snapshot, target, position_counter,
-- position_xid, position_id; all null if it has none), what the condition counted reads;
-- $10, $11: fold only responses after this (fold_xid, id), in that order: where the previous
-- statement of the same fold stopped ('0' and 0 at first);
-- $12: null for a fold; for an adjustment, the ids of the valid responses to count whatever
-- the fold state says (the caller holds the fold lock and knows whether its folds counted them);
-- $13: 1 to add the responses to the tallies, -1 to take them out (a fold adds);
-- $14: a slice's round's target snapshot: only responses it saw (null: every one);
-- $15: a slice's responses, of those (null: no such bound).
-- Returns how many responses and counters it folded and the (fold_xid, id) of its last.
--
-- A template: the one line with placeholders for a position and a plane (in braces) is
-- repeated, comma-separated, for each sat5 item's position in the answers array (1-based) and
-- each plane 0, 1, 2, in that order. {asked} is when the item was asked: `true`, `false`, or
-- its skip rule's conditions, answers[position] = value joined by `and` (the skip rule restated
-- in SQL: its one definition is shared/rules.ts, `askedWhen`); an item not asked has the
-- answer code {notAsked} (analysis/linearization.ts, NOT_ASKED), which is no blank and in no
-- answer set. Two placeholders in the selection of responses, in braces: `counted`, whether
-- the campaign's folds counted the response r (db/repositories/tallies.ts, `countedSql`, over
-- $5 to $9), and `seen`, whether the round's target $14 saw it (`seenSql`).
-- db/repositories/tallies.ts fills in these and nothing else.
--
-- Why bit strings: every index needs, per counter, how many respondents fall in each pair of
-- the answer sets (about (2K)² / 2 pairs for K items). Summing that many products per response
-- is too slow (BENCHMARKS.md, by hand); here each counter's respondents become three bit
-- strings per item (the bits of the answer: 3K string aggregates per response), from which
-- each answer set is a few bitwise operations and each pair one bit_count of an AND.
with folded as (
  -- Through response_fold_idx: the campaign's valid responses from the oldest transaction its
  -- last snapshot may not have seen (implied by what follows, and where the index scan starts)
  -- that its folds did not count; for a slice, of those its round's target saw, the slice's
  -- (through the primary key). The planner folds the constant cases away: a fold's plan is the
  -- same as without them.
  select r.id, r.fold_xid, r.counter_id, r.mode, r.answers
  from response r
  where r.campaign_id = $1 and r.status = 'valid'
    and case when $12::bigint[] is null then
      ($5::pg_snapshot is null or r.fold_xid >= pg_snapshot_xmin($5::pg_snapshot))
      and not ({counted})
      and ($14::pg_snapshot is null or {seen})
      and ($15::bigint[] is null or r.id = any($15::bigint[]))
    else r.id = any($12::bigint[]) end
    and (r.fold_xid, r.id) > ($10::xid8, $11::bigint)
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
    array(select $13::int * x from unnest(b.modes) with ordinality as u (x, i) order by i),
    array(select $13::int * x from unnest(c.answers) with ordinality as u (x, i) order by i),
    array(select $13::int * x from unnest(p.products) with ordinality as u (x, i) order by i)
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
