-- The counters of a campaign (and any other counter with tallied responses in it), with their
-- unit on the map of a day (the membership valid that day, of a unit valid that day; null when
-- there is none) and their transaction count in the campaign's period (null when not known).
-- $1: campaign id; $2: the counter ids to keep (a scoped account's), null for every counter;
-- $3: the day of the map.
-- By code: the scores document names the counters in that order, the same after a restore.
select c.id, c.code, c.name, m.unit_id, cc.transactions
from counter c
left join campaign_counter cc on cc.campaign_id = $1 and cc.counter_id = c.id
left join lateral (
  select cu.unit_id
  from counter_unit cu
  join unit u on u.id = cu.unit_id
  where cu.counter_id = c.id
    and (cu.valid_from is null or cu.valid_from <= $3::date)
    and (cu.valid_to is null or cu.valid_to > $3::date)
    and (u.valid_from is null or u.valid_from <= $3::date)
    and (u.valid_to is null or u.valid_to > $3::date)
) m on true
where (cc.campaign_id is not null
   or exists (select 1 from response_tally t where t.campaign_id = $1 and t.counter_id = c.id))
  and ($2::int[] is null or c.id = any($2::int[]))
order by c.code
