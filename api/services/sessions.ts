// Browser sessions of staff accounts. The cookie holds a 256-bit secret; the database holds
// only its SHA-256 digest (as for API tokens), so a dump of it lets nobody in. A session ends
// after 8 hours without a request or 7 days after sign-in, whichever comes first; disabling
// the account ends it at once. Each session has its CSRF token, which the console sends back
// in a header on every write (api/routes/auth.ts). Every sign-in, whichever its method, and
// every sign-out is audited here, the one place all of them go through.
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, Db } from '../../db/database.ts';
import * as audit from '../../db/repositories/audit.ts';
import * as sessions from '../../db/repositories/sessions.ts';
import { hashToken, type Account } from './credentials.ts';

export const SESSION_IDLE_MS = 8 * 60 * 60 * 1000;
export const SESSION_ABSOLUTE_MS = 7 * 24 * 60 * 60 * 1000;
/** A session's last-seen time is written at most this often, not on every request. */
const TOUCH_EVERY_MS = 60_000;

export interface OpenedSession {
  /** The cookie's value: shown to the browser once, never stored. */
  readonly secret: string;
  /** The value the console sends in `X-CSRF-Token` on every write. */
  readonly csrf: string;
  /** The absolute end of the session. */
  readonly expiresAt: Date;
}

/**
 * How the person proved who they are: their password, the first-admin link (with the password
 * just chosen), or the single sign-on provider (its issuer).
 */
export type SignInMethod =
  | { readonly method: 'password' }
  | { readonly method: 'setup' }
  | { readonly method: 'oidc'; readonly issuer: string };

/**
 * Opens a session for the account, whose password or identity was checked by the method;
 * audited as `session.sign-in` with the login and the method.
 */
export async function openSession(
  db: Kysely<Database>,
  account: Pick<Account, 'id' | 'login'>,
  how: SignInMethod,
): Promise<OpenedSession> {
  const secret = randomBytes(32).toString('base64url');
  const csrf = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + SESSION_ABSOLUTE_MS);
  await db.transaction().execute(async (trx) => {
    await sessions.insertSession(trx, {
      accountId: account.id,
      secretHash: hashToken(secret),
      csrfToken: csrf,
      expiresAt,
    });
    await audit.recordAudit(trx, {
      actor: `account:${account.id}`,
      action: 'session.sign-in',
      subject: `account:${account.id}`,
      detail: { login: account.login, ...how },
    });
  });
  return { secret, csrf, expiresAt };
}

export interface ActiveSession {
  readonly account: Account;
  readonly csrf: string;
}

/**
 * The account behind a session cookie, or undefined when the session is unknown, expired
 * (idle or absolute; it is then deleted) or its account disabled.
 */
export async function sessionAccount(db: Db, secret: string): Promise<ActiveSession | undefined> {
  const row = await sessions.findSessionByHash(db, hashToken(secret));
  if (!row || row.disabled_at !== null) return undefined;
  const now = Date.now();
  if (row.expires_at.getTime() <= now || row.last_seen_at.getTime() + SESSION_IDLE_MS <= now) {
    await sessions.deleteSessionById(db, row.session_id);
    return undefined;
  }
  if (now - row.last_seen_at.getTime() >= TOUCH_EVERY_MS) {
    await sessions.touchSession(db, row.session_id);
  }
  return {
    account: {
      id: row.id,
      name: row.name,
      login: row.login,
      role: row.role,
      unitId: row.unit_id,
      unitCode: row.unit_code,
    },
    csrf: row.csrf_token,
  };
}

/** Ends the session (sign-out), audited as `session.sign-out` when there was one. */
export async function closeSession(db: Kysely<Database>, secret: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const accountId = await sessions.deleteSession(trx, hashToken(secret));
    if (accountId === undefined) return;
    await audit.recordAudit(trx, {
      actor: `account:${accountId}`,
      action: 'session.sign-out',
      subject: `account:${accountId}`,
    });
  });
}
