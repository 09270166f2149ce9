// Frozen: never edit a migration that has shipped; add a new file instead.
// The look-up before survey submissions for many submissions at once: the service sends the
// submissions that arrive together in one round trip (db/batch.ts), so the look-up takes arrays
// and answers each element by its ordinal. It replaces the one-submission function of
// 2026_11_22_0700, whose plan-once reason holds here too.
import { readFileSync } from 'node:fs';
import { sql, type Kysely } from 'kysely';
import { up as createSubmissionTarget } from './2026_11_22_0700_submission_target.ts';

/** The `create function` statement, in a file of its own so that it is found by its name. */
const createSubmissionTargets = readFileSync(
  new URL('./2026_11_22_0900_submission_targets.sql', import.meta.url),
  'utf8',
);

export async function up(db: Kysely<any>): Promise<void> {
  await sql.raw(createSubmissionTargets).execute(db);
  await sql`drop function submission_target(bytea, uuid, date, date)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await createSubmissionTarget(db);
  await sql`drop function submission_targets(bytea[], uuid[], date[], date[])`.execute(db);
}
