// Frozen: never edit a migration that has shipped; add a new file instead.
// A tally's products now count respondents in pairs of disjoint answer sets (analysis/
// linearization.ts, `tallyAtoms`: an item's satisfied answers, and its other valid ones), where
// they counted pairs of nested sets (the satisfied set inside the valid set) that every scoring
// then restated over the disjoint ones, a third of a small campaign's scoring by counter (issue
// 19). Tallies folded before count the other sets: every campaign's are dropped, as
// 2026_12_03_1800 did, and its next fold counts all its valid responses again; meanwhile a
// scoring tallies the responses no fold has counted itself (api/services/tallies.ts,
// `addUnfolded`), so that scores stay exact.
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
