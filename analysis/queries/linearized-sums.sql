-- Pass 2 of scoring: for factor, block and SIPAS indices, Σ y and Σ y² per slot, where a slot
-- is one index of one group at one counter and y = Σ over the slot's terms of
-- phi[answer to the term's item] (analysis/linearization.ts). Responses stay in the database:
-- each is read once and summed into the slots of its counter.
-- $1: campaign id;
-- $2, $3, $4: per slot, its counter id and the first and last of its terms (1-based); a slot
-- is returned as its ordinal in these arrays;
-- $5: per term, the position of its item in the answers array (1-based);
-- $6: per term, phi for answers 0 (blank) to 5, flattened (term j at 6(j − 1) + 1 … 6j).
-- y is computed in a lateral join, not a scalar subquery in the select list, so that it is
-- computed once for the three places it is used.
select s.slot, sum(t.y) as sum_y, sum(t.y * t.y) as sum_y2
from response r
join unnest($2::int[], $3::int[], $4::int[]) with ordinality as s (counter_id, first_term, last_term, slot)
  on s.counter_id = r.counter_id
cross join lateral (
  select sum(($6::float8[])[6 * (j - 1) + coalesce(r.answers[($5::int[])[j]], 0) + 1]) as y
  from generate_series(s.first_term, s.last_term) as j
) t
where r.campaign_id = $1 and r.status = 'valid'
group by s.slot
