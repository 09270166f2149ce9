-- Valid responses of a campaign per counter and collection mode: the respondents n_h of each
-- stratum, and the `modes` of every group. Quarantined responses are never scored.
-- $1: campaign id.
select counter_id, mode, count(*) as respondents
from response
where campaign_id = $1 and status = 'valid'
group by counter_id, mode
