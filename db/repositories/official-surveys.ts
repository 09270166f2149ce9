// The officials' survey as its staff run it (par-cycle.md §5, docs/officials.md): surveys,
// their groups of invited respondents, and the groups' single-use links; the survey and the
// groups' counts are what the results read too. Nothing here reads an answer beyond counting a
// group's: what an answer holds is the scoring's (analysis/queries/official-leaf-sums.sql).
import { sql } from 'kysely';
import type { Db } from './kysely.ts';

/** Rows a single insert carries, within the engines' parameter limits. */
const INSERT_CHUNK = 1000;

const surveyColumns = [
  's.id',
  's.code',
  's.name',
  's.period',
  's.opens_on',
  's.closes_on',
  's.min_group',
  's.created_by',
  's.created_at',
  's.instrument_id',
  's.framework_id',
  'i.code as instrument_code',
  'f.code as framework_code',
] as const;

const surveys = (db: Db) =>
  db
    .selectFrom('official_survey as s')
    .innerJoin('official_instrument as i', 'i.id', 's.instrument_id')
    .innerJoin('par_framework as f', 'f.id', 's.framework_id')
    .select(surveyColumns);

export async function findSurveyByCode(db: Db, code: string) {
  return surveys(db).where('s.code', '=', code).executeTakeFirst();
}

/** The survey, its row locked: the imports and reissues of one survey take turns. */
export async function lockSurveyByCode(db: Db, code: string) {
  return surveys(db).where('s.code', '=', code).forUpdate('s').executeTakeFirst();
}

export type SurveyRow = NonNullable<Awaited<ReturnType<typeof findSurveyByCode>>>;

/** Every survey, the latest opening first. */
export async function listSurveys(db: Db) {
  return surveys(db).orderBy('s.opens_on', 'desc').orderBy('s.code').execute();
}

export async function insertSurvey(
  db: Db,
  values: {
    code: string;
    name: string;
    instrument_id: number;
    framework_id: number;
    period: string;
    opens_on: string;
    closes_on: string;
    min_group: number;
    created_by: string;
  },
): Promise<void> {
  await db.insertInto('official_survey').values(values).execute();
}

export async function updateSurvey(
  db: Db,
  id: number,
  values: { name?: string; closes_on?: string },
): Promise<void> {
  await db.updateTable('official_survey').set(values).where('id', '=', id).execute();
}

/** The survey's groups, each with its unit's code. */
export async function listGroups(db: Db, surveyId: number) {
  return db
    .selectFrom('official_group as g')
    .innerJoin('unit as u', 'u.id', 'g.unit_id')
    .select(['g.id', 'g.unit_id', 'u.code as unit_code', 'g.name', 'g.invited'])
    .where('g.survey_id', '=', surveyId)
    .execute();
}

/** Inserts the groups, in chunks; returns each one's id with its unit and name. */
export async function insertGroups(
  db: Db,
  rows: readonly { survey_id: number; unit_id: number; name: string; invited: number }[],
) {
  const inserted: { id: number; unit_id: number; name: string }[] = [];
  for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
    inserted.push(
      ...(await db
        .insertInto('official_group')
        .values(rows.slice(start, start + INSERT_CHUNK))
        .returning(['id', 'unit_id', 'name'])
        .execute()),
    );
  }
  return inserted;
}

export async function setGroupInvited(db: Db, groupId: number, invited: number): Promise<void> {
  await db.updateTable('official_group').set({ invited }).where('id', '=', groupId).execute();
}

/** Links the survey holds: used, unused and revoked. */
export async function countInvitations(db: Db, surveyId: number): Promise<number> {
  const row = await db
    .selectFrom('official_invitation as v')
    .innerJoin('official_group as g', 'g.id', 'v.group_id')
    .select(({ fn }) => fn.countAll<string>().as('n'))
    .where('g.survey_id', '=', surveyId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Inserts the links, in chunks; returns their ids in the order given. */
export async function insertInvitations(
  db: Db,
  rows: readonly { group_id: number; token: string; replaces?: number }[],
): Promise<number[]> {
  const ids: number[] = [];
  for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
    const inserted = await db
      .insertInto('official_invitation')
      .values(rows.slice(start, start + INSERT_CHUNK))
      .returning('id')
      .execute();
    ids.push(...inserted.map((row) => row.id));
  }
  return ids;
}

/**
 * The survey's links with their unit and group, by unit, group and number; only those of
 * `unitIds` unless null. Whether a link was used is not selected: nobody staff-side reads it.
 */
export async function listInvitations(db: Db, surveyId: number, unitIds: number[] | null) {
  if (unitIds?.length === 0) return [];
  let query = db
    .selectFrom('official_invitation as v')
    .innerJoin('official_group as g', 'g.id', 'v.group_id')
    .innerJoin('unit as u', 'u.id', 'g.unit_id')
    .select([
      'v.id',
      'v.token',
      'v.issued_at',
      'v.revoked_at',
      'u.code as unit_code',
      'u.name as unit_name',
      'g.name as group_name',
    ])
    .where('g.survey_id', '=', surveyId);
  if (unitIds) query = query.where('g.unit_id', 'in', unitIds);
  return query.orderBy('u.code').orderBy('g.name').orderBy('v.id').execute();
}

/** One link of the survey, locked, with its group's unit; undefined when the survey has none. */
export async function lockInvitation(db: Db, surveyId: number, id: number) {
  return db
    .selectFrom('official_invitation as v')
    .innerJoin('official_group as g', 'g.id', 'v.group_id')
    .innerJoin('unit as u', 'u.id', 'g.unit_id')
    .select([
      'v.id',
      'v.group_id',
      'v.used',
      'v.revoked_at',
      'g.name as group_name',
      'g.unit_id',
      'u.code as unit_code',
    ])
    .where('g.survey_id', '=', surveyId)
    .where('v.id', '=', id)
    .forUpdate('v')
    .executeTakeFirst();
}

export async function revokeInvitation(db: Db, id: number, reason: string): Promise<void> {
  await db
    .updateTable('official_invitation')
    .set({ revoked_at: sql<Date>`now()`, revoke_reason: reason })
    .where('id', '=', id)
    .execute();
}

/**
 * Per group of the survey (of `unitIds` unless null): its unit, invited, answers stored and
 * links revoked, counted in the database. By unit code, then group name.
 */
export async function groupCounts(db: Db, surveyId: number, unitIds: number[] | null) {
  if (unitIds?.length === 0) return [];
  let query = db
    .selectFrom('official_group as g')
    .innerJoin('unit as u', 'u.id', 'g.unit_id')
    .select((eb) => [
      'g.id',
      'g.unit_id',
      'u.code as unit_code',
      'u.name as unit_name',
      'g.name',
      'g.invited',
      eb
        .selectFrom('official_response as r')
        .whereRef('r.group_id', '=', 'g.id')
        .select(({ fn }) => fn.countAll<string>().as('n'))
        .as('answered'),
      eb
        .selectFrom('official_invitation as v')
        .whereRef('v.group_id', '=', 'g.id')
        .where('v.revoked_at', 'is not', null)
        .select(({ fn }) => fn.countAll<string>().as('n'))
        .as('revoked'),
    ])
    .where('g.survey_id', '=', surveyId);
  if (unitIds) query = query.where('g.unit_id', 'in', unitIds);
  return query.orderBy('u.code').orderBy('g.name').execute();
}
