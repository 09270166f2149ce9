// Frozen: never edit a migration that has shipped; add a new file instead.
// The officials' survey (issue 18, par-cycle.md §5, docs/officials.md): instruments whose answer
// options are each worth a share of an item's points; surveys of a framework's period; per unit,
// groups of invited respondents (a name and a count, no person); one single-use link per
// invitation; and the answers. Anonymity is by construction: an answer row holds its group and
// its choices, nothing else: no invitation, no token, no time, and a random key, so that neither
// a reference nor an order joins it to the invitation that carried it. An invitation keeps only
// that it was used (and the phone's submission key, so that the same phone's retry is told
// "stored" rather than "used").
import { sql, type Kysely } from 'kysely';

const statements = [
  `create table official_instrument (
  id integer generated always as identity primary key,
  code text not null unique,
  definition jsonb not null,
  created_at timestamptz not null default now()
)`,
  `create table official_survey (
  id integer generated always as identity primary key,
  code text not null unique,
  name text not null check (name <> ''),
  instrument_id integer not null references official_instrument (id),
  framework_id integer not null references par_framework (id),
  period text not null,
  opens_on date not null,
  closes_on date not null,
  min_group integer not null default 5 check (min_group >= 1),
  created_by text not null,
  created_at timestamptz not null default now(),
  check (closes_on >= opens_on)
)`,
  `create table official_group (
  id integer generated always as identity primary key,
  survey_id integer not null references official_survey (id),
  unit_id integer not null references unit (id),
  name text not null check (name <> ''),
  invited integer not null check (invited > 0),
  unique (survey_id, unit_id, name)
)`,
  `create table official_invitation (
  id integer generated always as identity primary key,
  group_id integer not null references official_group (id),
  token text not null unique,
  issued_at timestamptz not null default now(),
  used boolean not null default false,
  submission_key text,
  revoked_at timestamptz,
  revoke_reason text,
  replaces integer references official_invitation (id),
  check (used or submission_key is null),
  check ((revoked_at is null) = (revoke_reason is null)),
  check (not (used and revoked_at is not null))
)`,
  `create index official_invitation_group_idx on official_invitation (group_id)`,
  `create table official_response (
  id uuid primary key default gen_random_uuid(),
  group_id integer not null references official_group (id),
  answers smallint[] not null
)`,
  `create index official_response_group_idx on official_response (group_id)`,
];

export async function up(db: Kysely<any>): Promise<void> {
  // One statement a query: PGlite's extended protocol accepts no more.
  for (const statement of statements) await sql.raw(statement).execute(db);
}

// No down: officials' surveys have no place in the schema before them.
