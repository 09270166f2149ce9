// The audit log viewer (issue 14) pages through the log newest first, by id, filtered by
// action or by actor: an index on each with the id serves a filtered page without reading the
// entries of other actions and actors.
import { sql, type Kysely } from 'kysely';

const statements = [
  `create index audit_log_action_id_idx on audit_log (action, id)`,
  `create index audit_log_actor_id_idx on audit_log (actor, id)`,
];

export async function up(db: Kysely<any>): Promise<void> {
  // One statement a query: PGlite's extended protocol accepts no more.
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index audit_log_actor_id_idx`.execute(db);
  await sql`drop index audit_log_action_id_idx`.execute(db);
}
