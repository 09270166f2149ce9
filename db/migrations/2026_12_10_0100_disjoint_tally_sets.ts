// Frozen: never edit a migration that has shipped; add a new file instead.
// A tally's products now count respondents in pairs of disjoint answer sets (analysis/
// linearization.ts, `tallyAtoms`: an item's satisfied answers, and its other valid ones), where
// they counted pairs of nested sets (the satisfied set inside the valid set) that every scoring
// then restated over the disjoint ones, a third of a small campaign's scoring by counter (issue
// 19). Tallies folded before count the other sets: every campaign's are dropped and its next
// fold counts all its valid responses again; meanwhile a scoring tallies the responses no fold
// has counted itself (api/services/tallies.ts, `addUnfolded`), so that scores stay exact.
// The drop is 2026_12_03_1800's, to the statement: that migration is frozen too, so its `up`
// is this one's and cannot change under it.
export { up } from './2026_12_03_1800_tally_asked_blanks.ts';

// No down: the tallies it drops are rebuilt by the next fold, in whichever shape it folds.
