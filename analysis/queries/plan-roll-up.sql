-- A unit above's view of its children's remediation plans for a framework's period
-- (par-cycle.md §6, docs/plans.md): each child on the period's map, its plan if it has one, and
-- the plan's tasks not removed counted by status and overdue (shared/plan.ts isOverdue: not
-- done, and today after the deadline). A child without a plan comes with a null plan.
-- $1: the parent unit's id; $2: the day of the map, null for the latest map (a period of no
-- known form); $3: the framework's id; $4: the period; $5: today (Vietnam time).
select u.id as unit_id, u.code, u.name, p.id as plan_id, p.updated_at,
  count(t.id) as tasks,
  count(*) filter (where t.status = 'not-started') as not_started,
  count(*) filter (where t.status = 'in-progress') as in_progress,
  count(*) filter (where t.status = 'done') as done,
  count(*) filter (where t.status <> 'done' and t.deadline < $5::date) as overdue
from unit_parent l
join unit u on u.id = l.unit_id
left join plan p on p.unit_id = u.id and p.framework_id = $3 and p.period = $4
left join plan_task t on t.plan_id = p.id and t.removed_at is null
where l.parent_id = $1
  and (case when $2::date is null then l.valid_to is null and u.valid_to is null
            else (l.valid_from is null or l.valid_from <= $2::date)
              and (l.valid_to is null or l.valid_to > $2::date)
              and (u.valid_from is null or u.valid_from <= $2::date)
              and (u.valid_to is null or u.valid_to > $2::date) end)
group by u.id, u.code, u.name, p.id, p.updated_at
order by u.code
