// Bearer API tokens (`Authorization: Bearer sk_…`, looked up by hash) and roles: each route of
// the admin and analyst API names the roles it allows; the unit subtree is checked by the
// handler through api/services/access.ts, once it knows which unit, counter or campaign is meant.
import { createRoute, type RouteConfig } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { Role } from '../../db/database.ts';
import { DomainError, text } from '../errors.ts';
import { principalOf, type Principal } from '../services/access.ts';
import { accountForApiToken } from '../services/credentials.ts';
import type { AppEnv } from './env.ts';
import { authProblems, problems } from './openapi.ts';
import { fileBodyLimit, jsonBodyLimit } from './validation.ts';

export interface AuthEnv extends AppEnv {
  Variables: AppEnv['Variables'] & { principal: Principal };
}

const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i;

/**
 * Authenticates the request and lets it through when its account has one of the roles; then
 * holds its body to `bodyLimit`, so that nobody unknown gets a large body read.
 */
export function allow(roles: readonly Role[], bodyLimit?: MiddlewareHandler) {
  return createMiddleware<AuthEnv>(async (c, next) => {
    const token = BEARER.exec(c.req.header('authorization') ?? '')?.[1];
    const account = token === undefined ? undefined : await accountForApiToken(c.var.db, token);
    if (!account) {
      c.header('WWW-Authenticate', 'Bearer realm="sipas"');
      throw new DomainError(
        'unauthorized',
        token === undefined
          ? text(
              'Cần có mã API: Authorization: Bearer sk_….',
              'An API token is required: Authorization: Bearer sk_….',
            )
          : text(
              'Mã API không tồn tại hoặc đã bị thu hồi.',
              'The API token is unknown or revoked.',
            ),
      );
    }
    if (!roles.includes(account.role)) {
      throw new DomainError(
        'forbidden',
        text(
          `Vai trò ${account.role} không được làm việc này; cần vai trò ${roles.join(' hoặc ')}.`,
          `Role ${account.role} may not do this; it takes ${roles.join(' or ')}.`,
        ),
      );
    }
    c.set('principal', principalOf(account));
    if (bodyLimit) await bodyLimit(c, next);
    else await next();
  });
}

const rolesNote = (roles: readonly Role[]) =>
  `Roles: ${roles.join(', ')}` +
  (roles.some((role) => role !== 'admin') ? ' (a scoped token within its unit subtree).' : '.');

/**
 * A route of the admin and analyst API: behind a bearer token of one of the roles, documented
 * with its security requirement, its roles and the 401 and 403 it may answer.
 */
export function guarded<const R extends Omit<RouteConfig, 'middleware' | 'security'>>(
  roles: readonly Role[],
  route: R,
) {
  return createRoute({
    ...route,
    description: [route.description, rolesNote(roles)].filter(Boolean).join('\n\n'),
    middleware: allow(
      roles,
      route.request?.body?.content['text/csv'] ? fileBodyLimit : jsonBodyLimit,
    ),
    security: [{ bearerAuth: [] }],
    responses: { ...route.responses, ...problems(authProblems) },
  });
}
