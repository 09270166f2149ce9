// Frozen: never edit a migration that has shipped; add a new file instead.
// Skip rules (spec §5, settled details): an item that a skip rule did not ask (PA2-PA4 after
// PAQ ≠ 1) is not a blank. A tally's `answers` now count, per sat5 item, answers 0 (asked and
// left blank) to 5 (six an item, not five), and a respondent not asked an item is in none of
// its answer sets, where the fold used to count that respondent as a blank (wrong under
// `blanks: unsatisfied`). Tallies folded before have neither: every campaign's are dropped,
// and its next fold (analysis/queries/tally-fold.sql) counts all its valid responses again.
import { sql, type Kysely } from 'kysely';

const statements = [
  `-- The fold's lock first, as the reset trigger takes it: a fold under way finishes first.
lock table tally_fold in share row exclusive mode`,
  `delete from tally_fold`,
  `delete from response_tally`,
];

export async function up(db: Kysely<any>): Promise<void> {
  // One statement a query: PGlite's extended protocol accepts no more.
  for (const statement of statements) await sql.raw(statement).execute(db);
}

// No down: the tallies it drops are rebuilt by the next fold, in whichever shape it folds.
