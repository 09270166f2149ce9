// PAR frameworks as trees (par-cycle.md §1): a framework version's row with its nodes and
// bands, and what uses it.
import type { Db } from './kysely.ts';

export async function findFrameworkRow(db: Db, code: string) {
  return db
    .selectFrom('par_framework')
    .select(['id', 'code', 'name', 'components', 'nodes', 'bands'])
    .where('code', '=', code)
    .executeTakeFirst();
}

/**
 * What uses the framework, if anything: a unit's points, or an assessment round (whose units
 * score its leaves). Either way it never changes.
 */
export async function frameworkUse(
  db: Db,
  frameworkId: number,
): Promise<'points' | 'round' | null> {
  const points = await db
    .selectFrom('par_points')
    .select('framework_id')
    .where('framework_id', '=', frameworkId)
    .limit(1)
    .executeTakeFirst();
  if (points) return 'points';
  const round = await db
    .selectFrom('assessment_round')
    .select('id')
    .where('framework_id', '=', frameworkId)
    .limit(1)
    .executeTakeFirst();
  return round ? 'round' : null;
}

export interface FrameworkTreeValues {
  code: string;
  name: string;
  /** The flat view that the flat paths read; empty for a deeper tree. */
  components: unknown;
  nodes: unknown;
  bands: unknown;
}

/** Stores the framework under its code, in place of one without points. */
export async function saveFrameworkTree(db: Db, framework: FrameworkTreeValues): Promise<void> {
  const values = {
    name: framework.name,
    components: JSON.stringify(framework.components),
    nodes: JSON.stringify(framework.nodes),
    bands: JSON.stringify(framework.bands),
  };
  await db
    .insertInto('par_framework')
    .values({ code: framework.code, ...values })
    .onConflict((oc) => oc.column('code').doUpdateSet(values))
    .execute();
}
