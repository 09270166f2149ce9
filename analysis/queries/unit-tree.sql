-- The given units and all their ancestors on the map of a day: each unit valid that day, with
-- the parent of its link valid that day (docs/organisation.md). `union` (not `union all`) stops
-- at a unit already found, so that the walk ends even on a malformed hierarchy.
-- $1: unit ids; $2: the day of the map.
-- By code: the scores document names the units in that order, the same after a restore or
-- after a later reorganisation has rewritten some of their rows.
with recursive tree (id, code, name, parent_id) as (
  select u.id, u.code, u.name, p.parent_id
  from unit u
  left join unit_parent p on p.unit_id = u.id
    and (p.valid_from is null or p.valid_from <= $2::date)
    and (p.valid_to is null or p.valid_to > $2::date)
  where u.id = any($1::int[])
    and (u.valid_from is null or u.valid_from <= $2::date)
    and (u.valid_to is null or u.valid_to > $2::date)
  union
  select u.id, u.code, u.name, p.parent_id
  from tree t
  join unit u on u.id = t.parent_id
  left join unit_parent p on p.unit_id = u.id
    and (p.valid_from is null or p.valid_from <= $2::date)
    and (p.valid_to is null or p.valid_to > $2::date)
  where (u.valid_from is null or u.valid_from <= $2::date)
    and (u.valid_to is null or u.valid_to > $2::date)
)
select id, code, name, parent_id from tree
order by code
