// Frozen: never edit a migration that has shipped; add a new file instead.
// Self-assessment and appraisal (issue 16, par-cycle.md §2, docs/assessment.md): a round opens a
// framework's period for assessment for its peers (a peer group's code, or a unit's code for its
// children, as a scorecard takes them), with its deadline and its appraisal stages (data: `parent`,
// the level above the unit on the period's map, then `top`, the province's team; or `top`
// alone). An assessment is one unit's scoring in a round; its leaves carry the self-score, the
// explanation, document references, a not-applicable mark with its reason, the appraised score
// and reason, and a return with its comment. Evidence files are stored in the database (so that
// a backup holds them) with their SHA-256. Points of a leaf the unit marked not applicable, and
// the appraisal accepted, are stored as null points.
import { sql, type Kysely } from 'kysely';

const statements = [
  `alter table par_points alter column points drop not null`,
  `create table assessment_round (
  id integer generated always as identity primary key,
  framework_id integer not null references par_framework (id),
  period text not null,
  peers text not null,
  deadline date not null,
  stages jsonb not null,
  created_at timestamptz not null default now(),
  unique (framework_id, period)
)`,
  `create table assessment (
  id integer generated always as identity primary key,
  round_id integer not null references assessment_round (id),
  unit_id integer not null references unit (id),
  state text not null default 'draft' check (state in
    ('draft', 'submitted', 'in-appraisal', 'returned', 'resubmitted', 'appraised', 'published')),
  stage integer not null default 0 check (stage >= 0),
  submitted_at timestamptz,
  updated_at timestamptz not null default now(),
  unique (round_id, unit_id)
)`,
  `create table assessment_leaf (
  assessment_id integer not null references assessment (id),
  node text not null,
  self_score double precision check (self_score >= 0),
  explanation text,
  document_refs jsonb not null default '[]',
  not_applicable boolean not null default false,
  not_applicable_reason text,
  not_applicable_accepted boolean,
  appraised_score double precision check (appraised_score >= 0),
  appraisal_reason text,
  returned boolean not null default false,
  return_comment text,
  updated_at timestamptz not null default now(),
  primary key (assessment_id, node),
  check (not not_applicable or not_applicable_reason is not null)
)`,
  `create table evidence (
  id integer generated always as identity primary key,
  assessment_id integer not null references assessment (id),
  node text not null,
  file_name text not null,
  media_type text not null,
  size integer not null check (size > 0),
  sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  content bytea not null,
  uploaded_by text not null,
  uploaded_at timestamptz not null default now(),
  removed_at timestamptz
)`,
  `create index evidence_leaf_idx on evidence (assessment_id, node)`,
];

export async function up(db: Kysely<any>): Promise<void> {
  // One statement a query: PGlite's extended protocol accepts no more.
  for (const statement of statements) await sql.raw(statement).execute(db);
}

// No down: assessments and their evidence have no place in the schema before them.
