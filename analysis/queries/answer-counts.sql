-- Pass 1 of scoring: per counter, sat5 item and answer (1-5), how many valid responses gave
-- it. Every item index, its standard error and its valid and satisfied counts follow from
-- these counts (blanks are the counter's respondents who gave none).
-- $1: campaign id; $2: the position of each sat5 item in the answers array (1-based); the
-- item is returned as its ordinal in $2 (1-based).
select r.counter_id, i.item, r.answers[i.position] as answer, count(*) as responses
from response r
cross join unnest($2::int[]) with ordinality as i (position, item)
where r.campaign_id = $1 and r.status = 'valid' and r.answers[i.position] is not null
group by r.counter_id, i.item, r.answers[i.position]
