import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type OidcConfig } from '../config.ts';
import { DomainError } from '../errors.ts';
import { singleSignOn, type SingleSignOn } from './oidc.ts';
import { startTestProvider, TEST_CLIENT, type TestProvider } from './oidc.testing.ts';

const PUBLIC_URL = 'https://sipas.example.vn';
const REDIRECT_URI = `${PUBLIC_URL}/api/v1/session/oidc/callback`;

let provider: TestProvider;
let config: OidcConfig;
let sso: SingleSignOn;

beforeAll(async () => {
  provider = await startTestProvider([REDIRECT_URI]);
  const oidc = loadConfig({
    SIPAS_PUBLIC_URL: PUBLIC_URL,
    SIPAS_OIDC_ISSUER: provider.issuer,
    SIPAS_OIDC_CLIENT_ID: TEST_CLIENT.id,
    SIPAS_OIDC_CLIENT_SECRET: TEST_CLIENT.secret,
  }).oidc;
  if (!oidc) throw new Error('single sign-on should be configured');
  config = oidc;
  sso = singleSignOn(config);
});
afterAll(() => provider.stop());

/** The refusal a promise ends in: its code and its message in both languages. */
async function refusal(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return { code: error.code, text: error.text };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('single sign-on with a real OpenID Connect provider', () => {
  it('sends the browser to the provider with PKCE, a state and a nonce, and verifies its answer', async () => {
    provider.signInAs({ subject: 'u-1001', claims: { preferred_username: 'lan.nguyen' } });
    const { authorizationUrl, pending } = await sso.begin();
    const asked = new URL(authorizationUrl);
    expect(`${asked.origin}${asked.pathname}`).toBe(`${provider.issuer}/auth`);
    expect(Object.fromEntries(asked.searchParams)).toEqual({
      client_id: TEST_CLIENT.id,
      response_type: 'code',
      redirect_uri: REDIRECT_URI,
      scope: 'openid profile email',
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      code_challenge_method: 'S256',
    });
    expect(pending.codeVerifier).not.toBe(asked.searchParams.get('code_challenge'));

    const callback = await provider.followToCallback(authorizationUrl, REDIRECT_URI);
    expect(callback.searchParams.get('state')).toBe(pending.state);
    expect(await sso.complete(callback.search, pending)).toEqual({
      issuer: provider.issuer,
      subject: 'u-1001',
      login: 'lan.nguyen',
    });
  });

  it('takes the login from another claim when configured, and none when it is missing', async () => {
    const byEmail = singleSignOn({ ...config, loginClaim: 'email' });
    provider.signInAs({ subject: 'u-1002', claims: { email: 'binh@brvt.gov.vn' } });
    let { authorizationUrl, pending } = await byEmail.begin();
    let callback = await provider.followToCallback(authorizationUrl, REDIRECT_URI);
    expect(await byEmail.complete(callback.search, pending)).toEqual({
      issuer: provider.issuer,
      subject: 'u-1002',
      login: 'binh@brvt.gov.vn',
    });

    provider.signInAs({ subject: 'u-1003', claims: {} });
    ({ authorizationUrl, pending } = await sso.begin());
    callback = await provider.followToCallback(authorizationUrl, REDIRECT_URI);
    expect(await sso.complete(callback.search, pending)).toEqual({
      issuer: provider.issuer,
      subject: 'u-1003',
      login: undefined,
    });
  });

  it('refuses an answer whose state, nonce or code verifier is not the one kept', async () => {
    provider.signInAs({ subject: 'u-1001', claims: { preferred_username: 'lan.nguyen' } });
    for (const [field, expected] of [
      ['state', /unexpected "state" response parameter value/],
      ['nonce', /unexpected ID Token "nonce" claim value/],
      ['codeVerifier', /\(the provider answered invalid_grant: grant request is invalid\)\.$/],
    ] as const) {
      const { authorizationUrl, pending } = await sso.begin();
      const callback = await provider.followToCallback(authorizationUrl, REDIRECT_URI);
      const other = (await sso.begin()).pending;
      const refused = await refusal(
        sso.complete(callback.search, { ...pending, [field]: other[field] }),
      );
      expect(refused.code, field).toBe('unauthorized');
      expect(refused.text.vi, field).toMatch(/^Đăng nhập một cửa không được xác nhận \(/);
      expect(refused.text.en, field).toMatch(/^The single sign-on could not be verified \(/);
      expect(refused.text.vi, field).toMatch(expected);
      expect(refused.text.en, field).toMatch(expected);
    }
  });

  it('refuses a code used twice, and a sign-in the provider refused', async () => {
    provider.signInAs({ subject: 'u-1001', claims: { preferred_username: 'lan.nguyen' } });
    let { authorizationUrl, pending } = await sso.begin();
    let callback = await provider.followToCallback(authorizationUrl, REDIRECT_URI);
    await sso.complete(callback.search, pending);
    expect((await refusal(sso.complete(callback.search, pending))).text.en).toMatch(
      /\(the provider answered invalid_grant: grant request is invalid\)\.$/,
    );

    provider.refuseNext();
    ({ authorizationUrl, pending } = await sso.begin());
    callback = await provider.followToCallback(authorizationUrl, REDIRECT_URI);
    expect(await refusal(sso.complete(callback.search, pending))).toEqual({
      code: 'unauthorized',
      text: {
        vi: 'Đăng nhập một cửa không được xác nhận (the provider answered access_denied: refused in the test).',
        en: 'The single sign-on could not be verified (the provider answered access_denied: refused in the test).',
      },
    });
  });

  it('says the provider cannot be reached, and tries its discovery again at the next sign-in', async () => {
    const down = singleSignOn({ ...config, issuer: 'http://127.0.0.1:9' });
    const refused = await refusal(down.begin());
    expect(refused.code).toBe('unavailable');
    expect(refused.text.vi).toMatch(/^Không kết nối được máy chủ đăng nhập một cửa \(.+\)\.$/);
    expect(refused.text.en).toMatch(/^The single sign-on provider cannot be reached \(.+\)\.$/);
    expect((await refusal(down.begin())).code).toBe('unavailable');
  });
});
