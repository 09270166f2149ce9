// Who is calling: a bearer API token (`Authorization: Bearer sk_…`, looked up by hash) for
// scripts, or the console's session cookie (api/routes/session/). Each route of the admin and
// analyst API names the roles it allows; the unit subtree is checked by the handler through
// api/services/access.ts, once it knows which unit, counter or campaign is meant.
// A cookie is sent by the browser whoever made the page, so every write authenticated by one
// must prove it comes from the console: its X-CSRF-Token header, and no foreign origin.
import { createRoute, type RouteConfig } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import { timingSafeEqual } from 'node:crypto';
import type { Role } from '../../db/database.ts';
import { DomainError, text, type Text } from '../errors.ts';
import { principalOf, type Principal } from '../services/access.ts';
import { accountForApiToken, type Account } from '../services/credentials.ts';
import { sessionAccount } from '../services/sessions.ts';
import type { AppEnv } from './env.ts';
import { authProblems, problems } from './openapi.ts';
import { sessionCookieOf } from './session/cookie.ts';
import { fileBodyLimit, jsonBodyLimit } from './validation.ts';

export interface AuthEnv extends AppEnv {
  Variables: AppEnv['Variables'] & {
    principal: Principal;
    /** The session's CSRF token when the request came with the session cookie; else null. */
    csrf: string | null;
  };
}

const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const forbidden = (message: Text) => new DomainError('forbidden', message);

/** Whether the Origin header, when there is one, names this server (as reached, or public). */
function ownOrigin<E extends AppEnv>(c: Context<E>, origin: string): boolean {
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return false; // `Origin: null` (a sandboxed page, a redirect) included
  }
  return host === c.req.header('host') || host === new URL(c.var.deps.config.publicUrl).host;
}

/**
 * A write that the session cookie authenticates comes from the console: no cross-site fetch
 * metadata, no foreign Origin, and the session's CSRF token in X-CSRF-Token.
 */
export function assertSameOriginWrite<E extends AppEnv>(c: Context<E>, csrf: string | null): void {
  if (SAFE_METHODS.has(c.req.method)) return;
  const origin = c.req.header('origin');
  if (c.req.header('sec-fetch-site') === 'cross-site' || (origin && !ownOrigin(c, origin))) {
    throw forbidden(
      text('Yêu cầu đến từ một trang khác bị từ chối.', 'A request from another site is refused.'),
    );
  }
  if (csrf === null) return;
  const sent = Buffer.from(c.req.header('x-csrf-token') ?? '');
  const expected = Buffer.from(csrf);
  if (sent.length !== expected.length || !timingSafeEqual(sent, expected)) {
    throw forbidden(
      text(
        'Thiếu hoặc sai mã chống giả mạo (X-CSRF-Token); hãy tải lại trang.',
        'The X-CSRF-Token header is missing or wrong; reload the page.',
      ),
    );
  }
}

/** The account of a bearer token or a session cookie, or a 401. */
async function authenticate<E extends AppEnv>(
  c: Context<E>,
): Promise<{ account: Account; csrf: string | null }> {
  const authorization = c.req.header('authorization');
  if (authorization !== undefined) {
    const token = BEARER.exec(authorization)?.[1];
    const account = token === undefined ? undefined : await accountForApiToken(c.var.db, token);
    if (account) return { account, csrf: null };
    c.header('WWW-Authenticate', 'Bearer realm="sipas"');
    throw new DomainError(
      'unauthorized',
      token === undefined
        ? text(
            'Cần có mã API: Authorization: Bearer sk_….',
            'An API token is required: Authorization: Bearer sk_….',
          )
        : text('Mã API không tồn tại hoặc đã bị thu hồi.', 'The API token is unknown or revoked.'),
    );
  }
  const secret = sessionCookieOf(c);
  const session = secret === undefined ? undefined : await sessionAccount(c.var.db, secret);
  if (session) {
    assertSameOriginWrite(c, session.csrf);
    return session;
  }
  c.header('WWW-Authenticate', 'Bearer realm="sipas"');
  throw new DomainError(
    'unauthorized',
    secret === undefined
      ? text(
          'Cần đăng nhập, hoặc một mã API: Authorization: Bearer sk_….',
          'Sign in, or send an API token: Authorization: Bearer sk_….',
        )
      : text(
          'Phiên đăng nhập đã hết hạn hoặc đã kết thúc; hãy đăng nhập lại.',
          'The session has expired or ended; sign in again.',
        ),
  );
}

/**
 * Authenticates the request and lets it through when its account has one of the roles; then
 * holds its body to `bodyLimit`, so that nobody unknown gets a large body read.
 */
export function allow(roles: readonly Role[], bodyLimit?: MiddlewareHandler) {
  return createMiddleware<AuthEnv>(async (c, next) => {
    const { account, csrf } = await authenticate(c);
    if (!roles.includes(account.role)) {
      throw forbidden(
        text(
          `Vai trò ${account.role} không được làm việc này; cần vai trò ${roles.join(' hoặc ')}.`,
          `Role ${account.role} may not do this; it takes ${roles.join(' or ')}.`,
        ),
      );
    }
    c.set('principal', principalOf(account));
    c.set('csrf', csrf);
    if (bodyLimit) await bodyLimit(c, next);
    else await next();
  });
}

/** A bearer token or the session cookie (api/routes/openapi.ts names both schemes). */
const either: RouteConfig['security'] = [{ bearerAuth: [] }, { sessionCookie: [] }];

const rolesNote = (roles: readonly Role[]) =>
  `Roles: ${roles.join(', ')}` +
  (roles.some((role) => role !== 'admin') ? ' (a scoped account within its unit subtree).' : '.');

/**
 * A route of the admin and analyst API: behind a bearer token or the session cookie of one of
 * the roles, documented with its security requirements, its roles and the 401 and 403 it may
 * answer. Its body is held to `bodyLimit` when given, else to a file's or a JSON body's limit
 * (a route that reads its body itself, bounded, gives one that lets it through).
 */
export function guarded<const R extends Omit<RouteConfig, 'middleware' | 'security'>>(
  roles: readonly Role[],
  route: R,
  bodyLimit?: MiddlewareHandler,
) {
  return createRoute({
    ...route,
    description: [route.description, rolesNote(roles)].filter(Boolean).join('\n\n'),
    middleware: allow(
      roles,
      bodyLimit ??
        (route.request?.body?.content['text/csv'] ||
        route.request?.body?.content['multipart/form-data']
          ? fileBodyLimit
          : jsonBodyLimit),
    ),
    security: either,
    responses: { ...route.responses, ...problems(authProblems) },
  });
}
