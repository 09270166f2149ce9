// Which staff account an identity at the single sign-on provider signs in as. An administrator
// creates accounts and gives them roles; single sign-on never does. An identity is linked for
// good, by its issuer and subject, at its first sign-in, to the enabled account whose login is
// the provider's login claim; from then on the claim no longer matters, so that a username the
// provider hands to someone else later does not carry the account with it.
import type { Db } from '../../db/database.ts';
import * as accounts from '../../db/repositories/accounts.ts';
import * as audit from '../../db/repositories/audit.ts';
import * as identities from '../../db/repositories/identities.ts';
import { DomainError, text } from '../errors.ts';
import type { Account } from './credentials.ts';
import type { VerifiedIdentity } from './oidc.ts';

const refused = (vi: string, en: string) =>
  new DomainError(
    'forbidden',
    text(`${vi}; hãy liên hệ quản trị viên.`, `${en}; ask your administrator.`),
  );

/**
 * The account the identity signs in as, linking it at its first sign-in; refused (403) when no
 * enabled account answers to it. The link is audited as `account.link-identity` (the sign-in,
 * by the session it opens: api/services/sessions.ts).
 */
export async function signInWithIdentity(
  db: Db,
  identity: VerifiedIdentity,
  loginClaim: string,
): Promise<Pick<Account, 'id' | 'login'>> {
  return db.transaction().execute(async (trx) => {
    const linked = await identities.findAccountIdOfIdentity(trx, identity.issuer, identity.subject);
    const account =
      linked === undefined
        ? await linkAtFirstSignIn(trx, identity, loginClaim)
        : await accounts.findStaffAccountById(trx, linked);
    if (!account || account.disabled_at !== null) {
      throw refused('Tài khoản này đã bị khoá', 'This account is disabled');
    }
    return { id: account.id, login: account.login };
  });
}

/** The account whose login is the identity's login claim, now linked to the identity. */
async function linkAtFirstSignIn(trx: Db, identity: VerifiedIdentity, loginClaim: string) {
  if (identity.login === undefined) {
    throw refused(
      `Máy chủ đăng nhập một cửa không gửi thông tin ${loginClaim} nên không tìm được tài khoản`,
      `The single sign-on provider sent no ${loginClaim} claim, so no account could be found`,
    );
  }
  const account = await accounts.findStaffAccountByLogin(trx, identity.login);
  if (!account) {
    throw refused(
      `Không có tài khoản nào cho danh tính này (${identity.login})`,
      `No account for this identity (${identity.login})`,
    );
  }
  // A disabled account is refused by the caller, and this link rolled back with it.
  await identities.linkIdentity(trx, { ...identity, accountId: account.id });
  // Read back: another identity linked to the account before, or a first sign-in of this one
  // at the same moment, holds instead.
  const holder = await identities.findAccountIdOfIdentity(trx, identity.issuer, identity.subject);
  if (holder !== account.id) {
    throw refused(
      `Tài khoản ${account.login} đã gắn với một danh tính khác ở máy chủ đăng nhập này`,
      `Account ${account.login} is linked to another identity at this provider`,
    );
  }
  await audit.recordAudit(trx, {
    actor: `account:${account.id}`,
    action: 'account.link-identity',
    subject: `account:${account.id}`,
    detail: { login: account.login, issuer: identity.issuer, subject: identity.subject },
  });
  return account;
}
