// Frozen: never edit a migration that has shipped; add a new file instead.
// PAR frameworks as trees (issue 16, par-cycle.md §1): a framework version stores its nodes
// (fields, criteria, sub-criteria with dotted codes, leaf maxima, sources, unit types, guidance)
// and its bands. Both stay null on the flat frameworks of before, which read as trees of depth
// one from their components (analysis/par-tree.ts flatAsTree) with the default bands, so that
// existing frameworks, points and scorecards are unchanged.
import { sql, type Kysely } from 'kysely';

const statements = [
  `alter table par_framework add column nodes jsonb`,
  `alter table par_framework add column bands jsonb`,
];

export async function up(db: Kysely<any>): Promise<void> {
  // One statement a query: PGlite's extended protocol accepts no more.
  for (const statement of statements) await sql.raw(statement).execute(db);
}

// No down: a tree stored after this migration has no place in a flat framework's components.
