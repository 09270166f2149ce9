-- The counters of a campaign (as campaign-counters.sql), each with the unit it belongs to on a
-- given day: a comparison scores both its campaigns on the map of the later one's last day
-- (docs/organisation.md). A counter that belongs to no unit that day is left out.
-- $1: campaign id; $2: the counter ids to keep (a scoped account's), null for every counter;
-- $3: the day.
select c.id, c.code, c.name, cu.unit_id, cc.transactions
from counter c
join counter_unit cu on cu.counter_id = c.id
  and (cu.valid_from is null or cu.valid_from <= $3::date)
  and (cu.valid_to is null or cu.valid_to > $3::date)
left join campaign_counter cc on cc.campaign_id = $1 and cc.counter_id = c.id
where (cc.campaign_id is not null
   or exists (select 1 from response_tally t where t.campaign_id = $1 and t.counter_id = c.id))
  and ($2::int[] is null or c.id = any($2::int[]))
order by c.code
