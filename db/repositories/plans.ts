// Remediation plans (par-cycle.md §6, docs/plans.md): a unit's plan for a framework's period,
// its tasks in the order of the plan's table (positions 1…n among the tasks not removed),
// progress reports on a task and their evidence files. A task or a file taken off keeps its
// row (removed_at) for the plan's history.
import { sql } from 'kysely';
import { asHex, fileContent } from './evidence.ts';
import type { Db } from './kysely.ts';

export interface PlanValues {
  unitId: number;
  frameworkId: number;
  period: string;
  peers: string;
  campaignId: number | null;
  facts: unknown;
  sections: unknown;
  draftedBy: string;
}

/** The new plan's id; undefined when the unit has one for the framework's period already. */
export async function insertPlan(db: Db, values: PlanValues): Promise<number | undefined> {
  const row = await db
    .insertInto('plan')
    .values({
      unit_id: values.unitId,
      framework_id: values.frameworkId,
      period: values.period,
      peers: values.peers,
      campaign_id: values.campaignId,
      facts: JSON.stringify(values.facts),
      sections: JSON.stringify(values.sections),
      drafted_by: values.draftedBy,
    })
    .onConflict((oc) => oc.columns(['unit_id', 'framework_id', 'period']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

/** A plan with its unit, framework and campaign named. */
export async function findPlan(db: Db, id: number) {
  return db
    .selectFrom('plan as p')
    .innerJoin('unit as u', 'u.id', 'p.unit_id')
    .innerJoin('par_framework as f', 'f.id', 'p.framework_id')
    .leftJoin('campaign as c', 'c.id', 'p.campaign_id')
    .select([
      'p.id',
      'p.unit_id',
      'p.period',
      'p.peers',
      'p.facts',
      'p.sections',
      'p.drafted_at',
      'p.drafted_by',
      'p.updated_at',
      'u.code as unit_code',
      'u.name as unit_name',
      'f.code as framework',
      'f.name as framework_name',
      'c.code as campaign',
    ])
    .where('p.id', '=', id)
    .executeTakeFirst();
}

/** Holds the plan's row until the transaction ends: one change to a plan at a time. */
export async function lockPlan(db: Db, id: number): Promise<void> {
  await db.selectFrom('plan').select('id').where('id', '=', id).forUpdate().execute();
}

export async function findPlanId(db: Db, unitId: number, frameworkId: number, period: string) {
  const row = await db
    .selectFrom('plan')
    .select('id')
    .where('unit_id', '=', unitId)
    .where('framework_id', '=', frameworkId)
    .where('period', '=', period)
    .executeTakeFirst();
  return row?.id;
}

export interface PlanFilter {
  frameworkId: number | null;
  period: string | null;
  unitId: number | null;
  /** The units a scoped principal reaches; null for all. */
  unitIds: readonly number[] | null;
}

/** Plans by unit code, framework and period. */
export async function listPlans(db: Db, filter: PlanFilter) {
  const { frameworkId, period, unitId, unitIds } = filter;
  return db
    .selectFrom('plan as p')
    .innerJoin('unit as u', 'u.id', 'p.unit_id')
    .innerJoin('par_framework as f', 'f.id', 'p.framework_id')
    .select([
      'p.id',
      'p.period',
      'p.updated_at',
      'u.code as unit_code',
      'u.name as unit_name',
      'f.code as framework',
    ])
    .$if(frameworkId !== null, (q) => q.where('p.framework_id', '=', frameworkId ?? 0))
    .$if(period !== null, (q) => q.where('p.period', '=', period ?? ''))
    .$if(unitId !== null, (q) => q.where('p.unit_id', '=', unitId ?? 0))
    .$if(unitIds !== null, (q) =>
      q.where(sql<boolean>`p.unit_id = any(${sql`${[...(unitIds ?? [])]}::int[]`})`),
    )
    .orderBy('u.code')
    .orderBy('f.code')
    .orderBy('p.period')
    .execute();
}

export async function updateSections(db: Db, id: number, sections: unknown): Promise<void> {
  await db
    .updateTable('plan')
    .set({ sections: JSON.stringify(sections), updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

export async function touchPlan(db: Db, id: number): Promise<void> {
  await db.updateTable('plan').set({ updated_at: new Date() }).where('id', '=', id).execute();
}

export interface TaskValues {
  content: string;
  lead: string;
  coordinating: string[];
  deadline: string | null;
  expectedOutput: string;
  nodes: string[];
  factors: string[];
  status: 'not-started' | 'in-progress' | 'done';
}

const TASK_COLUMNS = [
  'id',
  'position',
  'content',
  'lead',
  'coordinating',
  'deadline',
  'expected_output',
  'nodes',
  'factors',
  'status',
] as const;

/** The plan's tasks not removed, in the order of its table. */
export async function listTasks(db: Db, planId: number) {
  return db
    .selectFrom('plan_task')
    .select(TASK_COLUMNS)
    .where('plan_id', '=', planId)
    .where('removed_at', 'is', null)
    .orderBy('position')
    .execute();
}

const taskRow = (values: TaskValues) => ({
  content: values.content,
  lead: values.lead,
  coordinating: JSON.stringify(values.coordinating),
  deadline: values.deadline,
  expected_output: values.expectedOutput,
  nodes: JSON.stringify(values.nodes),
  factors: JSON.stringify(values.factors),
  status: values.status,
});

export async function insertTask(
  db: Db,
  planId: number,
  position: number,
  values: TaskValues,
): Promise<number> {
  const row = await db
    .insertInto('plan_task')
    .values({ plan_id: planId, position, ...taskRow(values) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateTask(
  db: Db,
  taskId: number,
  position: number,
  values: TaskValues,
): Promise<void> {
  await db
    .updateTable('plan_task')
    .set({ position, ...taskRow(values), updated_at: new Date() })
    .where('id', '=', taskId)
    .execute();
}

/**
 * Moves the live tasks at positions `from`…`to` (inclusive) by `by` places: what opens a place
 * for a task moved or closes the gap one leaves.
 */
export async function shiftTasks(
  db: Db,
  planId: number,
  from: number,
  to: number,
  by: number,
): Promise<void> {
  if (from > to) return;
  await db
    .updateTable('plan_task')
    .set((eb) => ({ position: eb('position', '+', by) }))
    .where('plan_id', '=', planId)
    .where('removed_at', 'is', null)
    .where('position', '>=', from)
    .where('position', '<=', to)
    .execute();
}

export async function markTaskRemoved(db: Db, taskId: number): Promise<void> {
  await db
    .updateTable('plan_task')
    .set({ removed_at: new Date(), updated_at: new Date() })
    .where('id', '=', taskId)
    .execute();
}

export async function insertProgress(
  db: Db,
  values: { taskId: number; on: string; text: string; by: string },
): Promise<number> {
  const row = await db
    .insertInto('plan_progress')
    .values({
      task_id: values.taskId,
      reported_on: values.on,
      text: values.text,
      reported_by: values.by,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The progress reports on the plan's tasks, oldest first. */
export async function listProgress(db: Db, planId: number) {
  return db
    .selectFrom('plan_progress as r')
    .innerJoin('plan_task as t', 't.id', 'r.task_id')
    .select(['r.id', 'r.task_id', 'r.reported_on', 'r.text', 'r.reported_by', 'r.reported_at'])
    .where('t.plan_id', '=', planId)
    .orderBy('r.reported_on')
    .orderBy('r.id')
    .execute();
}

/** A progress report with its task's plan, when its task is on the plan still. */
export async function findProgress(db: Db, id: number) {
  return db
    .selectFrom('plan_progress as r')
    .innerJoin('plan_task as t', 't.id', 'r.task_id')
    .select(['r.id', 'r.task_id', 't.plan_id'])
    .where('r.id', '=', id)
    .where('t.removed_at', 'is', null)
    .executeTakeFirst();
}

export interface PlanFileValues {
  progressId: number;
  fileName: string;
  mediaType: string;
  size: number;
  sha256: string;
  content: Uint8Array;
  uploadedBy: string;
}

export async function insertPlanFile(db: Db, values: PlanFileValues): Promise<number> {
  const row = await db
    .insertInto('plan_evidence')
    .values({
      progress_id: values.progressId,
      file_name: values.fileName,
      media_type: values.mediaType,
      size: values.size,
      sha256: values.sha256,
      content: sql<Uint8Array>`decode(${asHex(values.content)}, 'hex')`,
      uploaded_by: values.uploadedBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The files of the plan's reports not removed, without their bytes. */
export async function listPlanFiles(db: Db, planId: number) {
  return db
    .selectFrom('plan_evidence as e')
    .innerJoin('plan_progress as r', 'r.id', 'e.progress_id')
    .innerJoin('plan_task as t', 't.id', 'r.task_id')
    .select(['e.id', 'e.progress_id', 'e.file_name', 'e.media_type', 'e.size', 'e.sha256'])
    .where('t.plan_id', '=', planId)
    .where('e.removed_at', 'is', null)
    .orderBy('e.id')
    .execute();
}

/** A file without its bytes, with its plan. */
export async function findPlanFile(db: Db, id: number) {
  return db
    .selectFrom('plan_evidence as e')
    .innerJoin('plan_progress as r', 'r.id', 'e.progress_id')
    .innerJoin('plan_task as t', 't.id', 'r.task_id')
    .select([
      'e.id',
      'e.progress_id',
      'e.file_name',
      'e.media_type',
      'e.size',
      'e.sha256',
      'e.removed_at',
      't.plan_id',
    ])
    .where('e.id', '=', id)
    .executeTakeFirst();
}

export const findPlanFileContent = (db: Db, id: number) => fileContent(db, 'plan_evidence', id);

export async function markPlanFileRemoved(db: Db, id: number): Promise<void> {
  await db
    .updateTable('plan_evidence')
    .set({ removed_at: new Date() })
    .where('id', '=', id)
    .execute();
}
