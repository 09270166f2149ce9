-- The given units and all their ancestors. `union` (not `union all`) stops at a unit already
-- found, so that the walk ends even on a malformed hierarchy.
-- $1: unit ids.
with recursive tree (id, code, name, parent_id) as (
  select id, code, name, parent_id from unit where id = any($1::int[])
  union
  select u.id, u.code, u.name, u.parent_id from unit u join tree t on u.id = t.parent_id
)
select id, code, name, parent_id from tree
