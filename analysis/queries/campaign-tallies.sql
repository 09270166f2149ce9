-- The tallies of a campaign's counters (db migration 2026_11_22_0600 describes the arrays),
-- as text: '{1,2,3}' is read faster than a driver's parse of a thousand-element array, and
-- stored so (migration 2026_12_09_0100): PostgreSQL's output of a million bigints is not free.
-- $1: campaign id; $2: the counter ids to keep (a scoped account's), null for every counter.
select counter_id, modes_text as modes, answers_text as answers, products_text as products
from response_tally
where campaign_id = $1
  and ($2::int[] is null or counter_id = any($2::int[]))
