// Frozen: never edit a migration that has shipped; add a new file instead.
// Plain SQL that PostgreSQL 15 accepts (the server) and PGlite runs (PostgreSQL 18).
import { sql, type Kysely } from 'kysely';

const statements = [
  `create table unit (
  id integer generated always as identity primary key,
  code text not null unique,
  name text not null,
  parent_id integer references unit (id),
  created_at timestamptz not null default now(),
  check (parent_id is null or parent_id <> id)
)`,
  `create index unit_parent_idx on unit (parent_id)`,
  `create table counter (
  id integer generated always as identity primary key,
  code text not null unique,
  unit_id integer not null references unit (id),
  name text not null,
  created_at timestamptz not null default now()
)`,
  `create index counter_unit_idx on counter (unit_id)`,
  `-- Survey tokens (the secret in a counter's QR code) are stored only as SHA-256 hashes.
-- A revoked token stays, so that a scan of an old sticker gets 410 rather than 404.
create table counter_token (
  id integer generated always as identity primary key,
  counter_id integer not null references counter (id),
  token_hash bytea not null unique,
  created_at timestamptz not null default now(),
  revoked_at timestamptz
)`,
  `create unique index counter_token_active_idx on counter_token (counter_id) where revoked_at is null`,
  `-- An instrument version is data: once it has responses it never changes.
create table instrument (
  id integer generated always as identity primary key,
  code text not null unique,
  definition jsonb not null,
  created_at timestamptz not null default now()
)`,
  `create table campaign (
  id integer generated always as identity primary key,
  code text not null unique,
  name text not null,
  instrument_id integer not null references instrument (id),
  starts_on date not null,
  ends_on date not null,
  rules jsonb not null,
  created_at timestamptz not null default now(),
  check (ends_on >= starts_on)
)`,
  `create table campaign_counter (
  campaign_id integer not null references campaign (id),
  counter_id integer not null references counter (id),
  target integer check (target >= 0),
  transactions integer check (transactions >= 0),
  primary key (campaign_id, counter_id)
)`,
  `create index campaign_counter_counter_idx on campaign_counter (counter_id)`,
  `-- One row a respondent. answers holds one smallint per instrument item, in the
-- instrument's item order (null = blank; a multi-choice answer is a bit set of option
-- codes), so that scoring aggregates typed values rather than parsing JSON.
create table response (
  id bigint generated always as identity primary key,
  online_id uuid unique,
  source_id text check (length(source_id) <= 100),
  campaign_id integer not null references campaign (id),
  counter_id integer not null references counter (id),
  instrument_id integer not null references instrument (id),
  mode text not null check (mode in ('qr', 'kiosk', 'paper', 'post', 'phone', 'interview', 'online')),
  submitted_at timestamptz not null,
  received_at timestamptz not null default now(),
  service_area text,
  answers smallint[] not null,
  texts jsonb,
  status text not null check (status in ('valid', 'quarantined')),
  reason text check (reason in ('honeypot', 'too-fast', 'outside-period', 'rate-limit')),
  released_at timestamptz,
  check (status = 'valid' or reason is not null),
  unique (campaign_id, source_id)
)`,
  `create index response_scoring_idx on response (campaign_id, status, counter_id)`,
  `create table account (
  id integer generated always as identity primary key,
  name text not null,
  role text not null check (role in ('admin', 'surveyor', 'analyst')),
  unit_id integer references unit (id),
  created_at timestamptz not null default now()
)`,
  `create table api_token (
  id integer generated always as identity primary key,
  account_id integer not null references account (id),
  token_hash bytea not null unique,
  created_at timestamptz not null default now(),
  revoked_at timestamptz
)`,
  `create table audit_log (
  id bigint generated always as identity primary key,
  at timestamptz not null default now(),
  actor text not null,
  action text not null,
  subject text not null,
  detail jsonb
)`,
  `create index audit_log_at_idx on audit_log (at)`,
  `create table par_framework (
  id integer generated always as identity primary key,
  code text not null unique,
  name text not null,
  components jsonb not null,
  created_at timestamptz not null default now()
)`,
  `create table par_points (
  framework_id integer not null references par_framework (id),
  unit_id integer not null references unit (id),
  period text not null,
  component text not null,
  points double precision not null check (points >= 0),
  source text not null,
  primary key (framework_id, period, unit_id, component)
)`,
];

export async function up(db: Kysely<any>): Promise<void> {
  // One statement a query: PGlite's extended protocol accepts no more.
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop table par_points, par_framework, audit_log, api_token, account, response,
      campaign_counter, campaign, instrument, counter_token, counter, unit
  `.execute(db);
}
