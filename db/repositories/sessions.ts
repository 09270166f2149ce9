// Browser sessions (only the digest of each secret) and the one-time first-admin links.
import { sql } from 'kysely';
import type { Db } from './kysely.ts';

export async function insertSession(
  db: Db,
  session: { accountId: number; secretHash: Buffer; csrfToken: string; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto('session')
    .values({
      account_id: session.accountId,
      secret_hash: session.secretHash,
      csrf_token: session.csrfToken,
      expires_at: session.expiresAt,
    })
    .execute();
}

/** The session with its account (and the account's unit code), whatever its state. */
export async function findSessionByHash(db: Db, secretHash: Buffer) {
  return db
    .selectFrom('session as s')
    .innerJoin('account as a', 'a.id', 's.account_id')
    .leftJoin('unit as u', 'u.id', 'a.unit_id')
    .select([
      's.id as session_id',
      's.csrf_token',
      's.last_seen_at',
      's.expires_at',
      'a.id',
      'a.name',
      'a.login',
      'a.role',
      'a.unit_id',
      'u.code as unit_code',
      'a.disabled_at',
    ])
    .where('s.secret_hash', '=', secretHash)
    .executeTakeFirst();
}

export async function touchSession(db: Db, sessionId: number): Promise<void> {
  await db
    .updateTable('session')
    .set({ last_seen_at: new Date() })
    .where('id', '=', sessionId)
    .execute();
}

export async function deleteSession(db: Db, secretHash: Buffer): Promise<number | undefined> {
  const row = await db
    .deleteFrom('session')
    .where('secret_hash', '=', secretHash)
    .returning('account_id')
    .executeTakeFirst();
  return row?.account_id;
}

export async function deleteSessionById(db: Db, sessionId: number): Promise<void> {
  await db.deleteFrom('session').where('id', '=', sessionId).execute();
}

/** Ends every session of the account (disabled, or its password reset). */
export async function deleteAccountSessions(db: Db, accountId: number): Promise<number> {
  const result = await db
    .deleteFrom('session')
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function insertSetupToken(db: Db, tokenHash: Buffer, expiresAt: Date): Promise<void> {
  await db
    .insertInto('setup_token')
    .values({ token_hash: tokenHash, expires_at: expiresAt })
    .execute();
}

/** Uses the link if it is unused and unexpired: true once, false ever after. */
export async function useSetupToken(db: Db, tokenHash: Buffer): Promise<boolean> {
  const result = await db
    .updateTable('setup_token')
    .set({ used_at: sql<Date>`now()` })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
