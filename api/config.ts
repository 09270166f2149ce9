// Configuration is read from the environment once, at start-up, into one frozen object.
// A missing or malformed variable stops the process with its name (ConfigError).
import { z } from 'zod';

const limit = z.coerce.number().int().min(0);
const milliseconds = z.coerce.number().int().min(1);

const schema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(8787),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'a postgres:// connection URL')
    .optional(),
  SIPAS_DATA_DIR: z.string().min(1).default('./data'),
  /** The address citizens reach, used in QR codes; defaults to http://localhost:PORT. */
  SIPAS_PUBLIC_URL: z.url().optional(),
  SIPAS_RATE_LIMIT_DEVICE: limit.default(30),
  SIPAS_RATE_LIMIT_IP: limit.default(600),
  /** Seed the DEMO province on an empty database. */
  SIPAS_DEMO: z.enum(['on', 'off']).default('on'),
  // A connection that trickles its request holds a file descriptor as long as it is let:
  // these bound how long, and how many one address may hold (api/server.ts).
  SIPAS_HEADERS_TIMEOUT_MS: milliseconds.default(15_000),
  /** Whole requests: a 32 MB CSV upload must arrive within it. */
  SIPAS_REQUEST_TIMEOUT_MS: milliseconds.default(120_000),
  /** A survey submission's body (64 KB at most): long enough for a phone on 2G. */
  SIPAS_SURVEY_BODY_TIMEOUT_MS: milliseconds.default(30_000),
  /** 0: no cap, as behind a reverse proxy, where every connection comes from its address. */
  SIPAS_CONNECTIONS_PER_IP: limit.default(256),
});

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly database:
    | { readonly engine: 'postgres'; readonly databaseUrl: string }
    | { readonly engine: 'pglite'; readonly dataDir: string };
  readonly publicUrl: string;
  readonly rateLimit: { readonly perDevice: number; readonly perIp: number };
  readonly demo: boolean;
  readonly http: {
    readonly headersTimeoutMs: number;
    readonly requestTimeoutMs: number;
    readonly surveyBodyTimeoutMs: number;
    /** Open connections one client address may hold; 0 for no cap. */
    readonly connectionsPerIp: number;
  };
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema
    // Node refuses a headers timeout longer than the whole request's.
    .refine((e) => e.SIPAS_HEADERS_TIMEOUT_MS <= e.SIPAS_REQUEST_TIMEOUT_MS, {
      path: ['SIPAS_HEADERS_TIMEOUT_MS'],
      message: 'at most SIPAS_REQUEST_TIMEOUT_MS',
    })
    .safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Bad configuration:\n  ${problems.join('\n  ')}`);
  }
  const e = parsed.data;
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    database: Object.freeze(
      e.DATABASE_URL
        ? { engine: 'postgres' as const, databaseUrl: e.DATABASE_URL }
        : { engine: 'pglite' as const, dataDir: e.SIPAS_DATA_DIR },
    ),
    publicUrl: (e.SIPAS_PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    rateLimit: Object.freeze({
      perDevice: e.SIPAS_RATE_LIMIT_DEVICE,
      perIp: e.SIPAS_RATE_LIMIT_IP,
    }),
    demo: e.SIPAS_DEMO === 'on',
    http: Object.freeze({
      headersTimeoutMs: e.SIPAS_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: e.SIPAS_REQUEST_TIMEOUT_MS,
      surveyBodyTimeoutMs: e.SIPAS_SURVEY_BODY_TIMEOUT_MS,
      connectionsPerIp: e.SIPAS_CONNECTIONS_PER_IP,
    }),
  });
}
