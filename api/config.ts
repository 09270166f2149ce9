// Configuration is read from the environment once, at start-up, into one frozen object.
// A missing or malformed variable stops the process with its name (ConfigError).
import * as z from 'zod';
import { REORGANISED_BELOW } from '../analysis/lineage.ts';
import { parseAddressBlock } from './services/client-address.ts';
import type { RateLimits } from './services/rate-limit.ts';

const limit = z.coerce.number().int().min(0);
const milliseconds = z.coerce.number().int().min(1);
/**
 * The default ceiling, in multiples of the quarantine limit: a person at a counter never comes
 * near it, and a limit turned off (0) turns its default ceiling off too, e.g. for benchmarks.
 */
const CEILING_FACTOR = 10;

/** A variable set empty is unset, as in an env file's `DATABASE_URL=`. */
const unsetIfEmpty = (value: unknown) => (value === '' ? undefined : value);

/** Which database: the server's and the command line's alike. */
const databaseSchema = z.object({
  DATABASE_URL: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'a postgres:// connection URL')
      .optional(),
  ),
  /**
   * A PostgreSQL streaming standby of DATABASE_URL's database, on which the analysis reads run
   * (docs/scale-out.md, a read replica).
   */
  DATABASE_READ_URL: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'a postgres:// connection URL')
      .optional(),
  ),
  SIPAS_DATA_DIR: z.preprocess(unsetIfEmpty, z.string().default('./data')),
});

/** A standby replays a primary: the embedded engine has none. */
const checkedDatabase = <T extends z.ZodType<z.output<typeof databaseSchema>>>(schema: T) =>
  schema.superRefine((e, ctx) => {
    if (e.DATABASE_READ_URL !== undefined && e.DATABASE_URL === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['DATABASE_READ_URL'],
        message: 'a standby of DATABASE_URL: set only with it',
      });
    }
  });

/** How reports are made: the server's and the command line's alike. */
const reportsSchema = z.object({
  /** A compared group is `reorganised` below this coverage (docs/organisation.md). */
  SIPAS_REORGANISED_BELOW: z.preprocess(
    unsetIfEmpty,
    z.coerce.number().min(0).max(1).default(REORGANISED_BELOW),
  ),
});

const schema = databaseSchema.extend(reportsSchema.shape).extend({
  PORT: z.coerce.number().int().min(1).max(65535).default(8787),
  HOST: z.string().min(1).default('0.0.0.0'),
  /** PostgreSQL: the longest a statement of the server may run; 0 for no limit. */
  SIPAS_DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(30_000),
  /** PostgreSQL: the longest the server waits for a connection, new or from the pool. */
  SIPAS_DB_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(1).default(5_000),
  /** The address citizens reach, used in QR codes; defaults to http://localhost:PORT. */
  SIPAS_PUBLIC_URL: z.url().optional(),
  SIPAS_RATE_LIMIT_DEVICE: limit.default(30),
  SIPAS_RATE_LIMIT_IP: limit.default(600),
  /** Over these a submission is refused (429); by default ten times the limit above. */
  SIPAS_RATE_CEILING_DEVICE: limit.optional(),
  SIPAS_RATE_CEILING_IP: limit.optional(),
  /** Reverse proxies whose X-Forwarded-For names the client (api/services/client-address.ts). */
  SIPAS_TRUSTED_PROXIES: z
    .string()
    .default('')
    .transform((list) =>
      list
        .split(',')
        .map((entry) => entry.trim())
        .filter((entry) => entry !== ''),
    )
    .pipe(
      z.array(
        z
          .string()
          .refine((entry) => parseAddressBlock(entry) !== undefined, 'an IP address or CIDR block'),
      ),
    ),
  /** Seed the DEMO province on an empty database. */
  SIPAS_DEMO: z.enum(['on', 'off']).default('on'),
  // A connection that trickles its request holds a file descriptor as long as it is let:
  // these bound how long, and how many one address may hold (api/server.ts).
  SIPAS_HEADERS_TIMEOUT_MS: milliseconds.default(15_000),
  /** Whole requests: a 32 MB CSV upload must arrive within it. */
  SIPAS_REQUEST_TIMEOUT_MS: milliseconds.default(120_000),
  /** A survey submission's body (64 KB at most): long enough for a phone on 2G. */
  SIPAS_SURVEY_BODY_TIMEOUT_MS: milliseconds.default(30_000),
  /** How long a replaced or revoked QR code still takes answers as valid (spec §7). */
  SIPAS_REVOKED_TOKEN_GRACE_DAYS: z.coerce.number().int().min(0).max(3650).default(7),
  /** 0: no cap, as behind a reverse proxy, where every connection comes from its address. */
  SIPAS_CONNECTIONS_PER_IP: limit.default(256),
  /** Single sign-on (api/services/oidc.ts): off unless the issuer and the client id are set. */
  SIPAS_OIDC_ISSUER: z.preprocess(unsetIfEmpty, z.url().optional()),
  SIPAS_OIDC_CLIENT_ID: z.preprocess(unsetIfEmpty, z.string().optional()),
  /** Unset for a public client, which PKCE alone protects. */
  SIPAS_OIDC_CLIENT_SECRET: z.preprocess(unsetIfEmpty, z.string().optional()),
  /** The claim whose value is a staff account's login, the first time an identity signs in. */
  SIPAS_OIDC_LOGIN_CLAIM: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .regex(/^[A-Za-z0-9_.:-]+$/, 'a claim name')
      .default('preferred_username'),
  ),
});

/**
 * Addresses that take connections from this machine only: the only hosts an identity provider
 * may be reached at over plain HTTP (a test's, a developer's).
 */
const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|::1|\[::1\])$/i;

const checked = checkedDatabase(schema).superRefine((e, ctx) => {
  // A ceiling under its limit would refuse people before quarantining anyone.
  for (const [ceiling, limit] of [
    ['SIPAS_RATE_CEILING_DEVICE', 'SIPAS_RATE_LIMIT_DEVICE'],
    ['SIPAS_RATE_CEILING_IP', 'SIPAS_RATE_LIMIT_IP'],
  ] as const) {
    const value = e[ceiling];
    if (value !== undefined && value !== 0 && value < e[limit]) {
      ctx.addIssue({ code: 'custom', path: [ceiling], message: `0 or at least ${limit}` });
    }
  }
  if ((e.SIPAS_OIDC_ISSUER === undefined) !== (e.SIPAS_OIDC_CLIENT_ID === undefined)) {
    const unset = e.SIPAS_OIDC_ISSUER === undefined ? 'SIPAS_OIDC_ISSUER' : 'SIPAS_OIDC_CLIENT_ID';
    ctx.addIssue({
      code: 'custom',
      path: [unset],
      message: 'SIPAS_OIDC_ISSUER and SIPAS_OIDC_CLIENT_ID are set together',
    });
  }
  // Tokens and the provider's keys travel over this address: plain HTTP only on this machine.
  if (e.SIPAS_OIDC_ISSUER !== undefined) {
    const issuer = new URL(e.SIPAS_OIDC_ISSUER);
    if (
      issuer.protocol !== 'https:' &&
      !(issuer.protocol === 'http:' && LOOPBACK.test(issuer.hostname))
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['SIPAS_OIDC_ISSUER'],
        message: 'an https:// URL (http:// only on localhost)',
      });
    }
  }
  // Node refuses a headers timeout longer than the whole request's.
  if (e.SIPAS_HEADERS_TIMEOUT_MS > e.SIPAS_REQUEST_TIMEOUT_MS) {
    ctx.addIssue({
      code: 'custom',
      path: ['SIPAS_HEADERS_TIMEOUT_MS'],
      message: 'at most SIPAS_REQUEST_TIMEOUT_MS',
    });
  }
});

export type DatabaseConfig =
  | {
      readonly engine: 'postgres';
      readonly databaseUrl: string;
      /** A streaming standby of it, for the analysis reads; unset: they run on the primary. */
      readonly readUrl?: string;
      readonly statementTimeoutMs?: number;
      readonly connectTimeoutMs?: number;
    }
  | { readonly engine: 'pglite'; readonly dataDir: string };

/** Single sign-on through an OpenID Connect provider (api/services/oidc.ts). */
export interface OidcConfig {
  /** The provider's issuer identifier, where its discovery document lies. */
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret?: string;
  /** The claim matched against a staff account's login at an identity's first sign-in. */
  readonly loginClaim: string;
  /** The address the provider sends the browser back to: to register with the provider. */
  readonly redirectUri: string;
}

/** Where the provider sends the browser back, under SIPAS_PUBLIC_URL. */
export const OIDC_CALLBACK_PATH = '/api/v1/session/oidc/callback';

export interface ReportsConfig {
  /** A compared group whose coverage is below this is flagged `reorganised`. */
  readonly reorganisedBelow: number;
}

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly database: DatabaseConfig;
  readonly publicUrl: string;
  /**
   * SIPAS_PUBLIC_URL is unset while the server listens beyond this machine: printed QR codes
   * point at localhost, which no citizen's phone reaches (warned at start-up and on the sheet).
   */
  readonly qrPointsAtLocalhost: boolean;
  readonly rateLimit: RateLimits;
  /** Addresses and CIDR blocks of the reverse proxies in front; empty: none is trusted. */
  readonly trustedProxies: readonly string[];
  readonly demo: boolean;
  readonly reports: ReportsConfig;
  /** Null when single sign-on is off. */
  readonly oidc: OidcConfig | null;
  /**
   * After a counter's survey token is revoked, answers sent under it are stored as valid for
   * this long, then quarantined as `revoked-token`.
   */
  readonly revokedTokenGraceMs: number;
  readonly http: {
    readonly headersTimeoutMs: number;
    readonly requestTimeoutMs: number;
    readonly surveyBodyTimeoutMs: number;
    /** Open connections one client address may hold; 0 for no cap. */
    readonly connectionsPerIp: number;
  };
}

export class ConfigError extends Error {}

function parseEnvironment<T>(schema: z.ZodType<T>, env: NodeJS.ProcessEnv): T {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Bad configuration:\n  ${problems.join('\n  ')}`);
  }
  return parsed.data;
}

const readUrlOf = (e: z.output<typeof databaseSchema>) =>
  e.DATABASE_READ_URL === undefined ? {} : { readUrl: e.DATABASE_READ_URL };

/**
 * The database alone, for the command line: the server's rules for DATABASE_URL and
 * SIPAS_DATA_DIR, without the server's other variables or its statement timeouts.
 */
export function loadDatabaseConfig(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  const e = parseEnvironment(checkedDatabase(databaseSchema), env);
  return Object.freeze(
    e.DATABASE_URL
      ? { engine: 'postgres' as const, databaseUrl: e.DATABASE_URL, ...readUrlOf(e) }
      : { engine: 'pglite' as const, dataDir: e.SIPAS_DATA_DIR },
  );
}

const reportsConfig = (e: z.output<typeof reportsSchema>): ReportsConfig =>
  Object.freeze({ reorganisedBelow: e.SIPAS_REORGANISED_BELOW });

/** The reports' settings alone, for the command line. */
export function loadReportsConfig(env: NodeJS.ProcessEnv = process.env): ReportsConfig {
  return reportsConfig(parseEnvironment(reportsSchema, env));
}

/** Where the service is reached: the server's port, and the address in links and QR codes. */
const addressSchema = schema.pick({ PORT: true, SIPAS_PUBLIC_URL: true });

const publicUrlOf = (e: z.output<typeof addressSchema>) =>
  (e.SIPAS_PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, '');

/** The public address alone, for the command line's links (`sipas officials links`). */
export function loadPublicUrl(env: NodeJS.ProcessEnv = process.env): string {
  return publicUrlOf(parseEnvironment(addressSchema, env));
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const e = parseEnvironment(checked, env);
  const publicUrl = publicUrlOf(e);
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    database: Object.freeze(
      e.DATABASE_URL
        ? {
            engine: 'postgres' as const,
            databaseUrl: e.DATABASE_URL,
            ...readUrlOf(e),
            statementTimeoutMs: e.SIPAS_DB_STATEMENT_TIMEOUT_MS,
            connectTimeoutMs: e.SIPAS_DB_CONNECT_TIMEOUT_MS,
          }
        : { engine: 'pglite' as const, dataDir: e.SIPAS_DATA_DIR },
    ),
    publicUrl,
    qrPointsAtLocalhost: e.SIPAS_PUBLIC_URL === undefined && !LOOPBACK.test(e.HOST),
    rateLimit: Object.freeze({
      perDevice: e.SIPAS_RATE_LIMIT_DEVICE,
      perIp: e.SIPAS_RATE_LIMIT_IP,
      ceilingPerDevice: e.SIPAS_RATE_CEILING_DEVICE ?? CEILING_FACTOR * e.SIPAS_RATE_LIMIT_DEVICE,
      ceilingPerIp: e.SIPAS_RATE_CEILING_IP ?? CEILING_FACTOR * e.SIPAS_RATE_LIMIT_IP,
    }),
    trustedProxies: Object.freeze(e.SIPAS_TRUSTED_PROXIES),
    demo: e.SIPAS_DEMO === 'on',
    reports: reportsConfig(e),
    oidc:
      e.SIPAS_OIDC_ISSUER === undefined || e.SIPAS_OIDC_CLIENT_ID === undefined
        ? null
        : Object.freeze({
            issuer: e.SIPAS_OIDC_ISSUER,
            clientId: e.SIPAS_OIDC_CLIENT_ID,
            ...(e.SIPAS_OIDC_CLIENT_SECRET === undefined
              ? {}
              : { clientSecret: e.SIPAS_OIDC_CLIENT_SECRET }),
            loginClaim: e.SIPAS_OIDC_LOGIN_CLAIM,
            redirectUri: publicUrl + OIDC_CALLBACK_PATH,
          }),
    revokedTokenGraceMs: e.SIPAS_REVOKED_TOKEN_GRACE_DAYS * 24 * 60 * 60 * 1000,
    http: Object.freeze({
      headersTimeoutMs: e.SIPAS_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: e.SIPAS_REQUEST_TIMEOUT_MS,
      surveyBodyTimeoutMs: e.SIPAS_SURVEY_BODY_TIMEOUT_MS,
      connectionsPerIp: e.SIPAS_CONNECTIONS_PER_IP,
    }),
  });
}
