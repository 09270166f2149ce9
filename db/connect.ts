// The one place that knows there are two engines. Everything else gets a Kysely<Database>.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { enableCopy } from './copy.ts';
import type { Database } from './database.ts';
import { durableDataDirectory } from './durable-fs.ts';
import { lockDataDirectory } from './lock.ts';

export type Engine = 'pglite' | 'postgres';

export type ConnectOptions =
  | { engine: 'postgres'; databaseUrl: string; poolSize?: number }
  /** dataDir undefined: an in-memory database (tests). */
  | { engine: 'pglite'; dataDir?: string };

export interface Connection {
  readonly db: Kysely<Database>;
  readonly engine: Engine;
  /** True when the database answers a trivial query within the timeout. */
  ping(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

const OID = { int8: 20, date: 1082 } as const;

// count(*) and bigint ids arrive as int8; every count here fits a double exactly.
// Dates stay the YYYY-MM-DD text they are: no time zone may shift a campaign's day.
const parseInt8 = (value: string) => Number(value);
const keepText = (value: string) => value;

function postgres(databaseUrl: string, poolSize: number): Kysely<Database> {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: poolSize,
    connectionTimeoutMillis: 5_000,
    // Per-pool parsers, not pg.types.setTypeParser: no process-wide patching.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
        if (oid === OID.int8) return parseInt8;
        if (oid === OID.date) return keepText;
        return pg.types.getTypeParser(oid, format);
      }) as typeof pg.types.getTypeParser,
    },
  });
  // A client losing its server (a restart, an outage) must not crash the process: an idle one
  // reports on the pool, one checked out on itself. Its query fails (503) and the pool drops it.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  enableCopy(db, pool);
  return db;
}

function pglite(dataDir: string | undefined): { db: Kysely<Database>; release: () => void } {
  const release = dataDir ? lockDataDirectory(dataDir) : () => {};
  // Options go in the one-argument form: PGlite ignores them after an undefined dataDir.
  // A data directory is durable: a commit returns once its WAL is fsynced (db/durable-fs.ts).
  const instance = new PGlite({
    ...(dataDir ? durableDataDirectory(dataDir) : {}),
    parsers: { [OID.int8]: parseInt8, [OID.date]: keepText },
  });
  // Kysely's PGlite adapter declares a single connection, so its driver serializes every
  // query and transaction behind one mutex (db/connect.test.ts holds it to that).
  return {
    db: new Kysely<Database>({ dialect: new PGliteDialect({ pglite: instance }) }),
    release,
  };
}

/** Whether the directory holds an embedded database (PostgreSQL's data directory marker). */
export const hasEmbeddedDatabase = (dataDir: string): boolean =>
  existsSync(join(dataDir, 'PG_VERSION'));

export function connect(options: ConnectOptions): Connection {
  let db: Kysely<Database>;
  let release = () => {};
  if (options.engine === 'postgres') {
    db = postgres(options.databaseUrl, options.poolSize ?? 10);
  } else {
    ({ db, release } = pglite(options.dataDir));
  }
  return {
    db,
    engine: options.engine,
    async ping(timeoutMs = 2_000) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      const query = sql`select 1`.execute(db).then(
        () => true,
        () => false,
      );
      try {
        return await Promise.race([query, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      try {
        await db.destroy();
      } finally {
        release();
      }
    },
  };
}
