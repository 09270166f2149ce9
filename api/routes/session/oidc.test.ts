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
  });
  afterAll(async () => {
    await f.database.close();
    await provider.stop();
  });

  /** GET /api/v1/session/oidc: the provider's address and the state cookie. */
  async function leave() {
    const reply = await f.request('/api/v1/session/oidc');
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
    const cookies = cookiesOf(signedIn);
    expect(cookies.get('sipas_oidc')).toBe('sipas_oidc=');
    const session = [...cookies].find(([name]) => name !== 'sipas_oidc')?.[1];
    if (session === undefined) throw new Error('no session cookie');

    const me = await f.request('/api/v1/me', { headers: { Cookie: session } });
    expect(me.status).toBe(200);
    expect(await me.json()).toEqual({
      login: 'lan.nguyen',
      csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      name: 'Nguyễn Thị Lan',
      role: 'analyst',
      unit: 'BRVT.SKHDT',
    });
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
  });
});
