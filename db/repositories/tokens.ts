// The tokens: API tokens with the accounts they act for, and each counter's survey (QR) token.
import { sql } from 'kysely';
import type { Role } from '../database.ts';
import type { Db } from './kysely.ts';

export async function insertAccountWithToken(
  db: Db,
  account: { name: string; role: Role; unitId: number | null },
  tokenHash: Buffer,
  ownerId: number | null = null,
): Promise<number> {
  const { id } = await db
    .insertInto('account')
    .values({ name: account.name, role: account.role, unit_id: account.unitId })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('api_token')
    .values({ account_id: id, token_hash: tokenHash, owner_id: ownerId })
    .execute();
  return id;
}

/** API tokens joined to the accounts they act for and those accounts' units, if any. */
const apiTokensWithAccounts = (db: Db) =>
  db
    .selectFrom('api_token as t')
    .innerJoin('account as a', 'a.id', 't.account_id')
    .leftJoin('unit as u', 'u.id', 'a.unit_id')
    .leftJoin('account as o', 'o.id', 't.owner_id');

/** The account behind an API token that is not revoked, with its unit's code. */
export async function findAccountByTokenHash(db: Db, tokenHash: Buffer) {
  return apiTokensWithAccounts(db)
    .select([
      't.id as token_id',
      't.revoked_at',
      't.last_used_at',
      'a.id',
      'a.name',
      'a.login',
      'a.role',
      'a.unit_id',
      'u.code as unit_code',
      'a.disabled_at',
    ])
    .where('t.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

/**
 * API tokens with their accounts, oldest first; with a prefix (lower-case hex), only those
 * whose SHA-256 digest begins with it.
 */
export async function listApiTokens(db: Db, digestPrefix?: string) {
  let query = apiTokensWithAccounts(db)
    .select([
      't.id',
      't.token_hash',
      't.account_id',
      'a.name',
      'a.role',
      'a.unit_id',
      'u.code as unit_code',
      't.created_at',
      't.revoked_at',
      't.last_used_at',
      'o.login as owner_login',
      'o.name as owner_name',
    ])
    .orderBy('t.created_at')
    .orderBy('t.id');
  if (digestPrefix !== undefined) {
    query = query.where(sql<string>`encode(t.token_hash, 'hex')`, 'like', `${digestPrefix}%`);
  }
  return query.execute();
}

export async function recordTokenUse(db: Db, tokenId: number): Promise<void> {
  await db
    .updateTable('api_token')
    .set({ last_used_at: new Date() })
    .where('id', '=', tokenId)
    .execute();
}

/** Revokes the API token; false if it already was. */
export async function revokeApiToken(db: Db, tokenId: number): Promise<boolean> {
  const result = await db
    .updateTable('api_token')
    .set({ revoked_at: new Date() })
    .where('id', '=', tokenId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Revokes the counter's active survey token and short code (if any) and stores the hashes of
 * the new ones.
 */
export async function replaceCounterToken(
  db: Db,
  counterId: number,
  tokenHash: Buffer,
  codeHash: Buffer,
) {
  await revokeCounterTokens(db, counterId);
  await db
    .insertInto('counter_token')
    .values([
      { counter_id: counterId, token_hash: tokenHash, kind: 'qr' },
      { counter_id: counterId, token_hash: codeHash, kind: 'code' },
    ])
    .execute();
}

export async function revokeCounterTokens(db: Db, counterId: number): Promise<number> {
  const result = await db
    .updateTable('counter_token')
    .set({ revoked_at: new Date() })
    .where('counter_id', '=', counterId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function findCounterTokenByHash(db: Db, tokenHash: Buffer) {
  return db
    .selectFrom('counter_token')
    .select(['counter_id', 'revoked_at'])
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
}
