// Frozen: never edit a migration that has shipped; add a new file instead.
// A void or a replacement (api/services/corrections.ts) used to drop its campaign's tallies
// through the reset trigger of 2026_11_22_1000_fold_by_snapshot, so that the next scoring
// folded every response of the campaign again (BENCHMARKS.md, corrections). The service now
// takes the response out of the tallies itself, in the same transaction, and says so for that
// response in the transaction-local setting `sipas.tallies_adjusted_for`
// (db/repositories/tallies.ts, adjustingFor): the trigger leaves that change alone. Any other
// change of a valid response (a repair by hand) still drops the tallies.
import { sql, type Kysely } from 'kysely';

const statements = [
  `drop trigger response_tally_reset_on_update on response`,
  `create trigger response_tally_reset_on_update
after update of campaign_id, counter_id, mode, answers, status on response
for each row when (
  old.status = 'valid'
  and current_setting('sipas.tallies_adjusted_for', true) is distinct from old.id::text
) execute function response_tally_reset()`,
];

export async function up(db: Kysely<any>): Promise<void> {
  // One statement a query: PGlite's extended protocol accepts no more.
  for (const statement of statements) await sql.raw(statement).execute(db);
}

// No down: the tallies a void adjusted stay right under the old trigger too.
