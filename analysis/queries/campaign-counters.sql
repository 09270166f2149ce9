-- The counters of a campaign (and any other counter with tallied responses in it), with their
-- unit and their transaction count in the campaign's period (null when not known).
-- $1: campaign id; $2: the counter ids to keep (a scoped account's), null for every counter.
-- By code: the scores document names the counters in that order, the same after a restore.
select c.id, c.code, c.name, c.unit_id, cc.transactions
from counter c
left join campaign_counter cc on cc.campaign_id = $1 and cc.counter_id = c.id
where (cc.campaign_id is not null
   or exists (select 1 from response_tally t where t.campaign_id = $1 and t.counter_id = c.id))
  and ($2::int[] is null or c.id = any($2::int[]))
order by c.code
