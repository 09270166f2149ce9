// Single sign-on through a province's OpenID Connect provider: the authorization-code flow with
// PKCE, a state and a nonce, by openid-client (certified, maintained), which checks the ID
// token's signature, issuer, audience, expiry and nonce. This module speaks the protocol only;
// which staff account an identity is, is api/services/identities.ts's business.
import * as client from 'openid-client';
import * as z from 'zod';
import type { OidcConfig } from '../config.ts';
import { DomainError, text } from '../errors.ts';

/** What the browser keeps between leaving for the provider and coming back (a cookie). */
export const pendingSignInSchema = z.object({
  state: z.string().min(1),
  nonce: z.string().min(1),
  codeVerifier: z.string().min(43),
});
export type PendingSignIn = z.infer<typeof pendingSignInSchema>;

/** An identity the provider vouched for. */
export interface VerifiedIdentity {
  readonly issuer: string;
  readonly subject: string;
  /** The configured login claim's value, from the ID token or else the userinfo endpoint. */
  readonly login: string | undefined;
}

export interface SingleSignOn {
  /** The provider's authorization URL to send the browser to, and what to keep until it returns. */
  begin(): Promise<{ authorizationUrl: string; pending: PendingSignIn }>;
  /** Verifies the provider's answer (the query of the callback) against what was kept. */
  complete(callbackQuery: string, pending: PendingSignIn): Promise<VerifiedIdentity>;
}

/** The scopes asked for: `profile` and `email` carry the usual login claims. */
const SCOPE = 'openid profile email';
/** Seconds to wait for the provider, for each request to it. */
const PROVIDER_TIMEOUT_SECONDS = 10;

const unreachable = (error: unknown) =>
  new DomainError(
    'unavailable',
    text(
      `Không kết nối được máy chủ đăng nhập một cửa (${reasonOf(error)}).`,
      `The single sign-on provider cannot be reached (${reasonOf(error)}).`,
    ),
  );

/** A fetch that failed on the network, not a reply that said no. */
const isNetworkFailure = (error: unknown): boolean =>
  error instanceof TypeError ||
  (error instanceof Error && error.cause !== undefined && isNetworkFailure(error.cause));

/** What went wrong, most precisely: the provider's error, or the innermost cause's message. */
function reasonOf(error: unknown): string {
  if (
    error instanceof client.AuthorizationResponseError ||
    error instanceof client.ResponseBodyError
  ) {
    const said = error.error_description ? `: ${error.error_description}` : '';
    return `the provider answered ${error.error}${said}`;
  }
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? reasonOf(error.cause) : error.message;
}

function refusal(error: unknown): DomainError {
  if (isNetworkFailure(error)) return unreachable(error);
  return new DomainError(
    'unauthorized',
    text(
      `Đăng nhập một cửa không được xác nhận (${reasonOf(error)}).`,
      `The single sign-on could not be verified (${reasonOf(error)}).`,
    ),
  );
}

function claimText(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * Single sign-on with the configured provider. Its discovery document is fetched at the first
 * sign-in, not at start-up, so that a provider down for a while never stops the service; a
 * failed discovery is tried again at the next sign-in.
 */
export function singleSignOn(config: OidcConfig): SingleSignOn {
  let discovered: Promise<client.Configuration> | undefined;
  const provider = () => {
    discovered ??= client
      .discovery(new URL(config.issuer), config.clientId, config.clientSecret, undefined, {
        timeout: PROVIDER_TIMEOUT_SECONDS,
        // config.ts allows plain HTTP for a provider on this machine only.
        execute: new URL(config.issuer).protocol === 'http:' ? [client.allowInsecureRequests] : [],
      })
      .catch((error: unknown) => {
        discovered = undefined;
        throw unreachable(error);
      });
    return discovered;
  };

  return {
    async begin() {
      const configuration = await provider();
      const pending: PendingSignIn = {
        state: client.randomState(),
        nonce: client.randomNonce(),
        codeVerifier: client.randomPKCECodeVerifier(),
      };
      const authorizationUrl = client.buildAuthorizationUrl(configuration, {
        redirect_uri: config.redirectUri,
        scope: SCOPE,
        state: pending.state,
        nonce: pending.nonce,
        code_challenge: await client.calculatePKCECodeChallenge(pending.codeVerifier),
        code_challenge_method: 'S256',
      });
      return { authorizationUrl: authorizationUrl.href, pending };
    },

    async complete(callbackQuery, pending) {
      const configuration = await provider();
      // The callback as registered, whatever host or proxy the request came through.
      const callback = new URL(config.redirectUri);
      callback.search = callbackQuery;
      try {
        const tokens = await client.authorizationCodeGrant(configuration, callback, {
          pkceCodeVerifier: pending.codeVerifier,
          expectedState: pending.state,
          expectedNonce: pending.nonce,
          idTokenExpected: true,
        });
        const claims = tokens.claims();
        if (!claims) throw new Error('no ID token');
        let login = claimText(claims[config.loginClaim]);
        // Many providers release profile claims at the userinfo endpoint only.
        if (login === undefined) {
          const userinfo = await client.fetchUserInfo(
            configuration,
            tokens.access_token,
            claims.sub,
          );
          login = claimText(userinfo[config.loginClaim]);
        }
        return { issuer: claims.iss, subject: claims.sub, login };
      } catch (error) {
        throw refusal(error);
      }
    },
  };
}
