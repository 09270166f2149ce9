// Single sign-on through the province's OpenID Connect provider (api/services/oidc.ts): the
// console's "Đăng nhập bằng tài khoản một cửa" link leaves for the provider here, and the
// provider sends the browser back to the callback, which opens a session as on a password
// sign-in. Both are browser navigations: a refusal is a page to read, not problem+json.
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { html } from 'hono/html';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { OIDC_CALLBACK_PATH, type Config } from '../../config.ts';
import { DomainError, errorStatus, text } from '../../errors.ts';
import { signInWithIdentity } from '../../services/identities.ts';
import { pendingSignInSchema, singleSignOn, type PendingSignIn } from '../../services/oidc.ts';
import { openSession } from '../../services/sessions.ts';
import type { AppEnv } from '../env.ts';
import { json, problems } from '../openapi.ts';
import { apiApp } from '../validation.ts';
import { setSessionCookie } from './cookie.ts';

const BEGIN_PATH = '/api/v1/session/oidc';
/** Where the browser lands once signed in. */
const CONSOLE_PATH = '/console';

/**
 * The state, nonce and PKCE verifier between leaving for the provider and coming back: HttpOnly,
 * sent back only to the callback, and SameSite=Lax, which a top-level redirect from the provider
 * still carries while no other site's request does.
 */
const PENDING_COOKIE = 'sipas_oidc';
const PENDING_SECONDS = 600;

const htmlPage = {
  'text/html': {
    schema: z.string().openapi({ description: 'A page saying why, and a link back' }),
  },
};

export const signInMethodsSchema = z
  .object({
    singleSignOn: z.boolean().openapi({
      description: 'Whether `GET /api/v1/session/oidc` leads to the OpenID Connect provider',
    }),
  })
  .openapi('SignInMethods');

const methods = createRoute({
  method: 'get',
  path: '/api/v1/session/methods',
  tags: ['session'],
  summary: 'How staff may sign in here, for the sign-in page (no token or session needed)',
  responses: {
    200: { description: 'The sign-in methods', content: json(signInMethodsSchema) },
  },
});

const begin = createRoute({
  method: 'get',
  path: BEGIN_PATH,
  tags: ['session'],
  summary: 'Single sign-on: leave for the identity provider',
  description:
    "Redirects the browser to the OpenID Connect provider's sign-in page (authorization-code " +
    'flow with PKCE, a state and a nonce), and keeps those for the callback in an HttpOnly ' +
    'cookie for 10 minutes. Only when `SIPAS_OIDC_ISSUER` and `SIPAS_OIDC_CLIENT_ID` are set. ' +
    'Opened at another address of this server than `SIPAS_PUBLIC_URL` (whose callback is the ' +
    'registered redirect URI), it first redirects to itself there, with `relocated=1`, so that ' +
    'the cookie is set where the provider sends the browser back.',
  request: {
    query: z.object({
      relocated: z.literal('1').optional().openapi({
        description: 'Set by the redirect to the public address: start here, whatever the address',
      }),
    }),
  },
  responses: {
    302: { description: "To the provider's sign-in page, or first to this one's public address" },
    ...problems({
      404: 'Single sign-on is not configured',
      503: 'The provider cannot be reached',
    }),
  },
});

const callback = createRoute({
  method: 'get',
  path: OIDC_CALLBACK_PATH,
  tags: ['session'],
  summary: 'Single sign-on: back from the identity provider',
  description:
    "The redirect URI to register with the provider. Verifies the provider's answer (state, " +
    "the ID token's signature, issuer, audience, expiry and nonce), finds the staff account the " +
    'identity is linked to, or at its first sign-in the enabled account whose login is the ' +
    'configured claim (`SIPAS_OIDC_LOGIN_CLAIM`), opens a session and sends the browser to the ' +
    'console. Never creates an account. Audited as `session.sign-in` (and `account.link-identity` ' +
    'the first time).',
  request: {
    query: z.object({
      code: z.string().optional(),
      state: z.string().optional(),
      error: z
        .string()
        .optional()
        .openapi({ description: 'The provider refused, e.g. access_denied' }),
    }),
  },
  responses: {
    303: { description: 'Signed in: the session cookie is set, and the browser goes to /console' },
    400: {
      description: 'No sign-in was started from this browser, or it expired',
      content: htmlPage,
    },
    401: { description: "The provider's answer could not be verified", content: htmlPage },
    403: {
      description: 'No enabled staff account for this identity',
      content: htmlPage,
    },
    404: { description: 'Single sign-on is not configured', content: htmlPage },
    503: { description: 'The provider cannot be reached', content: htmlPage },
  },
});

const notConfigured = () =>
  new DomainError(
    'not-found',
    text(
      'Đăng nhập một cửa chưa được cấu hình trên máy chủ này.',
      'Single sign-on is not configured on this server.',
    ),
  );

const refusalPage = (detail: string) =>
  html`<!doctype html>
    <html lang="vi">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>Không đăng nhập được / Sign-in failed — SIPAS</title>
      </head>
      <body>
        <main>
          <h1>Không đăng nhập được / Sign-in failed</h1>
          <p>${detail}</p>
          <p><a href="${CONSOLE_PATH}">Quay lại trang đăng nhập / Back to sign-in</a></p>
        </main>
      </body>
    </html> `;

function readPending(c: Context<AppEnv>): PendingSignIn | undefined {
  const value = getCookie(c, PENDING_COOKIE);
  if (value === undefined) return undefined;
  try {
    const parsed = pendingSignInSchema.safeParse(
      JSON.parse(Buffer.from(value, 'base64url').toString('utf8')),
    );
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function oidcRoutes(config: Config) {
  const sso = config.oidc ? singleSignOn(config.oidc) : undefined;
  const secure = config.publicUrl.startsWith('https:');

  return apiApp<AppEnv>()
    .openapi(methods, (c) => c.json({ singleSignOn: sso !== undefined }, 200))
    .openapi(begin, async (c) => {
      if (!sso || !config.oidc) throw notConfigured();
      c.header('Cache-Control', 'no-store');
      // The state cookie must be set at the origin the provider sends the browser back to (the
      // registered redirect URI's): a console opened at another address of this server
      // (localhost, 127.0.0.1, its port behind the proxy) goes there first. Where to comes from
      // the configuration alone; the mark stops a loop behind a proxy that hides the public
      // address from this server.
      const callbackOrigin = new URL(config.oidc.redirectUri).origin;
      if (new URL(c.req.url).origin !== callbackOrigin && !c.req.valid('query').relocated) {
        return c.redirect(`${callbackOrigin}${BEGIN_PATH}?relocated=1`, 302);
      }
      const { authorizationUrl, pending } = await sso.begin();
      setCookie(c, PENDING_COOKIE, Buffer.from(JSON.stringify(pending)).toString('base64url'), {
        httpOnly: true,
        secure,
        sameSite: 'Lax',
        path: OIDC_CALLBACK_PATH,
        maxAge: PENDING_SECONDS,
      });
      return c.redirect(authorizationUrl, 302);
    })
    .openapi(callback, async (c) => {
      c.header('Cache-Control', 'no-store');
      const pending = readPending(c);
      // One answer per sign-in started: whatever comes of this one, the next starts afresh.
      deleteCookie(c, PENDING_COOKIE, { path: OIDC_CALLBACK_PATH, secure });
      try {
        if (!sso || !config.oidc) throw notConfigured();
        if (!pending) {
          throw new DomainError(
            'bad-request',
            text(
              'Phiên đăng nhập một cửa đã hết hạn hoặc không bắt đầu từ trình duyệt này; hãy ' +
                'đăng nhập lại.',
              'The single sign-on expired or did not start in this browser; sign in again.',
            ),
          );
        }
        const identity = await sso.complete(new URL(c.req.url).search, pending);
        const account = await signInWithIdentity(c.var.db, identity, config.oidc.loginClaim);
        setSessionCookie(
          c,
          await openSession(c.var.db, account, { method: 'oidc', issuer: identity.issuer }),
        );
        return c.redirect(CONSOLE_PATH, 303);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        const status: ContentfulStatusCode = errorStatus[error.code];
        // The page is bilingual, as its heading: the reason in both languages.
        return c.html(refusalPage(`${error.text.vi} / ${error.text.en}`), status);
      }
    });
}
