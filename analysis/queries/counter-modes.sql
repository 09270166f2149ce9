-- Valid responses of a campaign per counter and collection mode: the respondents n_h of each
-- stratum, and the `modes` of every group. Quarantined responses are never scored.
-- $1: campaign id; $2: the counter ids to keep (a scoped account's), null for every counter.
select counter_id, mode, count(*) as respondents
from response
where campaign_id = $1 and status = 'valid'
  and ($2::int[] is null or counter_id = any($2::int[]))
group by counter_id, mode
