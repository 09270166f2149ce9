// Frozen: never edit a migration that has shipped; add a new file instead.
// Remediation plans (issue 17, par-cycle.md §6, docs/plans.md): a unit's plan for a framework's
// period, drafted from its results (the facts frozen as drafted, a JSON document), its editable
// sections, its tasks (lead and coordinating units as written in the plan, deadline, expected
// output, the nodes and SIPAS factors each answers, status), and progress reports on a task with
// their evidence files. Overdue is not stored: it follows from a task's deadline and the day.
import { sql, type Kysely } from 'kysely';

const statements = [
  `create table plan (
  id integer generated always as identity primary key,
  unit_id integer not null references unit (id),
  framework_id integer not null references par_framework (id),
  period text not null,
  peers text not null,
  campaign_id integer references campaign (id),
  facts jsonb not null,
  sections jsonb not null,
  drafted_at timestamptz not null default now(),
  drafted_by text not null,
  updated_at timestamptz not null default now(),
  unique (unit_id, framework_id, period)
)`,
  `create table plan_task (
  id integer generated always as identity primary key,
  plan_id integer not null references plan (id),
  position integer not null check (position >= 1),
  content text not null check (content <> ''),
  lead text not null,
  coordinating jsonb not null default '[]',
  deadline date,
  expected_output text not null,
  nodes jsonb not null default '[]',
  factors jsonb not null default '[]',
  status text not null default 'not-started'
    check (status in ('not-started', 'in-progress', 'done')),
  removed_at timestamptz,
  updated_at timestamptz not null default now()
)`,
  `create index plan_task_plan_idx on plan_task (plan_id)`,
  `create table plan_progress (
  id integer generated always as identity primary key,
  task_id integer not null references plan_task (id),
  reported_on date not null,
  text text not null check (text <> ''),
  reported_by text not null,
  reported_at timestamptz not null default now()
)`,
  `create index plan_progress_task_idx on plan_progress (task_id)`,
  `create table plan_evidence (
  id integer generated always as identity primary key,
  progress_id integer not null references plan_progress (id),
  file_name text not null,
  media_type text not null,
  size integer not null check (size > 0),
  sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  content bytea not null,
  uploaded_by text not null,
  uploaded_at timestamptz not null default now(),
  removed_at timestamptz
)`,
  `create index plan_evidence_progress_idx on plan_evidence (progress_id)`,
];

export async function up(db: Kysely<any>): Promise<void> {
  // One statement a query: PGlite's extended protocol accepts no more.
  for (const statement of statements) await sql.raw(statement).execute(db);
}

// No down: plans have no place in the schema before them.
