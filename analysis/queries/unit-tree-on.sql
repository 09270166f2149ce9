-- The given units and all their ancestors on a given day, through the parent links valid that
-- day (unit_parent). `union` stops at a unit already found, as in unit-tree.sql.
-- $1: unit ids; $2: the day.
with recursive tree (id, code, name, parent_id) as (
  select u.id, u.code, u.name, p.parent_id
  from unit u
  left join unit_parent p on p.unit_id = u.id
    and (p.valid_from is null or p.valid_from <= $2::date)
    and (p.valid_to is null or p.valid_to > $2::date)
  where u.id = any($1::int[])
  union
  select u.id, u.code, u.name, p.parent_id
  from tree t
  join unit u on u.id = t.parent_id
  left join unit_parent p on p.unit_id = u.id
    and (p.valid_from is null or p.valid_from <= $2::date)
    and (p.valid_to is null or p.valid_to > $2::date)
)
select id, code, name, parent_id from tree
