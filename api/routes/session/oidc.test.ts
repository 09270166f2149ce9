// Single sign-on end to end: a real OpenID Connect provider (oidc-provider) started in the test,
// the app under test, and the browser's part played by fetch: leave for the provider, come back
// to the callback with the state cookie, then use the session cookie the callback set.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../../../db/testing.ts';
import { createAccount, setAccountDisabled } from '../../services/accounts.ts';
import { startTestProvider, TEST_CLIENT, type TestProvider } from '../../services/oidc.testing.ts';
import { openRouteFixture, testActor, type RouteFixture } from '../testing.ts';

const PUBLIC_URL = 'https://sipas.example.vn';
const REDIRECT_URI = `${PUBLIC_URL}/api/v1/session/oidc/callback`;
/** Accounts need a password today, which single sign-on never uses. */
const PASSWORD = 'một mật khẩu dài';

/** `name=value` of each cookie a reply sets, by name. */
function cookiesOf(reply: Response): Map<string, string> {
  return new Map(
    reply.headers.getSetCookie().map((line) => {
      const pair = line.split(';', 1)[0] ?? '';
      return [pair.slice(0, pair.indexOf('=')), pair] as const;
    }),
  );
}

describe.each(engines)('single sign-on on %s', (engine) => {
  let provider: TestProvider;
  let f: RouteFixture;

  beforeAll(async () => {
    provider = await startTestProvider([REDIRECT_URI]);
    f = await openRouteFixture(engine, {
      SIPAS_PUBLIC_URL: PUBLIC_URL,
      SIPAS_OIDC_ISSUER: provider.issuer,
      SIPAS_OIDC_CLIENT_ID: TEST_CLIENT.id,
      SIPAS_OIDC_CLIENT_SECRET: TEST_CLIENT.secret,
    });
    // A fresh migrated database: most of a minute on a busy 2-core machine.
  }, 180_000);
  afterAll(async () => {
    await f.database.close();
    await provider.stop();
  });

  const accountId = async (login: string) =>
    (
      await f.database.db
        .selectFrom('account')
        .select('id')
        .where('login', '=', login)
        .executeTakeFirstOrThrow()
    ).id;

  /** The audit log's entries acted by the account, oldest first. */
  const auditOf = (id: number) =>
    f.database.db
      .selectFrom('audit_log')
      .select(['action', 'detail'])
      .where('actor', '=', `account:${id}`)
      .orderBy('id')
      .execute();

  /** The session cookie a successful callback sets, as a Cookie header. */
  function sessionCookie(reply: Response): string {
    const session = cookiesOf(reply).get('sipas_session');
    if (session === undefined) throw new Error('no session cookie');
    return session;
  }

  /** GET /api/v1/session/oidc at the public address: the provider's address and the state cookie. */
  async function leave() {
    const reply = await f.request(`${PUBLIC_URL}/api/v1/session/oidc`);
    expect(reply.status).toBe(302);
    const pending = cookiesOf(reply).get('sipas_oidc');
    if (pending === undefined) throw new Error('no sipas_oidc cookie');
    return { location: reply.headers.get('location') ?? '', pending, reply };
  }

  /** The whole sign-in: the callback's reply. */
  async function signIn(cookie?: (pending: string) => string) {
    const { location, pending } = await leave();
    const back = await provider.followToCallback(location, REDIRECT_URI);
    return f.request(back.pathname + back.search, {
      headers: { Cookie: cookie ? cookie(pending) : pending },
    });
  }

  it('says single sign-on is on, for the sign-in page', async () => {
    const reply = await f.request('/api/v1/session/methods');
    expect(reply.status).toBe(200);
    expect(await reply.json()).toEqual({ singleSignOn: true });
  });

  it('signs an existing account in through the provider, and /me answers with its session', async () => {
    await createAccount(f.database.db, testActor, {
      login: 'lan.nguyen',
      name: 'Nguyễn Thị Lan',
      role: 'analyst',
      unit: 'BRVT.SKHDT',
      password: PASSWORD,
    });
    provider.signInAs({ subject: 'u-1001', claims: { preferred_username: 'lan.nguyen' } });

    const { location, pending, reply } = await leave();
    expect(location.startsWith(`${provider.issuer}/auth?`)).toBe(true);
    expect(reply.headers.get('cache-control')).toBe('no-store');
    const setCookie = reply.headers.getSetCookie().join('\n');
    expect(setCookie).toMatch(
      /^sipas_oidc=[A-Za-z0-9_-]+; Max-Age=600; Path=\/api\/v1\/session\/oidc\/callback; HttpOnly; Secure; SameSite=Lax$/,
    );

    const back = await provider.followToCallback(location, REDIRECT_URI);
    const signedIn = await f.request(back.pathname + back.search, {
      headers: { Cookie: pending },
    });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('location')).toBe('/console');
    expect(cookiesOf(signedIn).get('sipas_oidc')).toBe('sipas_oidc=');
    const me = await f.request('/api/v1/me', { headers: { Cookie: sessionCookie(signedIn) } });
    expect(me.status).toBe(200);
    expect(await me.json()).toEqual({
      login: 'lan.nguyen',
      csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      name: 'Nguyễn Thị Lan',
      role: 'analyst',
      unit: 'BRVT.SKHDT',
    });

    const account = await accountId('lan.nguyen');
    expect(await auditOf(account)).toEqual([
      {
        action: 'account.link-identity',
        detail: { login: 'lan.nguyen', issuer: provider.issuer, subject: 'u-1001' },
      },
      {
        action: 'session.sign-in',
        detail: { login: 'lan.nguyen', method: 'oidc', issuer: provider.issuer },
      },
    ]);
  });

  it('starts at the public address when the console is opened at another one of this server', async () => {
    const moved = `${PUBLIC_URL}/api/v1/session/oidc?relocated=1`;
    for (const elsewhere of [
      'http://localhost:3000',
      'http://127.0.0.1:3000',
      'http://sipas.example.vn',
      // A forged Host header moves nobody anywhere but to the configured address.
      'https://evil.example',
    ]) {
      const reply = await f.request(`${elsewhere}/api/v1/session/oidc`);
      expect(reply.status).toBe(302);
      expect(reply.headers.get('location')).toBe(moved);
      expect(reply.headers.getSetCookie()).toEqual([]);
    }
    // There, the sign-in goes on as usual: the state cookie is set where the provider returns.
    provider.signInAs({ subject: 'u-1001', claims: { preferred_username: 'lan.nguyen' } });
    const there = await f.request(moved);
    expect(there.status).toBe(302);
    const location = there.headers.get('location') ?? '';
    expect(location.startsWith(`${provider.issuer}/auth?`)).toBe(true);
    const pending = cookiesOf(there).get('sipas_oidc') ?? '';
    const back = await provider.followToCallback(location, REDIRECT_URI);
    expect(back.origin).toBe(PUBLIC_URL);
    const signedIn = await f.request(back.href, { headers: { Cookie: pending } });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('location')).toBe('/console');
    const me = await f.request(`${PUBLIC_URL}/api/v1/me`, {
      headers: { Cookie: sessionCookie(signedIn) },
    });
    expect(await me.json()).toMatchObject({ login: 'lan.nguyen' });
    // Reached through a proxy that hides the public address, the mark ends the redirects.
    const behindProxy = await f.request('http://127.0.0.1:3000/api/v1/session/oidc?relocated=1');
    expect(behindProxy.status).toBe(302);
    expect(behindProxy.headers.get('location')?.startsWith(provider.issuer)).toBe(true);
  });

  it('signs a linked identity in by its subject, whatever its login claim says later', async () => {
    provider.signInAs({ subject: 'u-1001', claims: { preferred_username: 'someone.else' } });
    const reply = await signIn();
    expect(reply.status).toBe(303);
    const me = await f.request('/api/v1/me', { headers: { Cookie: sessionCookie(reply) } });
    expect(await me.json()).toMatchObject({ login: 'lan.nguyen' });
  });

  it('refuses a second identity whose login claim names an account already linked', async () => {
    provider.signInAs({ subject: 'u-9999', claims: { preferred_username: 'LAN.NGUYEN' } });
    const reply = await signIn();
    expect(reply.status).toBe(403);
    expect(await reply.text()).toContain(
      'Tài khoản lan.nguyen đã gắn với một danh tính khác ở máy chủ đăng nhập này; hãy liên hệ ' +
        'quản trị viên. / Account lan.nguyen is linked to another identity at this provider; ' +
        'ask your administrator.',
    );
    const links = await f.database.db
      .selectFrom('account_identity')
      .select(['subject', 'account_id'])
      .execute();
    expect(links).toEqual([{ subject: 'u-1001', account_id: await accountId('lan.nguyen') }]);
  });

  it('refuses an identity without the login claim', async () => {
    provider.signInAs({ subject: 'u-4004', claims: {} });
    const reply = await signIn();
    expect(reply.status).toBe(403);
    expect(await reply.text()).toContain(
      'The single sign-on provider sent no preferred_username claim, so no account could be found',
    );
  });

  it('refuses a callback without the state cookie, or with another sign-in’s', async () => {
    provider.signInAs({ subject: 'u-1001', claims: { preferred_username: 'lan.nguyen' } });
    const none = await signIn(() => '');
    expect(none.status).toBe(400);
    expect(await none.text()).toContain(
      'Phiên đăng nhập một cửa đã hết hạn hoặc không bắt đầu từ trình duyệt này',
    );
    const other = (await leave()).pending;
    const swapped = await signIn(() => other);
    expect(swapped.status).toBe(401);
    expect(await swapped.text()).toContain('unexpected &quot;state&quot; response parameter value');
  });

  it('refuses an identity with no account, and never creates one', async () => {
    provider.signInAs({ subject: 'u-2002', claims: { preferred_username: 'khach' } });
    const reply = await signIn();
    expect(reply.status).toBe(403);
    expect(await reply.text()).toContain(
      'Không có tài khoản nào cho danh tính này (khach); hãy liên hệ quản trị viên. / No account ' +
        'for this identity (khach); ask your administrator.',
    );
  });

  it('refuses a disabled account, linked or not', async () => {
    await createAccount(f.database.db, testActor, {
      login: 'binh.tran',
      name: 'Trần Văn Bình',
      role: 'surveyor',
      unit: 'BRVT.SKHDT',
      password: PASSWORD,
    });
    provider.signInAs({ subject: 'u-3003', claims: { preferred_username: 'binh.tran' } });
    expect((await signIn()).status).toBe(303);
    await setAccountDisabled(f.database.db, testActor, 'binh.tran', true);
    const reply = await signIn();
    expect(reply.status).toBe(403);
    expect(await reply.text()).toContain('Tài khoản này đã bị khoá');
    expect(cookiesOf(reply).has('sipas_session')).toBe(false);

    await createAccount(f.database.db, testActor, {
      login: 'chi.le',
      name: 'Lê Thị Chi',
      role: 'analyst',
      unit: 'BRVT.SKHDT',
      password: PASSWORD,
    });
    await setAccountDisabled(f.database.db, testActor, 'chi.le', true);
    provider.signInAs({ subject: 'u-5005', claims: { preferred_username: 'chi.le' } });
    expect((await signIn()).status).toBe(403);
    // Refused, so not linked: enabled again, the account links at its next sign-in.
    expect(
      await f.database.db.selectFrom('account_identity').select('subject').execute(),
    ).not.toContainEqual({ subject: 'u-5005' });
  });

  it('refuses a sign-in the provider refused', async () => {
    provider.refuseNext();
    const reply = await signIn();
    expect(reply.status).toBe(401);
    expect(await reply.text()).toContain(
      '(the provider answered access_denied: refused in the test)',
    );
  });
});

describe('single sign-on not configured', () => {
  let f: RouteFixture;
  beforeAll(async () => {
    f = await openRouteFixture('pglite');
  });
  afterAll(() => f.database.close());

  it('says so to the sign-in page, and answers 404 to its routes', async () => {
    expect(await (await f.request('/api/v1/session/methods')).json()).toEqual({
      singleSignOn: false,
    });
    const begin = await f.request('/api/v1/session/oidc');
    expect(begin.status).toBe(404);
    expect(await begin.json()).toMatchObject({
      status: 404,
      detail: 'Single sign-on is not configured on this server.',
    });
    const inVietnamese = await f.request('/api/v1/session/oidc', {
      headers: { 'Accept-Language': 'vi' },
    });
    expect(inVietnamese.status).toBe(404);
    expect(await inVietnamese.json()).toMatchObject({
      status: 404,
      detail: 'Đăng nhập một cửa chưa được cấu hình trên máy chủ này.',
    });
    const back = await f.request('/api/v1/session/oidc/callback?code=x&state=y');
    expect(back.status).toBe(404);
    expect(back.headers.get('content-type')).toBe('text/html; charset=UTF-8');
    expect(await back.text()).toContain('Single sign-on is not configured on this server.');
  });
});
