// What an officials' survey's results read besides the leaf sums (analysis/queries/
// official-leaf-sums.sql): the survey with its framework, and its groups with their units and
// counts of answers.
import type { Db } from './kysely.ts';

export async function findSurveyWithFramework(db: Db, code: string) {
  return db
    .selectFrom('official_survey as s')
    .innerJoin('par_framework as f', 'f.id', 's.framework_id')
    .select([
      's.id',
      's.code',
      's.name',
      's.instrument_id',
      's.framework_id',
      's.period',
      's.min_group',
      'f.code as framework',
    ])
    .where('s.code', '=', code)
    .executeTakeFirst();
}

/** The survey's groups by unit code and group name, each with its answers counted. */
export async function findGroupsWithAnswers(db: Db, surveyId: number) {
  return db
    .selectFrom('official_group as g')
    .innerJoin('unit as u', 'u.id', 'g.unit_id')
    .leftJoin('official_response as r', 'r.group_id', 'g.id')
    .select(({ fn }) => [
      'g.id',
      'g.name',
      'g.invited',
      'g.unit_id as unitId',
      'u.code as unit',
      'u.name as unitName',
      fn.count<number>('r.id').as('answered'),
    ])
    .where('g.survey_id', '=', surveyId)
    .groupBy(['g.id', 'g.name', 'g.invited', 'g.unit_id', 'u.code', 'u.name'])
    .orderBy('u.code')
    .orderBy('g.name')
    .execute();
}
