// GET, POST /api/v1/tokens and DELETE /api/v1/tokens/{prefix}: the admin sees every API token by the
// prefix of its digest, never the token, and a revoked token is refused on its next request.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../../../db/testing.ts';
import { createApiToken } from '../../services/credentials.ts';
import { jsonBody, openRouteFixture, testActor, type RouteFixture } from '../testing.ts';

const prefixOf = (token: string) => createHash('sha256').update(token).digest('hex').slice(0, 12);

describe.each(engines)('API tokens on %s', (engine) => {
  let f: RouteFixture;
  let analyst: string;

  beforeAll(async () => {
    f = await openRouteFixture(engine);
    analyst = await createApiToken(f.database.db, testActor, {
      role: 'analyst',
      unit: 'BRVT.SKHDT',
      name: 'Phân tích SKHDT',
    });
  });
  afterAll(() => f.database.close());

  it('lists every token by the prefix of its digest, never the token', async () => {
    const response = await f.request('/api/v1/tokens', { token: f.tokens.admin });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const text = await response.text();
    expect(text).not.toContain(f.tokens.admin);
    expect(text).not.toContain(analyst);
    expect(JSON.parse(text)).toEqual([
      {
        prefix: prefixOf(f.tokens.admin),
        name: 'admin',
        role: 'admin',
        unit: null,
        scopeNeedsReview: false,
        scopeSuccessors: [],
        owner: null,
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
        revokedAt: null,
        // This very request used it.
        lastUsedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
      },
      {
        prefix: prefixOf(analyst),
        name: 'Phân tích SKHDT',
        role: 'analyst',
        unit: 'BRVT.SKHDT',
        scopeNeedsReview: false,
        scopeSuccessors: [],
        owner: null,
        createdAt: expect.any(String),
        revokedAt: null,
        lastUsedAt: null,
      },
    ]);
  });

  it('revokes a token by a prefix: refused on its next request, audited once', async () => {
    expect((await f.request('/api/v1/me', { token: analyst })).status).toBe(200);
    const prefix = prefixOf(analyst).slice(0, 8).toUpperCase();
    const revoked = await f.request(`/api/v1/tokens/${prefix}`, {
      token: f.tokens.admin,
      method: 'DELETE',
    });
    expect(revoked.status).toBe(200);
    expect(await revoked.json()).toMatchObject({
      revoked: true,
      token: { prefix: prefixOf(analyst), revokedAt: expect.any(String) },
    });
    const refused = await f.request('/api/v1/me', { token: analyst });
    expect(refused.status).toBe(401);
    expect((await refused.json()).detail).toMatch(/unknown or revoked/);

    const again = await f.request(`/api/v1/tokens/${prefix}`, {
      token: f.tokens.admin,
      method: 'DELETE',
    });
    expect(await again.json()).toMatchObject({ revoked: false });
    const audit = await f.database.db
      .selectFrom('audit_log')
      .select(['action', 'detail'])
      .where('action', '=', 'token.revoke')
      .execute();
    expect(audit).toEqual([{ action: 'token.revoke', detail: { prefix: prefixOf(analyst) } }]);
    const listed = await (await f.request('/api/v1/tokens', { token: f.tokens.admin })).json();
    expect(listed[1]).toMatchObject({ revokedAt: expect.any(String) });
    expect(listed[0]).toMatchObject({ revokedAt: null });
  });

  it('refuses a prefix that is not one, names none or names several, storing nothing', async () => {
    const admin = await createApiToken(f.database.db, testActor, { role: 'admin' });
    const ask = (prefix: string) =>
      f.request(`/api/v1/tokens/${prefix}`, { token: admin, method: 'DELETE' });
    const short = await ask('abc');
    expect(short.status).toBe(422);
    expect(short.headers.get('content-type')).toBe('application/problem+json');
    expect((await short.json()).errors).toEqual([
      { path: 'prefix', message: expect.stringMatching(/6 to 64 hexadecimal digits/) },
    ]);
    expect((await ask('zzzzzzzz')).status).toBe(422);

    const none = await ask('0'.repeat(64));
    expect(none.status).toBe(404);
    expect((await none.json()).detail).toMatch(/0{64}/);

    // Two tokens whose digests share their first six digits: the prefix names neither.
    const { db } = f.database;
    const { id } = await db
      .insertInto('account')
      .values({ name: 'twins', role: 'analyst', unit_id: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('api_token')
      .values([
        { account_id: id, token_hash: Buffer.from(`abcdef01${'0'.repeat(56)}`, 'hex') },
        { account_id: id, token_hash: Buffer.from(`abcdef02${'0'.repeat(56)}`, 'hex') },
      ])
      .execute();
    const several = await ask('abcdef');
    expect(several.status).toBe(422);
    const body = await several.json();
    expect(body.detail).toMatch(/abcdef matches 2 API tokens/);
    expect(body.errors[0].message).toMatch(/abcdef010000, abcdef020000/);
    const untouched = await db
      .selectFrom('api_token')
      .select('revoked_at')
      .where('account_id', '=', id)
      .execute();
    expect(untouched).toEqual([{ revoked_at: null }, { revoked_at: null }]);
    expect((await ask('abcdef02')).status).toBe(200);
  });

  it('creates a token through the API, shown once, listed with its owner and last use', async () => {
    const created = await f.request('/api/v1/tokens', {
      token: f.tokens.admin,
      ...jsonBody({ role: 'appraiser', unit: 'BRVT.STP', name: 'Kịch bản thẩm định' }),
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const { token, entry } = await created.json();
    expect(token).toMatch(/^sk_[A-Za-z0-9_-]{43}$/);
    expect(entry).toEqual({
      prefix: prefixOf(token),
      name: 'Kịch bản thẩm định',
      role: 'appraiser',
      unit: 'BRVT.STP',
      scopeNeedsReview: false,
      scopeSuccessors: [],
      owner: 'admin', // the name of the admin token's account that asked
      createdAt: expect.any(String),
      revokedAt: null,
      lastUsedAt: null,
    });
    const listed = async () =>
      (
        (await (await f.request('/api/v1/tokens', { token: f.tokens.admin })).json()) as {
          prefix: string;
          lastUsedAt: string | null;
        }[]
      ).find((t) => t.prefix === prefixOf(token));
    expect(JSON.stringify(await listed())).not.toContain(token);

    const before = Date.now();
    expect((await f.request('/api/v1/me', { token })).status).toBe(200);
    const used = (await listed())?.lastUsedAt ?? '';
    expect(Date.parse(used)).toBeGreaterThanOrEqual(before - 1000);
    // Within the minute, further requests write nothing.
    expect((await f.request('/api/v1/me', { token })).status).toBe(200);
    expect((await listed())?.lastUsedAt).toBe(used);

    const audit = await f.database.db
      .selectFrom('audit_log')
      .select(['actor', 'detail'])
      .where('action', '=', 'token.create')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(audit.detail).toEqual({ role: 'appraiser', unit: 'BRVT.STP' });

    const revoked = await f.request(`/api/v1/tokens/${prefixOf(token)}`, {
      token: f.tokens.admin,
      method: 'DELETE',
    });
    expect(revoked.status).toBe(200);
    expect((await f.request('/api/v1/me', { token })).status).toBe(401);
  });

  it('refuses an admin token with a unit, and lets no analyst create one', async () => {
    const scoped = await f.request('/api/v1/tokens', {
      token: f.tokens.admin,
      ...jsonBody({ role: 'admin', unit: 'BRVT' }),
    });
    expect(scoped.status).toBe(422);
    expect((await scoped.json()).errors).toEqual([
      { path: 'unit', message: 'not allowed with role admin' },
    ]);
    const analystToken = await createApiToken(f.database.db, testActor, { role: 'analyst' });
    const refused = await f.request('/api/v1/tokens', {
      token: analystToken,
      ...jsonBody({ role: 'admin' }),
    });
    expect(refused.status).toBe(403);
  });
});
