// PAR self-assessments (par-cycle.md §2, docs/assessment.md): rounds, one unit's assessment in a
// round, its leaves, and its evidence files' metadata (never their content, which only the
// evidence download reads), and the unit's ancestors on a period's map that decide who appraises.
import { sql } from 'kysely';
import type { AssessmentState } from '../../shared/assessment.ts';
import type { Db } from './kysely.ts';
import { validOn, type Day } from './links.ts';

export async function findRound(db: Db, frameworkId: number, period: string) {
  return db
    .selectFrom('assessment_round')
    .select(['id', 'framework_id', 'period', 'peers', 'deadline', 'stages'])
    .where('framework_id', '=', frameworkId)
    .where('period', '=', period)
    .executeTakeFirst();
}

/** The new round's id, or undefined when the framework's period has one already. */
export async function insertRound(
  db: Db,
  round: { frameworkId: number; period: string; peers: string; deadline: Day; stages: string[] },
) {
  const row = await db
    .insertInto('assessment_round')
    .values({
      framework_id: round.frameworkId,
      period: round.period,
      peers: round.peers,
      deadline: round.deadline,
      stages: JSON.stringify(round.stages),
    })
    .onConflict((oc) => oc.columns(['framework_id', 'period']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

const assessmentColumns = ['id', 'unit_id', 'state', 'stage', 'submitted_at'] as const;

/** The unit's assessment in the round, locked until the transaction ends (one writer at a time). */
export async function findAssessment(db: Db, roundId: number, unitId: number) {
  return db
    .selectFrom('assessment')
    .select(assessmentColumns)
    .where('round_id', '=', roundId)
    .where('unit_id', '=', unitId)
    .forUpdate()
    .executeTakeFirst();
}

/** The unit's new draft, or the one a concurrent first write made meanwhile, locked. */
export async function insertAssessment(db: Db, roundId: number, unitId: number) {
  await db
    .insertInto('assessment')
    .values({ round_id: roundId, unit_id: unitId })
    .onConflict((oc) => oc.columns(['round_id', 'unit_id']).doNothing())
    .execute();
  return db
    .selectFrom('assessment')
    .select(assessmentColumns)
    .where('round_id', '=', roundId)
    .where('unit_id', '=', unitId)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

export async function updateAssessment(
  db: Db,
  id: number,
  change: { state: AssessmentState; stage?: number; submittedAt?: Date },
) {
  await db
    .updateTable('assessment')
    .set({
      state: change.state,
      ...(change.stage === undefined ? {} : { stage: change.stage }),
      ...(change.submittedAt === undefined ? {} : { submitted_at: change.submittedAt }),
      updated_at: sql`now()`,
    })
    .where('id', '=', id)
    .execute();
}

/** The round's assessments, with each unit's code. */
export async function listAssessments(db: Db, roundId: number) {
  return db
    .selectFrom('assessment as a')
    .innerJoin('unit as u', 'u.id', 'a.unit_id')
    .select(['a.id', 'a.unit_id', 'u.code', 'a.state', 'a.stage', 'a.submitted_at'])
    .where('a.round_id', '=', roundId)
    .orderBy('u.code')
    .execute();
}

/** The assessments of every round in these states, with their round and unit. */
export async function listAssessmentsIn(db: Db, states: readonly AssessmentState[]) {
  return db
    .selectFrom('assessment as a')
    .innerJoin('assessment_round as r', 'r.id', 'a.round_id')
    .innerJoin('par_framework as f', 'f.id', 'r.framework_id')
    .innerJoin('unit as u', 'u.id', 'a.unit_id')
    .select([
      'a.id',
      'a.unit_id',
      'u.code as unit',
      'u.name as unit_name',
      'a.state',
      'a.stage',
      'a.submitted_at',
      'f.code as framework',
      'r.period',
      'r.stages',
    ])
    .where('a.state', 'in', [...states])
    .orderBy('a.submitted_at')
    .orderBy('a.id')
    .execute();
}

const leafColumns = [
  'node',
  'self_score',
  'explanation',
  'document_refs',
  'not_applicable',
  'not_applicable_reason',
  'not_applicable_accepted',
  'appraised_score',
  'appraisal_reason',
  'returned',
  'return_comment',
] as const;

export async function findLeaves(db: Db, assessmentId: number) {
  return db
    .selectFrom('assessment_leaf')
    .select(leafColumns)
    .where('assessment_id', '=', assessmentId)
    .execute();
}

/** The leaves of every assessment of the round, for its overview. */
export async function findRoundLeaves(db: Db, roundId: number) {
  return db
    .selectFrom('assessment_leaf as l')
    .innerJoin('assessment as a', 'a.id', 'l.assessment_id')
    .select(['l.assessment_id', 'l.node', 'l.self_score', 'l.not_applicable', 'l.returned'])
    .where('a.round_id', '=', roundId)
    .execute();
}

export interface LeafValues {
  self_score: number | null;
  explanation: string | null;
  document_refs: unknown[];
  not_applicable: boolean;
  not_applicable_reason: string | null;
  not_applicable_accepted: boolean | null;
  appraised_score: number | null;
  appraisal_reason: string | null;
  returned: boolean;
  return_comment: string | null;
}

/** Writes a leaf whole, creating it on its first write. */
export async function saveLeaf(db: Db, assessmentId: number, node: string, leaf: LeafValues) {
  const values = {
    ...leaf,
    document_refs: JSON.stringify(leaf.document_refs),
    updated_at: sql<Date>`now()`,
  };
  await db
    .insertInto('assessment_leaf')
    .values({ assessment_id: assessmentId, node, ...values })
    .onConflict((oc) => oc.columns(['assessment_id', 'node']).doUpdateSet(values))
    .execute();
}

/** Clears every leaf's return (a new return, or a finished stage). */
export async function clearReturns(db: Db, assessmentId: number) {
  await db
    .updateTable('assessment_leaf')
    .set({ returned: false, return_comment: null })
    .where('assessment_id', '=', assessmentId)
    .where('returned', '=', true)
    .execute();
}

/** The evidence files held on the assessment's leaves (removed ones left out): metadata only. */
export async function listEvidence(db: Db, assessmentId: number) {
  return db
    .selectFrom('evidence')
    .select([
      'id',
      'node',
      'file_name',
      'media_type',
      'size',
      'sha256',
      'uploaded_at',
      'uploaded_by',
    ])
    .where('assessment_id', '=', assessmentId)
    .where('removed_at', 'is', null)
    .orderBy('id')
    .execute();
}

/**
 * The unit's id and its ancestors' on the map of the day `on` (its dated parent links valid that
 * day), or on the latest map; from the unit up.
 */
export async function findAncestorsOn(db: Db, unitId: number, on: Day | null): Promise<number[]> {
  const links =
    on === null
      ? sql`select id as unit_id, parent_id from unit where parent_id is not null`
      : sql`select l.unit_id, l.parent_id from unit_parent l where ${validOn('l', on)}`;
  const { rows } = await sql<{ id: number }>`
    with recursive links (unit_id, parent_id) as (${links}),
    up (id, depth) as (
      select ${unitId}::int, 0
      union all
      select links.parent_id, up.depth + 1 from links join up on links.unit_id = up.id
      where up.depth < 64
    )
    select id from up order by depth
  `.execute(db);
  return rows.map((row) => row.id);
}

/** The units of these ids with their code, name and type, by code. */
export async function findUnitsByIds(db: Db, ids: readonly number[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('unit')
    .select(['id', 'code', 'name', 'type'])
    .where('id', 'in', [...ids])
    .orderBy('code')
    .execute();
}
