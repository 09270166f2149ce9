// The officials' side of an officials' survey (docs/officials.md): the invitation behind a
// single-use link with what its page shows, and the answer it carries. The answer row is
// written with its group and choices only, so that nothing joins it to the invitation.
import { sql } from 'kysely';
import type { Db } from './kysely.ts';

/**
 * The invitation of `token` with its group, unit and survey; with `lock`, the invitation's row
 * and its group's stay locked until the transaction ends, so that two submissions of one link
 * queue up, and so do two in one group, which each rewrite the group's answers
 * (storeOfficialResponse).
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
  return (lock ? query.forUpdate(['i', 'g']) : query).executeTakeFirst();
}

/** Marks the invitation used by the submission `key`; nothing else about the answer. */
export async function markInvitationUsed(db: Db, id: number, key: string): Promise<void> {
  await db
    .updateTable('official_invitation')
    .set({ used: true, submission_key: key })
    .where('id', '=', id)
    .execute();
}

/**
 * Stores one official's choices in their group, and writes the group's earlier answers again
 * beside them, in a random order under new random keys. Every answer of the group then bears
 * this transaction's id (PostgreSQL's hidden `xmin`, the same as the invitation marked used with
 * it) and a place in the table that says nothing of the order of arrival, so that neither pairs
 * one answer with one invitation (docs/officials.md, "Anonymity"). A group's n-th answer writes
 * n rows. The caller holds the group's lock (findInvitationByToken with `lock`).
 */
export async function storeOfficialResponse(
  db: Db,
  groupId: number,
  answers: readonly number[],
): Promise<void> {
  await sql`
    with earlier as (
      delete from official_response where group_id = ${groupId} returning answers
    )
    insert into official_response (group_id, answers)
    select ${groupId}, a.answers
    from (select answers from earlier union all select ${answers}::smallint[]) as a
    order by random()`.execute(db);
}
