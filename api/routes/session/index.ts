// Signing in and out of the console with a login and password, and the first admin's setup.
// The reply to a sign-in carries the session's CSRF token; the session itself travels only in
// the HttpOnly cookie (./cookie.ts).
import { createRoute, z } from '@hono/zod-openapi';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import type { Config } from '../../config.ts';
import { DomainError, text, TooManyRequests } from '../../errors.ts';
import { checkPassword, completeSetup, loginSchema } from '../../services/accounts.ts';
import { clientAddressResolver } from '../../services/client-address.ts';
import type { Account } from '../../services/credentials.ts';
import { AttemptLimiter } from '../../services/rate-limit.ts';
import {
  closeSession,
  openSession,
  sessionAccount,
  type OpenedSession,
} from '../../services/sessions.ts';
import { PASSWORD_MAX_LENGTH } from '../../services/passwords.ts';
import { assertSameOriginWrite } from '../auth.ts';
import type { AppEnv } from '../env.ts';
import { bodyProblems, json, jsonBody, problems } from '../openapi.ts';
import { apiApp, jsonBodyLimit } from '../validation.ts';
import { clearSessionCookie, sessionCookieOf, setSessionCookie } from './cookie.ts';
import { meSchema } from './schemas.ts';

/** Failed sign-ins allowed per login, and per client address, in each window. */
const FAILURES_PER_LOGIN = 10;
const FAILURES_PER_ADDRESS = 50;
const FAILURE_WINDOW_MS = 15 * 60 * 1000;

const WRONG = text('Tên đăng nhập hoặc mật khẩu không đúng.', 'Wrong login or password.');

const credentialsSchema = z
  .strictObject({
    login: z.string().min(1).max(200).openapi({ example: 'lan.nguyen' }),
    password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
  })
  .openapi('Credentials');

export const signedInSchema = z
  .object({
    account: meSchema,
    expiresAt: z.string().openapi({ format: 'date-time', description: 'The absolute end' }),
  })
  .openapi('SignedIn');

const signIn = createRoute({
  method: 'post',
  path: '/api/v1/session',
  tags: ['session'],
  summary: 'Sign in with a login and password',
  description:
    'Sets the `sipas_session` cookie (HttpOnly, SameSite=Lax, Path=/, Secure over HTTPS) and ' +
    'answers the account with its `csrfToken`, to send as `X-CSRF-Token` on every write. ' +
    'An unknown login, a wrong password and a disabled account get the same 401. After ' +
    `${FAILURES_PER_LOGIN} failures for one login, or ${FAILURES_PER_ADDRESS} from one address, ` +
    'within 15 minutes: 429 with `Retry-After`. A session ends after 8 hours without a ' +
    'request, 7 days after sign-in, at sign-out, or when the account is disabled.',
  middleware: [jsonBodyLimit],
  request: { body: jsonBody(credentialsSchema) },
  responses: {
    200: { description: 'Signed in', content: json(signedInSchema) },
    ...bodyProblems({
      401: 'Wrong login or password (or a disabled account)',
      403: 'From another site',
      429: 'Too many failures: wait Retry-After seconds',
    }),
  },
});

const signOut = createRoute({
  method: 'delete',
  path: '/api/v1/session',
  tags: ['session'],
  summary: 'Sign out: end the session and clear its cookie',
  description: "With the cookie, takes the session's `X-CSRF-Token`. Without one, does nothing.",
  security: [{ sessionCookie: [] }],
  responses: {
    204: { description: 'Signed out' },
    ...problems({ 403: 'Without the CSRF token, or from another site' }),
  },
});

const setup = createRoute({
  method: 'post',
  path: '/api/v1/setup',
  tags: ['session'],
  summary: 'Create the first admin with the one-time link printed at start-up',
  description:
    'While no admin can sign in, the server prints `/setup#TOKEN` when it starts: the token ' +
    'works once, within an hour. The new admin is signed in, as by `POST /api/v1/session`.',
  middleware: [jsonBodyLimit],
  request: {
    body: jsonBody(
      z
        .strictObject({
          token: z.string().openapi({ description: 'What follows `#` in the setup link' }),
          login: loginSchema,
          name: z.string(),
          password: z.string().openapi({ description: 'At least 10 characters' }),
        })
        .openapi('Setup'),
    ),
  },
  responses: {
    200: { description: 'The first admin, signed in', content: json(signedInSchema) },
    ...bodyProblems({ 403: 'An unknown, used or expired link, or an admin exists', 409: 'Taken' }),
  },
});

function peerAddress(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    return undefined;
  }
}

/** The account as GET /api/v1/me shows it. */
export const shownAccount = (account: Account, csrfToken: string | null) => ({
  login: account.login,
  name: account.name,
  role: account.role,
  unit: account.role === 'admin' ? null : account.unitCode,
  csrfToken,
});

function signedIn(c: Context<AppEnv>, account: Account, opened: OpenedSession) {
  setSessionCookie(c, opened);
  c.header('Cache-Control', 'no-store');
  return { account: shownAccount(account, opened.csrf), expiresAt: opened.expiresAt.toISOString() };
}

export function sessionRoutes(config: Config) {
  const perLogin = new AttemptLimiter(FAILURES_PER_LOGIN, FAILURE_WINDOW_MS);
  const perAddress = new AttemptLimiter(FAILURES_PER_ADDRESS, FAILURE_WINDOW_MS);
  const clientAddress = clientAddressResolver(config.trustedProxies);
  return apiApp<AppEnv>()
    .openapi(signIn, async (c) => {
      assertSameOriginWrite(c, null);
      const { login, password } = c.req.valid('json');
      const loginKey = login.trim().toLowerCase();
      const address = clientAddress(peerAddress(c), c.req.header('x-forwarded-for')) ?? '';
      const wait = Math.max(perLogin.retryAfter(loginKey), perAddress.retryAfter(address));
      if (wait > 0) {
        throw new TooManyRequests(
          text(
            'Đăng nhập sai quá nhiều lần; hãy thử lại sau.',
            'Too many failed sign-ins; try again later.',
          ),
          wait,
        );
      }
      const account = await checkPassword(c.var.db, login, password);
      if (!account) {
        perLogin.fail(loginKey);
        perAddress.fail(address);
        throw new DomainError('unauthorized', WRONG);
      }
      const opened = await openSession(c.var.db, account, { method: 'password' });
      return c.json(signedIn(c, account, opened), 200);
    })
    .openapi(signOut, async (c) => {
      const secret = sessionCookieOf(c);
      if (secret !== undefined) {
        const session = await sessionAccount(c.var.db, secret);
        assertSameOriginWrite(c, session?.csrf ?? null);
        await closeSession(c.var.db, secret);
      }
      clearSessionCookie(c);
      return c.body(null, 204);
    })
    .openapi(setup, async (c) => {
      assertSameOriginWrite(c, null);
      const account = await completeSetup(c.var.db, c.req.valid('json'));
      const opened = await openSession(c.var.db, account, { method: 'setup' });
      return c.json(signedIn(c, account, opened), 200);
    });
}
