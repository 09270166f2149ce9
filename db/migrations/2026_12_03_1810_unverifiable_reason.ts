// Frozen: never edit a migration that has shipped; add a new file instead.
// A submission that leaves out the device id or either time escapes the checks those fields
// feed (the per-device limit, the 20-second floor): it is quarantined as `unverifiable`
// rather than counted on trust (issue 12).
import { sql, type Kysely } from 'kysely';

const statements = [
  `alter table response drop constraint response_reason_check`,
  `alter table response add constraint response_reason_check
check (reason in ('honeypot', 'too-fast', 'outside-period', 'rate-limit', 'unverifiable'))`,
];

export async function up(db: Kysely<any>): Promise<void> {
  // One statement a query: PGlite's extended protocol accepts no more.
  for (const statement of statements) await sql.raw(statement).execute(db);
}

// No down: the responses quarantined as unverifiable would break the old check.
