import type { Db } from './kysely.ts';

interface FrameworkValues {
  code: string;
  name: string;
  components: unknown;
}

export async function findFrameworkByCode(db: Db, code: string) {
  return db.selectFrom('par_framework').selectAll().where('code', '=', code).executeTakeFirst();
}

/** Inserts the framework; its id, or undefined when one with its code exists. */
export async function insertFramework(db: Db, framework: FrameworkValues) {
  const row = await db
    .insertInto('par_framework')
    .values({
      code: framework.code,
      name: framework.name,
      components: JSON.stringify(framework.components),
    })
    .onConflict((oc) => oc.column('code').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

export interface PointsValues {
  unitId: number;
  component: string;
  points: number;
  source: string;
}

/** Stores points, replacing those already held for the same unit, component and period. */
export async function upsertPoints(
  db: Db,
  frameworkId: number,
  period: string,
  rows: readonly PointsValues[],
): Promise<void> {
  const chunk = 1000;
  for (let start = 0; start < rows.length; start += chunk) {
    await db
      .insertInto('par_points')
      .values(
        rows.slice(start, start + chunk).map((row) => ({
          framework_id: frameworkId,
          unit_id: row.unitId,
          period,
          component: row.component,
          points: row.points,
          source: row.source,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['framework_id', 'period', 'unit_id', 'component']).doUpdateSet((eb) => ({
          points: eb.ref('excluded.points'),
          source: eb.ref('excluded.source'),
        })),
      )
      .execute();
  }
}

/** The periods in which any of the units has points in the framework. */
export async function findPeerPeriods(db: Db, frameworkId: number, unitIds: readonly number[]) {
  if (unitIds.length === 0) return [];
  const rows = await db
    .selectFrom('par_points')
    .select('period')
    .distinct()
    .where('framework_id', '=', frameworkId)
    .where('unit_id', 'in', unitIds)
    .execute();
  return rows.map((row) => row.period);
}

/** The points of the units in the framework in the given periods. */
export async function findPeerPoints(
  db: Db,
  frameworkId: number,
  unitIds: readonly number[],
  periods: readonly string[],
) {
  if (periods.length === 0 || unitIds.length === 0) return [];
  return db
    .selectFrom('par_points as p')
    .innerJoin('unit as u', 'u.id', 'p.unit_id')
    .select(['u.code as unit', 'p.period', 'p.component', 'p.points'])
    .where('p.framework_id', '=', frameworkId)
    .where('p.unit_id', 'in', unitIds)
    .where('p.period', 'in', periods)
    .execute();
}
