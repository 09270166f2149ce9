// The identities at OpenID Connect providers that sign in as staff accounts (single sign-on).
import type { Db } from './kysely.ts';

/** The account an identity signs in as, if it was linked. */
export async function findAccountIdOfIdentity(
  db: Db,
  issuer: string,
  subject: string,
): Promise<number | undefined> {
  const row = await db
    .selectFrom('account_identity')
    .select('account_id')
    .where('issuer', '=', issuer)
    .where('subject', '=', subject)
    .executeTakeFirst();
  return row?.account_id;
}

/**
 * Links an identity to an account, unless the identity or the account at that issuer is linked
 * already (two first sign-ins at once): then nothing, and the caller reads what holds.
 */
export async function linkIdentity(
  db: Db,
  identity: { issuer: string; subject: string; accountId: number },
): Promise<void> {
  await db
    .insertInto('account_identity')
    .values({
      issuer: identity.issuer,
      subject: identity.subject,
      account_id: identity.accountId,
    })
    .onConflict((conflict) => conflict.doNothing())
    .execute();
}
