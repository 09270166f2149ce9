// Frozen: never edit a migration that has shipped; add a new file instead.
// A response sent under a counter token revoked more than the grace period ago is no longer
// refused (spec §7: an answer sent from a phone is never thrown away): it is stored
// quarantined as `revoked-token` (issue 14).
import { sql, type Kysely } from 'kysely';

const statements = [
  `alter table response drop constraint response_reason_check`,
  `alter table response add constraint response_reason_check
check (reason in ('honeypot', 'too-fast', 'outside-period', 'rate-limit', 'unverifiable',
  'revoked-token'))`,
];

export async function up(db: Kysely<any>): Promise<void> {
  // One statement a query: PGlite's extended protocol accepts no more.
  for (const statement of statements) await sql.raw(statement).execute(db);
}

// No down: the responses quarantined as revoked-token would break the old check.
