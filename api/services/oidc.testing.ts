// A real OpenID Connect provider (the `oidc-provider` package) for the single sign-on tests, on
// 127.0.0.1 and a free port. Its login page is replaced by one that signs in whoever the test
// names (`signInAs`), and every client's consent is granted beforehand, so that a plain
// `fetch` with a cookie jar walks the whole authorization-code flow (`followToCallback`).
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type JWK } from 'oidc-provider';

export const TEST_CLIENT = { id: 'sipas-test', secret: 'a-test-secret-of-32-characters-x' };

export interface TestIdentity {
  readonly subject: string;
  /** The claims the provider releases besides `sub`, e.g. `preferred_username`. */
  readonly claims: Readonly<Record<string, string>>;
}

export interface TestProvider {
  readonly issuer: string;
  /** Who the next login at the provider signs in as. */
  signInAs(identity: TestIdentity): void;
  /** Whether the next authorization is refused at the provider (`error=access_denied`). */
  refuseNext(): void;
  /**
   * Follows an authorization URL through the provider's redirects, with the provider's
   * cookies kept between them, up to the redirect back to `redirectUri`: that address.
   */
  followToCallback(authorizationUrl: string, redirectUri: string): Promise<URL>;
  stop(): Promise<void>;
}

/** The first value of each Set-Cookie of a reply, by cookie name. */
function setCookies(reply: Response): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const line of reply.headers.getSetCookie()) {
    const pair = line.split(';', 1)[0] ?? '';
    const at = pair.indexOf('=');
    if (at > 0) cookies.set(pair.slice(0, at), pair.slice(at + 1));
  }
  return cookies;
}

export async function startTestProvider(redirectUris: readonly string[]): Promise<TestProvider> {
  let identity: TestIdentity = { subject: 'nobody', claims: {} };
  let refuse = false;

  async function interaction(req: IncomingMessage, res: ServerResponse, target: Provider) {
    const details = await target.interactionDetails(req, res);
    const result = refuse
      ? { error: 'access_denied', error_description: 'refused in the test' }
      : { login: { accountId: identity.subject } };
    refuse = false;
    if (details.prompt.name !== 'login' && !('error' in result)) {
      throw new Error(`The test provider asked for ${details.prompt.name}, not a login.`);
    }
    await target.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
  }

  // Listening first: the issuer names the port, and the provider is made with its issuer.
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signingKey: JWK = { ...privateKey.export({ format: 'jwk' }), kid: 'test', use: 'sig' };
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: TEST_CLIENT.id,
        client_secret: TEST_CLIENT.secret,
        redirect_uris: [...redirectUris],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    jwks: { keys: [signingKey] },
    cookies: { keys: ['test-cookie-key'] },
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      Grant: 600,
      IdToken: 600,
      Interaction: 600,
      Session: 600,
    },
    claims: { openid: ['sub'], profile: ['preferred_username', 'name'], email: ['email'] },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, details) => `/interaction/${details.uid}` },
    findAccount: (_ctx, sub) => ({
      accountId: sub,
      claims: () => ({ sub, ...(sub === identity.subject ? identity.claims : {}) }),
    }),
    // Consent is the province's business, not the test's: every scope asked for is granted.
    async loadExistingGrant(ctx) {
      const accountId = ctx.oidc.session?.accountId;
      const clientId = ctx.oidc.client?.clientId;
      if (accountId === undefined || clientId === undefined) return undefined;
      const grant = new ctx.oidc.provider.Grant({ accountId, clientId });
      grant.addOIDCScope('openid profile email');
      await grant.save();
      return grant;
    },
  });

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.url?.startsWith('/interaction/')) {
      interaction(req, res, provider).catch((error: unknown) => {
        res.writeHead(500).end(String(error));
      });
      return;
    }
    void provider.callback()(req, res);
  });

  return {
    issuer,
    signInAs(next) {
      identity = next;
    },
    refuseNext() {
      refuse = true;
    },
    async followToCallback(authorizationUrl, redirectUri) {
      const jar = new Map<string, string>();
      let url = new URL(authorizationUrl);
      for (let hop = 0; hop < 10; hop++) {
        if (`${url.origin}${url.pathname}` === redirectUri) return url;
        const reply = await fetch(url, {
          redirect: 'manual',
          headers: { Cookie: [...jar].map(([name, value]) => `${name}=${value}`).join('; ') },
        });
        for (const [name, value] of setCookies(reply)) jar.set(name, value);
        const location = reply.headers.get('location');
        if (location === null) {
          throw new Error(`The provider answered ${reply.status}: ${await reply.text()}`);
        }
        url = new URL(location, url);
      }
      throw new Error('The provider redirected more than ten times.');
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}
