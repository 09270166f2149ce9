// Frozen: never edit a migration that has shipped; add a new file instead.
// Organisation over time (issue 15, docs/organisation.md): units get a type and a validity,
// parents and counter memberships become dated links, reorganisations keep their lineage, and
// peer groups are data per period. Existing data: every unit valid since always under its
// current parent, every counter a member of its unit since always, so that every existing
// score is unchanged.
//
// unit.parent_id and counter.unit_id stay, as the link of the latest map (the one with no end):
// today's screens, scopes and the survey's look-up read them without a date. They are written
// only together with their dated link (db/repositories/links.ts); anything dated (a campaign's
// map, `--on`, history) reads unit_parent and counter_unit.
import { sql, type Kysely } from 'kysely';

const validity = `valid_from date, valid_to date,
  check (valid_from is null or valid_to is null or valid_from < valid_to)`;

const statements = [
  `alter table unit add column type text not null default 'other'
check (type ~ '^[a-z][a-z0-9_-]*$')`,
  `alter table unit add column valid_from date`,
  `alter table unit add column valid_to date`,
  `alter table unit add constraint unit_validity_check
check (valid_from is null or valid_to is null or valid_from < valid_to)`,
  // A code names one unit at a time: it may name a new unit once the old one has ended.
  `alter table unit drop constraint unit_code_key`,
  `create unique index unit_code_valid_idx on unit (code) where valid_to is null`,
  `create index unit_code_idx on unit (code)`,
  `create table unit_parent (
  id integer generated always as identity primary key,
  unit_id integer not null references unit (id),
  parent_id integer not null references unit (id),
  ${validity},
  check (unit_id <> parent_id)
)`,
  `create index unit_parent_unit_idx on unit_parent (unit_id)`,
  `create index unit_parent_parent_idx on unit_parent (parent_id)`,
  `create table counter_unit (
  id integer generated always as identity primary key,
  counter_id integer not null references counter (id),
  unit_id integer not null references unit (id),
  ${validity}
)`,
  `create index counter_unit_counter_idx on counter_unit (counter_id)`,
  `create index counter_unit_unit_idx on counter_unit (unit_id)`,
  `insert into unit_parent (unit_id, parent_id)
select id, parent_id from unit where parent_id is not null`,
  `insert into counter_unit (counter_id, unit_id) select id, unit_id from counter`,
  // The plan as applied is kept whole beside its lineage edges: what the preview showed.
  `create table reorganisation (
  id integer generated always as identity primary key,
  effective_on date not null,
  applied_at timestamptz not null default now(),
  applied_by text not null,
  plan jsonb not null
)`,
  `create table unit_lineage (
  reorganisation_id integer not null references reorganisation (id),
  predecessor_id integer not null references unit (id),
  successor_id integer not null references unit (id),
  share double precision not null check (share > 0 and share <= 1),
  primary key (predecessor_id, successor_id)
)`,
  `create index unit_lineage_successor_idx on unit_lineage (successor_id)`,
  `create table peer_group (
  id integer generated always as identity primary key,
  name text not null,
  period text not null,
  created_at timestamptz not null default now(),
  unique (name, period)
)`,
  `create table peer_group_unit (
  peer_group_id integer not null references peer_group (id) on delete cascade,
  unit_id integer not null references unit (id),
  primary key (peer_group_id, unit_id)
)`,
];

export async function up(db: Kysely<any>): Promise<void> {
  // One statement a query: PGlite's extended protocol accepts no more.
  for (const statement of statements) await sql.raw(statement).execute(db);
}

// No down: dated links written after this migration have no place in the old shape.
