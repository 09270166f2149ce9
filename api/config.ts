// Configuration is read from the environment once, at start-up, into one frozen object.
// A missing or malformed variable stops the process with its name (ConfigError).
import { z } from 'zod';

const limit = z.coerce.number().int().min(0);

const schema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(8787),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'a postgres:// connection URL')
    .optional(),
  SIPAS_DATA_DIR: z.string().min(1).default('./data'),
  /** PostgreSQL: the longest a statement of the server may run; 0 for no limit. */
  SIPAS_DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(30_000),
  /** PostgreSQL: the longest the server waits for a connection, new or from the pool. */
  SIPAS_DB_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(1).default(5_000),
  /** The address citizens reach, used in QR codes; defaults to http://localhost:PORT. */
  SIPAS_PUBLIC_URL: z.url().optional(),
  SIPAS_RATE_LIMIT_DEVICE: limit.default(30),
  SIPAS_RATE_LIMIT_IP: limit.default(600),
  /** Seed the DEMO province on an empty database. */
  SIPAS_DEMO: z.enum(['on', 'off']).default('on'),
});

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly database:
    | {
        readonly engine: 'postgres';
        readonly databaseUrl: string;
        readonly statementTimeoutMs?: number;
        readonly connectTimeoutMs?: number;
      }
    | { readonly engine: 'pglite'; readonly dataDir: string };
  readonly publicUrl: string;
  readonly rateLimit: { readonly perDevice: number; readonly perIp: number };
  readonly demo: boolean;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
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
        ? {
            engine: 'postgres' as const,
            databaseUrl: e.DATABASE_URL,
            statementTimeoutMs: e.SIPAS_DB_STATEMENT_TIMEOUT_MS,
            connectTimeoutMs: e.SIPAS_DB_CONNECT_TIMEOUT_MS,
          }
        : { engine: 'pglite' as const, dataDir: e.SIPAS_DATA_DIR },
    ),
    publicUrl: (e.SIPAS_PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    rateLimit: Object.freeze({
      perDevice: e.SIPAS_RATE_LIMIT_DEVICE,
      perIp: e.SIPAS_RATE_LIMIT_IP,
    }),
    demo: e.SIPAS_DEMO === 'on',
  });
}
