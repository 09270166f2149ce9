-- A campaign's quarantined responses counted per counter and reason: the cells of the
-- quarantine review's table (issue 14), summed by reason and by counter after.
-- $1: campaign id; $2: the counter ids to keep (a scoped account's), null for every counter.
select k.code as counter, r.reason, count(*) as responses
from response r
join counter k on k.id = r.counter_id
where r.campaign_id = $1 and r.status = 'quarantined'
  and ($2::int[] is null or r.counter_id = any($2::int[]))
group by k.code, r.reason
order by k.code, r.reason
