// The signed-in account (what the console shows after sign-in) and its password; the admin's
// staff accounts; and every API token: created (shown once), listed by prefix, revoked.
import { z } from '@hono/zod-openapi';
import { ROLES } from '../../../db/database.ts';
import { EVERYONE } from '../../services/access.ts';
import {
  changeOwnPassword,
  createAccount,
  listAccounts,
  resetPassword,
  setAccountDisabled,
  type AccountEntry,
} from '../../services/accounts.ts';
import {
  createApiToken,
  listApiTokenEntries,
  revokeApiTokenByPrefix,
  tokenPrefixOf,
  type ApiTokenEntry,
} from '../../services/credentials.ts';
import { guarded, type AuthEnv } from '../auth.ts';
import { bodyProblems, json, jsonBody, problems } from '../openapi.ts';
import { shownAccount } from '../session/index.ts';
import { meSchema } from '../session/schemas.ts';
import { apiApp } from '../validation.ts';

export { meSchema };

const roleSchema = z.enum(ROLES);
const dateTime = z.string().openapi({ format: 'date-time' });

export const apiTokenSchema = z
  .object({
    prefix: z.string().openapi({
      description:
        "The first 12 hex digits of the token's SHA-256 digest (`printf %s TOKEN | sha256sum`)",
      example: '3f9a0c41d2b7',
    }),
    name: z.string().openapi({ description: "The account's name" }),
    role: roleSchema,
    unit: z.string().nullable().openapi({ description: 'The unit whose subtree it reaches' }),
    scopeNeedsReview: z.boolean().openapi({
      description:
        'Its unit has ended (a reorganisation): an admin reviews its scope, which keeps what the ' +
        'unit held on its last day',
    }),
    scopeSuccessors: z
      .array(z.string())
      .openapi({ description: "The ended unit's successors by lineage; empty otherwise" }),
    owner: z.string().nullable().openapi({
      description:
        "Who created it: an admin's login (or an admin token's name); null: the command line",
    }),
    createdAt: dateTime,
    revokedAt: dateTime.nullable(),
    lastUsedAt: dateTime.nullable().openapi({ description: 'Noted at most once a minute' }),
  })
  .openapi('ApiToken');

export const staffAccountSchema = z
  .object({
    login: z.string(),
    name: z.string(),
    role: roleSchema,
    unit: z.string().nullable(),
    scopeNeedsReview: z.boolean().openapi({
      description:
        'Its unit has ended (a reorganisation): an admin reviews its scope, which keeps what the ' +
        'unit held on its last day',
    }),
    scopeSuccessors: z
      .array(z.string())
      .openapi({ description: "The ended unit's successors by lineage; empty otherwise" }),
    hasPassword: z.boolean().openapi({
      description: 'Whether it may sign in with a password; without one, by single sign-on only',
    }),
    disabledAt: dateTime.nullable(),
    createdAt: dateTime,
    changedAt: dateTime,
  })
  .openapi('StaffAccount');

export const newTokenSchema = z
  .strictObject({
    role: roleSchema,
    unit: z
      .string()
      .min(1)
      .optional()
      .openapi({ description: 'Required for every role but admin' }),
    name: z.string().min(1).max(200).optional(),
  })
  .openapi('NewApiToken');

export const newAccountSchema = z
  .strictObject({
    login: z.string().openapi({ example: 'lan.nguyen' }),
    name: z.string().openapi({ example: 'Nguyễn Thị Lan' }),
    role: roleSchema,
    unit: z.string().optional().openapi({ description: 'Required for every role but admin' }),
    password: z
      .string()
      .optional()
      .openapi({
        description:
          'At least 10 characters. Without one, the account signs in by single sign-on only, ' +
          'until an admin sets one (`PUT /api/v1/accounts/{login}/password`)',
      }),
  })
  .openapi('NewStaffAccount');

export const createdTokenSchema = z
  .object({ token: z.string(), entry: apiTokenSchema })
  .openapi('CreatedApiToken');

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

const loginParams = z.object({
  login: z
    .string()
    .max(200)
    .openapi({ param: { name: 'login', in: 'path' }, example: 'lan.nguyen' }),
});

const me = guarded(EVERYONE, {
  method: 'get',
  path: '/api/v1/me',
  tags: ['session'],
  summary: 'The signed-in account: its login, name, role and unit, and its CSRF token',
  responses: { 200: { description: 'The account', content: json(meSchema) } },
});

const changePassword = guarded(EVERYONE, {
  method: 'put',
  path: '/api/v1/me/password',
  tags: ['session'],
  summary: 'Change your own password, giving the current one',
  description: 'Audited as `account.change-password`.',
  request: {
    body: jsonBody(
      z.strictObject({ current: z.string(), password: z.string() }).openapi('PasswordChange'),
    ),
  },
  responses: {
    204: { description: 'Changed' },
    ...bodyProblems({}),
  },
});

const listStaff = guarded(['admin'], {
  method: 'get',
  path: '/api/v1/accounts',
  tags: ['accounts'],
  summary: 'Every staff account, by login',
  responses: { 200: { description: 'The accounts', content: json(z.array(staffAccountSchema)) } },
});

const createStaff = guarded(['admin'], {
  method: 'post',
  path: '/api/v1/accounts',
  tags: ['accounts'],
  summary: 'Create a staff account',
  description:
    'A login unique whatever its case; an admin has no unit, every other role one. Audited ' +
    'as `account.create`.',
  request: { body: jsonBody(newAccountSchema) },
  responses: {
    201: { description: 'Created', content: json(staffAccountSchema) },
    ...bodyProblems({ 409: 'The login is taken' }),
  },
});

const disable = guarded(['admin'], {
  method: 'post',
  path: '/api/v1/accounts/{login}/disable',
  tags: ['accounts'],
  summary: 'Disable an account: its sessions end and its API tokens stop working',
  description: 'Not your own. Audited as `account.disable`.',
  request: { params: loginParams },
  responses: {
    200: { description: 'The account', content: json(staffAccountSchema) },
    ...problems({ 404: 'No such account', 409: 'Your own account' }),
  },
});

const enable = guarded(['admin'], {
  method: 'post',
  path: '/api/v1/accounts/{login}/enable',
  tags: ['accounts'],
  summary: 'Enable a disabled account',
  description: 'Audited as `account.enable`.',
  request: { params: loginParams },
  responses: {
    200: { description: 'The account', content: json(staffAccountSchema) },
    ...problems({ 404: 'No such account' }),
  },
});

const reset = guarded(['admin'], {
  method: 'put',
  path: '/api/v1/accounts/{login}/password',
  tags: ['accounts'],
  summary: "Set another account's password; its sessions end",
  description: 'Audited as `account.reset-password`.',
  request: {
    params: loginParams,
    body: jsonBody(z.strictObject({ password: z.string() }).openapi('PasswordReset')),
  },
  responses: {
    204: { description: 'Set' },
    ...bodyProblems({ 404: 'No such account' }),
  },
});

const listTokens = guarded(['admin'], {
  method: 'get',
  path: '/api/v1/tokens',
  tags: ['accounts'],
  summary: 'Every API token, revoked ones included, oldest first',
  description: 'Only SHA-256 digests are stored: a token is named by its prefix, never shown.',
  responses: { 200: { description: 'The tokens', content: json(z.array(apiTokenSchema)) } },
});

const createToken = guarded(['admin'], {
  method: 'post',
  path: '/api/v1/tokens',
  tags: ['accounts'],
  summary: 'Create an API token for a script: shown in this reply only',
  description: 'Audited as `token.create`.',
  request: { body: jsonBody(newTokenSchema) },
  responses: {
    201: {
      description: 'The token, once, and how it is listed',
      content: json(createdTokenSchema),
    },
    ...bodyProblems({ 404: 'No such unit' }),
  },
});

const revoke = guarded(['admin'], {
  method: 'delete',
  path: '/api/v1/tokens/{prefix}',
  tags: ['accounts'],
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

const shownToken = (token: ApiTokenEntry) => ({
  ...token,
  createdAt: token.createdAt.toISOString(),
  revokedAt: token.revokedAt?.toISOString() ?? null,
  lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
});

const shownStaff = (account: AccountEntry) => ({
  ...account,
  disabledAt: account.disabledAt?.toISOString() ?? null,
  createdAt: account.createdAt.toISOString(),
  changedAt: account.changedAt.toISOString(),
});

export function accountRoutes() {
  return apiApp<AuthEnv>()
    .openapi(me, (c) => {
      const { principal } = c.var;
      c.header('Cache-Control', 'no-store');
      return c.json(
        shownAccount(
          {
            id: principal.accountId ?? 0,
            login: principal.login,
            name: principal.name,
            role: principal.role,
            unitId: principal.unitId,
            unitCode: principal.unitCode,
          },
          c.var.csrf,
        ),
        200,
      );
    })
    .openapi(changePassword, async (c) => {
      await changeOwnPassword(c.var.db, c.var.principal, c.req.valid('json'));
      return c.body(null, 204);
    })
    .openapi(listStaff, async (c) => {
      c.header('Cache-Control', 'no-store');
      return c.json((await listAccounts(c.var.db, c.var.principal)).map(shownStaff), 200);
    })
    .openapi(createStaff, async (c) => {
      const account = await createAccount(c.var.db, c.var.principal, c.req.valid('json'));
      return c.json(shownStaff(account), 201);
    })
    .openapi(disable, async (c) => {
      const { login } = c.req.valid('param');
      return c.json(
        shownStaff(await setAccountDisabled(c.var.db, c.var.principal, login, true)),
        200,
      );
    })
    .openapi(enable, async (c) => {
      const { login } = c.req.valid('param');
      return c.json(
        shownStaff(await setAccountDisabled(c.var.db, c.var.principal, login, false)),
        200,
      );
    })
    .openapi(reset, async (c) => {
      const { login } = c.req.valid('param');
      await resetPassword(c.var.db, c.var.principal, login, c.req.valid('json'));
      return c.body(null, 204);
    })
    .openapi(listTokens, async (c) => {
      c.header('Cache-Control', 'no-store');
      return c.json((await listApiTokenEntries(c.var.db)).map(shownToken), 200);
    })
    .openapi(createToken, async (c) => {
      const request = c.req.valid('json');
      const token = await createApiToken(c.var.db, c.var.principal, request);
      const [entry] = await listApiTokenEntries(c.var.db, tokenPrefixOf(token));
      if (!entry) throw new Error('The token just created is not listed.');
      c.header('Cache-Control', 'no-store');
      return c.json({ token, entry: shownToken(entry) }, 201);
    })
    .openapi(revoke, async (c) => {
      const { prefix } = c.req.valid('param');
      const { token, revoked } = await revokeApiTokenByPrefix(c.var.db, c.var.principal, prefix);
      return c.json({ token: shownToken(token), revoked }, 200);
    });
}
