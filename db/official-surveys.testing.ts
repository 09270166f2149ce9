// Test support for the officials' side: a survey with one group of invitations, written
// straight into the tables (the staff's service that issues them is tested on its own).
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from './database.ts';

export interface SeededSurvey {
  groupId: number;
  /** One token per invitation, in the order issued. */
  tokens: string[];
}

/**
 * The built-in par-officials-2020 survey on par-2020-province, open `opensOn` through
 * `closesOn`, with `invited` links for one group of `unit` (a unit of the example organisation).
 */
export async function seedOfficialSurvey(
  db: Kysely<Database>,
  {
    code = 'CB-2026',
    unit = 'BRVT.SKHDT',
    opensOn = '2026-11-01',
    closesOn = '2026-11-30',
    invited = 10,
  } = {},
): Promise<SeededSurvey> {
  const instrument = await db
    .selectFrom('official_instrument')
    .select('id')
    .where('code', '=', 'par-officials-2020')
    .executeTakeFirstOrThrow();
  const framework = await db
    .selectFrom('par_framework')
    .select('id')
    .where('code', '=', 'par-2020-province')
    .executeTakeFirstOrThrow();
  const { id: unitId } = await db
    .selectFrom('unit')
    .select('id')
    .where('code', '=', unit)
    .executeTakeFirstOrThrow();
  const survey = await db
    .insertInto('official_survey')
    .values({
      code,
      name: 'Điều tra cán bộ 2026',
      instrument_id: instrument.id,
      framework_id: framework.id,
      period: '2026',
      opens_on: opensOn,
      closes_on: closesOn,
      created_by: 'test',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const group = await db
    .insertInto('official_group')
    .values({ survey_id: survey.id, unit_id: unitId, name: 'Lãnh đạo phòng', invited })
    .returning('id')
    .executeTakeFirstOrThrow();
  const tokens = Array.from({ length: invited }, () => randomBytes(16).toString('base64url'));
  await db
    .insertInto('official_invitation')
    .values(tokens.map((token) => ({ group_id: group.id, token })))
    .execute();
  return { groupId: group.id, tokens };
}

/** Every item of par-officials-2020 (LD1…LD8) answered with `option`, or as given. */
export function allAnswered(option = 'A', given: Record<string, unknown> = {}) {
  const answers: Record<string, unknown> = {};
  for (let i = 1; i <= 8; i++) answers[`LD${i}`] = option;
  return { ...answers, ...given };
}
