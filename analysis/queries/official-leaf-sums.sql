-- An officials' survey's answers summed per unit, group and leaf (par-cycle.md §5,
-- docs/officials.md "Scoring"): the respondents, the mean of their y_r and its sample variance,
-- where y_r is the mean over the leaf's items of the share of the option respondent r chose.
-- Grouping sets give the unit's row (group_id null) beside its groups': the unit's variance is
-- that of all its respondents, which the groups' means and variances alone do not give, and so
-- the database computes it rather than JS summing squares. Numeric arithmetic throughout.
-- A group without answers has no row.
-- $1: the survey's id; $2: the instrument's items in order, as a jsonb array of
-- {"leaf": code, "shares": [percent of option 0, of option 1, …]} (the shares live in the
-- instrument's definition; answers[i] is the 0-based option of item i, arrays 1-based here).
with item as (
  select i.position::int as position, i.item->>'leaf' as leaf, i.item->'shares' as shares
  from jsonb_array_elements($2::jsonb) with ordinality as i(item, position)
),
respondent as (
  select g.unit_id, g.id as group_id, r.id, item.leaf,
    avg((item.shares->>(r.answers[item.position]::int))::numeric) as y
  from official_response r
  join official_group g on g.id = r.group_id
  cross join item
  where g.survey_id = $1
  group by g.unit_id, g.id, r.id, item.leaf
)
select unit_id, group_id, leaf, count(*) as respondents,
  avg(y)::text as mean, var_samp(y)::text as variance
from respondent
group by grouping sets ((unit_id, group_id, leaf), (unit_id, leaf))
