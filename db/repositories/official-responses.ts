// The officials' side of an officials' survey (docs/officials.md): the invitation behind a
// single-use link with what its page shows, and the answer it carries. The answer row is
// written with its group and choices only, so that nothing joins it to the invitation.
import type { Db } from './kysely.ts';

/**
 * The invitation of `token` with its group, unit and survey; with `lock`, the invitation's row
 * stays locked until the transaction ends, so that two submissions of one link queue up.
 */
export async function findInvitationByToken(db: Db, token: string, { lock = false } = {}) {
  const query = db
    .selectFrom('official_invitation as i')
    .innerJoin('official_group as g', 'g.id', 'i.group_id')
    .innerJoin('official_survey as s', 's.id', 'g.survey_id')
    .innerJoin('unit as u', 'u.id', 'g.unit_id')
    .select([
      'i.id',
      'i.group_id',
      'i.used',
      'i.submission_key',
      'i.revoked_at',
      'g.name as group_name',
      'u.name as unit_name',
      's.name as survey_name',
      's.opens_on',
      's.closes_on',
      's.instrument_id',
    ])
    .where('i.token', '=', token);
  return (lock ? query.forUpdate('i') : query).executeTakeFirst();
}

/** Marks the invitation used by the submission `key`; nothing else about the answer. */
export async function markInvitationUsed(db: Db, id: number, key: string): Promise<void> {
  await db
    .updateTable('official_invitation')
    .set({ used: true, submission_key: key })
    .where('id', '=', id)
    .execute();
}

/** Stores one official's choices in their group; the key is random (gen_random_uuid). */
export async function insertOfficialResponse(
  db: Db,
  groupId: number,
  answers: number[],
): Promise<void> {
  await db.insertInto('official_response').values({ group_id: groupId, answers }).execute();
}
