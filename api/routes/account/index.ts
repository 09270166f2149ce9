// The account behind the API token (what the console shows after sign-in), and the admin's
// view of every API token: listed by prefix, never shown, revocable.
import { z } from '@hono/zod-openapi';
import {
  listApiTokenEntries,
  revokeApiTokenByPrefix,
  type ApiTokenEntry,
} from '../../services/credentials.ts';
import { guarded, type AuthEnv } from '../auth.ts';
import { json, problems } from '../openapi.ts';
import { apiApp } from '../validation.ts';

export const meSchema = z
  .object({
    name: z.string(),
    role: z.enum(['admin', 'surveyor', 'analyst']),
    unit: z.string().nullable().openapi({ description: 'The unit whose subtree it reaches' }),
  })
  .openapi('Account');

const apiTokenSchema = z
  .object({
    prefix: z.string().openapi({
      description:
        "The first 12 hex digits of the token's SHA-256 digest (`printf %s TOKEN | sha256sum`)",
      example: '3f9a0c41d2b7',
    }),
    name: z.string().openapi({ description: "The account's name" }),
    role: z.enum(['admin', 'surveyor', 'analyst']),
    unit: z.string().nullable().openapi({ description: 'The unit whose subtree it reaches' }),
    createdAt: z.string().openapi({ format: 'date-time' }),
    revokedAt: z.string().nullable().openapi({ format: 'date-time' }),
  })
  .openapi('ApiToken');

const tokenParams = z.object({
  prefix: z
    .string()
    .max(64)
    .openapi({
      param: { name: 'prefix', in: 'path' },
      description: 'Six or more hex digits of the digest, naming one token',
      example: '3f9a0c41d2b7',
    }),
});

const me = guarded(['admin', 'surveyor', 'analyst'], {
  method: 'get',
  path: '/api/v1/me',
  tags: ['organisation'],
  summary: "The token's account: its name, role and unit",
  responses: { 200: { description: 'The account', content: json(meSchema) } },
});

const list = guarded(['admin'], {
  method: 'get',
  path: '/api/v1/tokens',
  tags: ['organisation'],
  summary: 'Every API token, revoked ones included, oldest first',
  description: 'Only SHA-256 digests are stored: a token is named by its prefix, never shown.',
  responses: { 200: { description: 'The tokens', content: json(z.array(apiTokenSchema)) } },
});

const revoke = guarded(['admin'], {
  method: 'delete',
  path: '/api/v1/tokens/{prefix}',
  tags: ['organisation'],
  summary: 'Revoke an API token',
  description:
    'Its next request answers 401. Revoking a revoked token changes nothing. Audited as ' +
    '`token.revoke`.',
  request: { params: tokenParams },
  responses: {
    200: {
      description: 'The token, and whether this request revoked it',
      content: json(z.object({ token: apiTokenSchema, revoked: z.boolean() })),
    },
    ...problems({ 404: 'No token has this prefix', 422: 'Not a prefix, or one of several tokens' }),
  },
});

const shown = (token: ApiTokenEntry) => ({
  ...token,
  createdAt: token.createdAt.toISOString(),
  revokedAt: token.revokedAt?.toISOString() ?? null,
});

export function accountRoutes() {
  return apiApp<AuthEnv>()
    .openapi(me, (c) => {
      const { name, role, unitCode } = c.var.principal;
      c.header('Cache-Control', 'no-store');
      return c.json({ name, role, unit: unitCode }, 200);
    })
    .openapi(list, async (c) => {
      c.header('Cache-Control', 'no-store');
      return c.json((await listApiTokenEntries(c.var.db)).map(shown), 200);
    })
    .openapi(revoke, async (c) => {
      const { prefix } = c.req.valid('param');
      const { token, revoked } = await revokeApiTokenByPrefix(c.var.db, c.var.principal, prefix);
      return c.json({ token: shown(token), revoked }, 200);
    });
}
