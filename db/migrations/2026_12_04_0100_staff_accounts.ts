// Frozen: never edit a migration that has shipped; add a new file instead.
// Staff accounts that sign in with a login and password (issue 14): two more roles, a login
// unique whatever its case, a password hash, a disabled time; browser sessions stored only
// as SHA-256 digests of their secrets; the one-time links that let the first admin in; and
// when each API token was last used.
import { sql, type Kysely } from 'kysely';

const statements = [
  `alter table account drop constraint account_role_check`,
  `alter table account add constraint account_role_check
check (role in ('admin', 'surveyor', 'analyst', 'appraiser', 'unit'))`,
  `alter table account add column login text`,
  `alter table account add column password_hash text`,
  `alter table account add column disabled_at timestamptz`,
  `alter table account add column changed_at timestamptz not null default now()`,
  // A staff account (one with a login) is an admin over everything or another role in a unit.
  `alter table account add constraint account_staff_scope_check
check (login is null or (role = 'admin') = (unit_id is null))`,
  `create unique index account_login_key on account (lower(login))`,
  `alter table api_token add column last_used_at timestamptz`,
  // The staff account that created the token from the console or the API; null: the command line.
  `alter table api_token add column owner_id integer references account (id)`,
  `create table session (
  id integer generated always as identity primary key,
  account_id integer not null references account (id),
  secret_hash bytea not null unique,
  csrf_token text not null,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null
)`,
  `create index session_account_idx on session (account_id)`,
  `create table setup_token (
  id integer generated always as identity primary key,
  token_hash bytea not null unique,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz
)`,
];

export async function up(db: Kysely<any>): Promise<void> {
  // One statement a query: PGlite's extended protocol accepts no more.
  for (const statement of statements) await sql.raw(statement).execute(db);
}

// No down: accounts of the new roles would break the old check.
