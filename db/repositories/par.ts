import type { Day } from './links.ts';
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
  /** Null: the leaf is not applicable to the unit (an accepted not-applicable mark). */
  points: number | null;
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

/**
 * The lineage edges into the units from reorganisations effective on or before `upTo` (null:
 * any), with the predecessor's code and the day.
 */
export async function findLineageInto(db: Db, successorIds: readonly number[], upTo: Day | null) {
  if (successorIds.length === 0) return [];
  let query = db
    .selectFrom('unit_lineage as l')
    .innerJoin('reorganisation as r', 'r.id', 'l.reorganisation_id')
    .innerJoin('unit as p', 'p.id', 'l.predecessor_id')
    .select([
      'l.successor_id as successorId',
      'l.predecessor_id as predecessorId',
      'p.code as predecessor',
      'l.share',
      'r.effective_on as on',
    ])
    .where('l.successor_id', 'in', successorIds);
  if (upTo !== null) query = query.where('r.effective_on', '<=', upTo);
  return query.orderBy('p.code').execute();
}

/** The periods in which any of the units has points in the framework. */
export async function findPointPeriods(db: Db, frameworkId: number, unitIds: readonly number[]) {
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

/**
 * The points of the units in the framework in a period. A leaf marked not applicable (null
 * points) is left out until the scorecard reads such marks (issue 16).
 */
export async function findPoints(
  db: Db,
  frameworkId: number,
  unitIds: readonly number[],
  period: string,
) {
  if (unitIds.length === 0) return [];
  return db
    .selectFrom('par_points as p')
    .innerJoin('unit as u', 'u.id', 'p.unit_id')
    .select(['p.unit_id as unitId', 'u.code as unit', 'p.component', 'p.points'])
    .where('p.framework_id', '=', frameworkId)
    .where('p.unit_id', 'in', unitIds)
    .where('p.period', '=', period)
    .where('p.points', 'is not', null)
    .$narrowType<{ points: number }>()
    .execute();
}
