// Frozen: never edit a migration that has shipped; add a new file instead.
// Single sign-on (issue 14): the identities at a province's OpenID Connect provider that sign in
// as a staff account. An identity is its issuer and subject (OpenID Connect Core §2: the pair is
// unique and never reassigned, unlike a username); an account has at most one identity at an
// issuer, so that a second person whose login claim names the same account is refused.
import { sql, type Kysely } from 'kysely';

const statements = [
  `create table account_identity (
  issuer text not null,
  subject text not null,
  account_id integer not null references account (id),
  linked_at timestamptz not null default now(),
  primary key (issuer, subject),
  unique (account_id, issuer)
)`,
];

export async function up(db: Kysely<any>): Promise<void> {
  // One statement a query: PGlite's extended protocol accepts no more.
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw('drop table account_identity').execute(db);
}
