import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../../../db/testing.ts';
import { createAccount } from '../../services/accounts.ts';
import { createApiToken } from '../../services/credentials.ts';
import { SESSION_IDLE_MS } from '../../services/sessions.ts';
import { jsonBody, openRouteFixture, testActor, type RouteFixture } from '../testing.ts';

const PASSWORD = 'mật khẩu đủ dài 1';

/** The `sipas_session=…` pair of a reply's Set-Cookie, to send back as a Cookie header. */
const cookieOf = (response: Response) =>
  (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';

describe.each(engines)('sessions on %s', (engine) => {
  let f: RouteFixture;
  const signIn = (login: string, password: string, init: RequestInit = {}) =>
    f.app.request('/api/v1/session', {
      ...jsonBody({ login, password }),
      ...init,
      headers: { 'Content-Type': 'application/json', ...init.headers },
    });
  const signedIn = async (login: string) => {
    const reply = await signIn(login, PASSWORD);
    expect(reply.status).toBe(200);
    const body = (await reply.json()) as { account: { csrfToken: string } };
    return { cookie: cookieOf(reply), csrf: body.account.csrfToken };
  };
  const count = async (table: 'unit' | 'session') =>
    Number(
      (
        await f.database.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    f = await openRouteFixture(engine);
    const db = f.database.db;
    await createAccount(db, testActor, {
      login: 'Lan.Admin',
      name: 'Lan',
      role: 'admin',
      password: PASSWORD,
    });
    await createAccount(db, testActor, {
      login: 'minh',
      name: 'Trần Minh',
      role: 'analyst',
      unit: 'BRVT.SKHDT',
      password: PASSWORD,
    });
    await createAccount(db, testActor, {
      login: 'appraiser1',
      name: 'Thẩm định',
      role: 'appraiser',
      unit: 'BRVT',
      password: PASSWORD,
    });
  });
  afterAll(() => f.database.close());

  it('signs in with a login in any case and the password, and sets a cookie for the console', async () => {
    const reply = await signIn('lan.admin', PASSWORD);
    expect(reply.status).toBe(200);
    const body = (await reply.json()) as { account: Record<string, unknown>; expiresAt: string };
    expect(body.account).toEqual({
      login: 'Lan.Admin',
      name: 'Lan',
      role: 'admin',
      unit: null,
      csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
    const cookie = reply.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^sipas_session=[A-Za-z0-9_-]{43}; /);
    expect(cookie).toContain('; Path=/');
    expect(cookie).toContain('; HttpOnly');
    expect(cookie).toContain('; SameSite=Lax');
    expect(cookie).toContain('; Secure'); // SIPAS_PUBLIC_URL is https here
    expect(Date.parse(body.expiresAt) - Date.now()).toBeGreaterThan(6.9 * 24 * 3600 * 1000);

    const me = await f.app.request('/api/v1/me', { headers: { Cookie: cookieOf(reply) } });
    expect(me.status).toBe(200);
    expect(await me.json()).toEqual(body.account);
  });

  it('gives the same 401 for an unknown login, a wrong password, a disabled account and one without a password', async () => {
    await createAccount(f.database.db, testActor, {
      login: 'gone',
      name: 'Gone',
      role: 'surveyor',
      unit: 'BRVT.STP',
      password: PASSWORD,
    });
    await f.request('/api/v1/accounts/gone/disable', { token: f.tokens.admin, method: 'POST' });
    const ssoOnly = await f.request('/api/v1/accounts', {
      token: f.tokens.admin,
      ...jsonBody({ login: 'sso.only', name: 'Một cửa', role: 'analyst', unit: 'BRVT.STP' }),
    });
    expect(ssoOnly.status).toBe(201);
    expect(await ssoOnly.json()).toMatchObject({ login: 'sso.only', hasPassword: false });
    const replies = [
      await signIn('nobody', PASSWORD),
      await signIn('minh', 'not the password'),
      await signIn('gone', PASSWORD),
      await signIn('sso.only', PASSWORD),
    ];
    for (const reply of replies) {
      expect(reply.status).toBe(401);
      expect(reply.headers.get('set-cookie')).toBeNull();
      expect(((await reply.json()) as { detail: string }).detail).toBe('Wrong login or password.');
    }
    const inVietnamese = await signIn('nobody', PASSWORD, { headers: { 'Accept-Language': 'vi' } });
    expect(inVietnamese.status).toBe(401);
    expect(((await inVietnamese.json()) as { detail: string }).detail).toBe(
      'Tên đăng nhập hoặc mật khẩu không đúng.',
    );
  });

  it('refuses a cross-site form POST with the cookie (403) and stores nothing', async () => {
    const { cookie } = await signedIn('lan.admin');
    const units = await count('unit');
    const form = await f.app.request('/api/v1/units', {
      method: 'POST',
      headers: {
        Cookie: cookie,
        'Content-Type': 'application/x-www-form-urlencoded',
        Origin: 'https://evil.example',
        'Sec-Fetch-Site': 'cross-site',
      },
      body: 'code=BRVT.EVIL&name=Evil',
    });
    expect(form.status).toBe(403);
    // Without fetch metadata or Origin (an older browser), the missing header still refuses.
    const bare = await f.app.request('/api/v1/units', {
      method: 'POST',
      headers: { Cookie: cookie, 'Content-Type': 'application/json' },
      body: JSON.stringify({ code: 'BRVT.EVIL', name: 'Evil' }),
    });
    expect(bare.status).toBe(403);
    expect(((await bare.json()) as { detail: string }).detail).toMatch(/X-CSRF-Token/);
    expect(await count('unit')).toBe(units);
  });

  it("takes a cookie write with the session's CSRF token from the console's own origin", async () => {
    const { cookie, csrf } = await signedIn('lan.admin');
    const write = (headers: Record<string, string>) =>
      f.app.request('/api/v1/units', {
        method: 'POST',
        headers: { Cookie: cookie, 'Content-Type': 'application/json', ...headers },
        body: JSON.stringify({
          code: `BRVT.N${Math.random().toString(36).slice(2, 6)}`,
          name: 'Mới',
        }),
      });
    expect((await write({ 'X-CSRF-Token': 'x'.repeat(43) })).status).toBe(403);
    expect((await write({ 'X-CSRF-Token': csrf, Origin: 'https://other.example' })).status).toBe(
      403,
    );
    expect(
      (
        await write({
          'X-CSRF-Token': csrf,
          Origin: 'https://sipas.example.vn',
          'Sec-Fetch-Site': 'same-origin',
        })
      ).status,
    ).toBe(201);
    // A bearer token needs no CSRF token: no browser sends it by itself.
    const bearer = await f.request('/api/v1/units', {
      token: f.tokens.admin,
      ...jsonBody({ code: 'BRVT.BEARER', name: 'Bearer' }),
    });
    expect(bearer.status).toBe(201);
  });

  it('ends the session at sign-out, after 8 idle hours, and at the absolute end', async () => {
    const out = await signedIn('minh');
    const refused = await f.app.request('/api/v1/session', {
      method: 'DELETE',
      headers: { Cookie: out.cookie },
    });
    expect(refused.status).toBe(403);
    const bye = await f.app.request('/api/v1/session', {
      method: 'DELETE',
      headers: { Cookie: out.cookie, 'X-CSRF-Token': out.csrf },
    });
    expect(bye.status).toBe(204);
    expect(bye.headers.get('set-cookie')).toMatch(/^sipas_session=; Max-Age=0; /);
    expect((await f.app.request('/api/v1/me', { headers: { Cookie: out.cookie } })).status).toBe(
      401,
    );

    const idle = await signedIn('minh');
    const absolute = await signedIn('minh');
    const sessions = await count('session');
    const db = f.database.db;
    const rows = await db
      .selectFrom('session')
      .select(['id'])
      .orderBy('id', 'desc')
      .limit(2)
      .execute();
    const [absoluteRow, idleRow] = rows;
    await db
      .updateTable('session')
      .set({ last_seen_at: new Date(Date.now() - SESSION_IDLE_MS - 1000) })
      .where('id', '=', idleRow?.id ?? 0)
      .execute();
    await db
      .updateTable('session')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', absoluteRow?.id ?? 0)
      .execute();
    expect((await f.app.request('/api/v1/me', { headers: { Cookie: idle.cookie } })).status).toBe(
      401,
    );
    expect(
      (await f.app.request('/api/v1/me', { headers: { Cookie: absolute.cookie } })).status,
    ).toBe(401);
    expect(await count('session')).toBe(sessions - 2);
  });

  it('audits each sign-in with its method, each refusal without the password, and sign-out', async () => {
    const db = f.database.db;
    const since = await db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.max('id').as('id'))
      .executeTakeFirstOrThrow();
    const { id: minh } = await db
      .selectFrom('account')
      .select('id')
      .where('login', '=', 'minh')
      .executeTakeFirstOrThrow();
    expect((await signIn(' MINH', 'not the password')).status).toBe(401);
    expect((await signIn('no such one', PASSWORD)).status).toBe(401);
    const session = await signedIn('Minh');
    const bye = await f.app.request('/api/v1/session', {
      method: 'DELETE',
      headers: { Cookie: session.cookie, 'X-CSRF-Token': session.csrf },
    });
    expect(bye.status).toBe(204);
    const entries = await db
      .selectFrom('audit_log')
      .select(['actor', 'action', 'subject', 'detail'])
      .where('id', '>', since.id ?? 0)
      .orderBy('id')
      .execute();
    expect(entries).toEqual([
      {
        actor: 'anonymous',
        action: 'session.sign-in-refused',
        subject: `account:${minh}`,
        detail: { login: ' MINH', method: 'password', reason: 'wrong-password' },
      },
      {
        actor: 'anonymous',
        action: 'session.sign-in-refused',
        subject: 'login:no such one',
        detail: { login: 'no such one', method: 'password', reason: 'unknown-login' },
      },
      {
        actor: `account:${minh}`,
        action: 'session.sign-in',
        subject: `account:${minh}`,
        detail: { login: 'minh', method: 'password' },
      },
      {
        actor: `account:${minh}`,
        action: 'session.sign-out',
        subject: `account:${minh}`,
        detail: null,
      },
    ]);
    expect(JSON.stringify(entries)).not.toContain('not the password');
  });

  it('lets an appraiser read scores within its unit, and nothing it may not write', async () => {
    const { cookie } = await signedIn('appraiser1');
    const me = await f.app.request('/api/v1/me', { headers: { Cookie: cookie } });
    expect(await me.json()).toMatchObject({ role: 'appraiser', unit: 'BRVT' });
    expect((await f.app.request('/api/v1/campaigns', { headers: { Cookie: cookie } })).status).toBe(
      200,
    );
    expect((await f.app.request('/api/v1/tokens', { headers: { Cookie: cookie } })).status).toBe(
      403,
    );
  });

  it('gives 401 to a session and an API token of an account disabled meanwhile', async () => {
    await createAccount(f.database.db, testActor, {
      login: 'soon.gone',
      name: 'Soon gone',
      role: 'analyst',
      unit: 'BRVT',
      password: PASSWORD,
    });
    const { cookie } = await signedIn('soon.gone');
    expect((await f.app.request('/api/v1/me', { headers: { Cookie: cookie } })).status).toBe(200);
    const token = await createApiToken(f.database.db, testActor, { role: 'analyst', unit: 'BRVT' });
    const accountOfToken = await f.database.db
      .selectFrom('account')
      .select('id')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect((await f.request('/api/v1/me', { token })).status).toBe(200);
    const disabled = await f.request('/api/v1/accounts/SOON.GONE/disable', {
      token: f.tokens.admin,
      method: 'POST',
    });
    expect(disabled.status).toBe(200);
    expect(await disabled.json()).toMatchObject({
      login: 'soon.gone',
      disabledAt: expect.any(String),
    });
    expect((await f.app.request('/api/v1/me', { headers: { Cookie: cookie } })).status).toBe(401);
    expect(await count('session')).toBeGreaterThanOrEqual(0);
    await f.database.db
      .updateTable('account')
      .set({ disabled_at: new Date() })
      .where('id', '=', accountOfToken.id)
      .execute();
    expect((await f.request('/api/v1/me', { token })).status).toBe(401);
  });

  it('refuses sign-in for a while after ten failures for one login (429, Retry-After)', async () => {
    await createAccount(f.database.db, testActor, {
      login: 'tries',
      name: 'Tries',
      role: 'analyst',
      unit: 'BRVT',
      password: PASSWORD,
    });
    for (let i = 0; i < 10; i++) expect((await signIn('tries', `wrong ${i}`)).status).toBe(401);
    const limited = await signIn('TRIES', PASSWORD);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(900);
    // Another login from the same address still signs in.
    expect((await signIn('lan.admin', PASSWORD)).status).toBe(200);
  });
});

describe('the session cookie over plain HTTP', () => {
  let f: RouteFixture;
  beforeAll(async () => {
    f = await openRouteFixture('pglite', { SIPAS_PUBLIC_URL: 'http://localhost:8787' });
    await createAccount(f.database.db, testActor, {
      login: 'admin',
      name: 'Admin',
      role: 'admin',
      password: PASSWORD,
    });
  });
  afterAll(() => f.database.close());

  it('is Secure only when the request came over HTTPS', async () => {
    const over = (scheme: string) =>
      f.app.request(
        `${scheme}://localhost:8787/api/v1/session`,
        jsonBody({ login: 'admin', password: PASSWORD }),
      );
    const plain = await over('http');
    expect(plain.status).toBe(200);
    expect(plain.headers.get('set-cookie')).not.toContain('Secure');
    expect(plain.headers.get('set-cookie')).toContain('HttpOnly');
    const tls = await over('https');
    expect(tls.headers.get('set-cookie')).toContain('; Secure');
  });
});
