// Frozen: never edit a migration that has shipped; add a new file instead.
// A counter's short code (issue 14), typed by a citizen whose camera cannot read the QR code, is
// a second survey token of the counter, issued and revoked with its QR token: each counter has at
// most one active token of each kind.
import { sql, type Kysely } from 'kysely';

const statements = [
  `alter table counter_token add column kind text not null default 'qr'
check (kind in ('qr', 'code'))`,
  `drop index counter_token_active_idx`,
  `create unique index counter_token_active_idx on counter_token (counter_id, kind)
where revoked_at is null`,
];

export async function up(db: Kysely<any>): Promise<void> {
  // One statement a query: PGlite's extended protocol accepts no more.
  for (const statement of statements) await sql.raw(statement).execute(db);
}

// No down: a counter's short code would break the one-active-token index.
