-- The transactions behind units' points on one component in a period: those of the campaign the
-- points were derived from (source 'campaign:CODE', `sipas par derive`), summed over the
-- counters of each unit's subtree on that campaign's last day. A unit with a counter of unknown
-- transactions, or points of another source, is left out: its transactions are not known.
-- $1: framework id; $2: period; $3: component; $4: unit ids.
with recursive derived as (
  select p.unit_id, c.id as campaign_id, c.ends_on
  from par_points p
  join campaign c on p.source = 'campaign:' || c.code
  where p.framework_id = $1 and p.period = $2 and p.component = $3
    and p.unit_id = any($4::int[])
),
subtree (root, unit_id, campaign_id, day) as (
  select unit_id, unit_id, campaign_id, ends_on from derived
  union
  select s.root, up.unit_id, s.campaign_id, s.day
  from subtree s
  join unit_parent up on up.parent_id = s.unit_id
    and (up.valid_from is null or up.valid_from <= s.day)
    and (up.valid_to is null or up.valid_to > s.day)
)
select s.root as unit_id, sum(cc.transactions)::bigint as transactions
from subtree s
join counter_unit cu on cu.unit_id = s.unit_id
  and (cu.valid_from is null or cu.valid_from <= s.day)
  and (cu.valid_to is null or cu.valid_to > s.day)
join campaign_counter cc on cc.campaign_id = s.campaign_id and cc.counter_id = cu.counter_id
group by s.root
having count(*) = count(cc.transactions) and sum(cc.transactions) > 0
