// The one place that knows there are two engines. Everything else gets a Kysely<Database>.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  Kysely,
  PostgresDialect,
  sql,
  type PostgresCursor,
  type PostgresPool,
  type PostgresPoolClient,
  type PostgresQueryResult,
} from 'kysely';
import pg from 'pg';
import { enableCopy } from './copy.ts';
import type { Database } from './database.ts';
import { EmbeddedDatabase, embeddedDialect } from './embedded.ts';
import { DatabaseUnavailableError } from './errors.ts';
import { lockDataDirectory } from './lock.ts';
import { replicaOf, type Replica } from './replica.ts';
import { builtTemplate } from './template.ts';

export type Engine = 'pglite' | 'postgres';

export type ConnectOptions =
  | {
      engine: 'postgres';
      databaseUrl: string;
      /** A streaming standby of it, where the analysis reads run (db/replica.ts). */
      readUrl?: string;
      poolSize?: number;
      /** The longest a statement may run (the server cancels it); none when 0 or absent. */
      statementTimeoutMs?: number;
      /** The longest to wait for a connection, new or from the pool. */
      connectTimeoutMs?: number;
    }
  /** dataDir undefined: an in-memory database (tests). */
  | {
      engine: 'pglite';
      dataDir?: string;
      /** Where the embedded database tells that it failed and was opened again (stderr). */
      log?: (line: string) => void;
      /**
       * Begun from this dump (PGlite's dumpDataDir) rather than from an empty cluster: an
       * in-memory database (the tests clone one migrated database instead of migrating each
       * anew), or a data directory that holds none yet. Default for a new data directory: the
       * migrated template of `npm run build`, when there is one (db/template.ts).
       */
      loadDataDir?: Blob;
    };

export interface Connection {
  readonly db: Kysely<Database>;
  readonly engine: Engine;
  /** The standby that the analysis reads run on; absent: they run on `db`. */
  readonly replica?: Replica;
  /** True when the database answers a trivial query within the timeout. */
  ping(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

const OID = { int8: 20, date: 1082 } as const;

// count(*) and bigint ids arrive as int8; every count here fits a double exactly.
// Dates stay the YYYY-MM-DD text they are: no time zone may shift a campaign's day.
const parseInt8 = (value: string) => Number(value);
const keepText = (value: string) => value;

/**
 * How long past a statement's timeout the client waits for it regardless. The server enforces
 * statement_timeout, so a server that is frozen (not stopped: its connections stay open and
 * its kernel keeps answering TCP) enforces nothing, and only the client's own deadline ends the
 * wait. The margin covers the rows still on their way when the server ends the statement.
 */
const CLIENT_DEADLINE_MARGIN_MS = 5_000;

/** pg's answer to a query that passed its `query_timeout`: the client's own deadline. */
const READ_TIMEOUT = 'Query read timeout';

/** Kysely's view of a pg result: it tells apart only the commands named in its type. */
const kyselyCommands = new Set<string>([
  'UPDATE',
  'DELETE',
  'INSERT',
  'SELECT',
  'MERGE',
  'COMMIT',
  'ROLLBACK',
]);
const isKyselyCommand = (command: string): command is PostgresQueryResult<unknown>['command'] =>
  kyselyCommands.has(command);

/**
 * A pooled client that is dropped from the pool once one of its queries passed the deadline:
 * that query is still outstanding on the connection, so whatever is sent next would wait behind
 * it (a dead server's connection would be handed out again and again). Its later queries fail
 * at once rather than queue.
 */
class DeadlineClient implements PostgresPoolClient {
  #late = false;

  constructor(private readonly client: pg.PoolClient) {}

  query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
  query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
  query<R>(
    text: string | PostgresCursor<R>,
    parameters: ReadonlyArray<unknown> = [],
  ): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
    // Kysely asks for a cursor only when the dialect is given a cursor class, and it is not.
    if (typeof text !== 'string') throw new Error('Cursors are not enabled.');
    return this.#query<R>(text, parameters);
  }

  async #query<R>(
    text: string,
    parameters: ReadonlyArray<unknown>,
  ): Promise<PostgresQueryResult<R>> {
    if (this.#late)
      throw new DatabaseUnavailableError('an earlier query of this connection is still unanswered');
    try {
      const { command, rowCount, rows } = await this.client.query<R & pg.QueryResultRow>(text, [
        ...parameters,
      ]);
      return {
        command: isKyselyCommand(command) ? command : 'SELECT',
        rowCount: rowCount ?? 0,
        rows,
      };
    } catch (error) {
      if (error instanceof Error && error.message === READ_TIMEOUT) this.#late = true;
      throw error;
    }
  }

  release(destroy?: boolean): void {
    this.client.release(destroy === true || this.#late);
  }
}

/** The pool as Kysely uses it, each client wrapped once. */
function deadlinePool(pool: pg.Pool): PostgresPool {
  const wrapped = new WeakMap<pg.PoolClient, DeadlineClient>();
  return {
    options: pool.options,
    end: () => pool.end(),
    async connect() {
      const client = await pool.connect();
      let wrapper = wrapped.get(client);
      if (!wrapper) {
        wrapper = new DeadlineClient(client);
        wrapped.set(client, wrapper);
      }
      return wrapper;
    },
  };
}

function postgres(
  databaseUrl: string,
  {
    poolSize = 10,
    statementTimeoutMs = 0,
    connectTimeoutMs = 5_000,
  }: {
    poolSize?: number;
    statementTimeoutMs?: number;
    connectTimeoutMs?: number;
  },
): Kysely<Database> {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: poolSize,
    connectionTimeoutMillis: connectTimeoutMs,
    ...(statementTimeoutMs > 0
      ? {
          statement_timeout: statementTimeoutMs,
          query_timeout: statementTimeoutMs + CLIENT_DEADLINE_MARGIN_MS,
        }
      : {}),
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
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: deadlinePool(pool) }) });
  enableCopy(db, pool);
  return db;
}

/**
 * What the embedded PostgreSQL keeps in memory (issue 19). PGlite starts it with PostgreSQL's
 * default 128 MB of shared buffers, inside its WebAssembly memory, where a page once read stays
 * resident until the process ends: `sipas scores` on a campaign of 100,000 responses (a 26 MB
 * table) filled them and peaked at 430-545 MB. The pages are in the operating system's page cache
 * regardless (NODEFS reads and writes through it), so a buffer PostgreSQL lacks costs a copy,
 * not a disk read. 16 MB holds what one submission, fold or scoring touches at a time (indexes,
 * the tail of the table, the tallies); a sequential scan of more than a quarter of the buffers
 * goes through a small ring of its own either way. At 16 MB the peak of `sipas scores` is 130
 * MB lower (README, the embedded engine's memory).
 *
 * A new WAL segment is not filled with zeros first (wal_init_zero off): PostgreSQL writes the
 * 16 MB of zeros and fsyncs them in the commit that needs the segment, and on the embedded
 * engine that commit runs on the server's thread: inserts stalled 69-110 ms at each new segment
 * (BENCHMARKS.md, by hand), enough alone to lift p99 at 500 submissions/s past 50 ms (issue
 * 19). Without the zeros the same inserts had one stall over 15 ms, of 17 ms. A
 * commit still waits for its WAL's fsync (db/durable-fs.ts); only where the segment's blocks
 * are allocated changes, as PostgreSQL does on copy-on-write file systems.
 */
const EMBEDDED_SETTINGS = ['shared_buffers=16MB', 'wal_init_zero=off'] as const;

function pglite(
  dataDir: string | undefined,
  log: (line: string) => void,
  loadDataDir: Blob | undefined,
): { db: Kysely<Database>; release: () => void } {
  const release = dataDir ? lockDataDirectory(dataDir) : () => {};
  // Options go in the one-argument form: PGlite ignores them after an undefined dataDir.
  // A data directory is durable: a commit returns once its WAL is fsynced (db/durable-fs.ts).
  // Opened again after a fatal failure (db/embedded.ts), each time with a file system of its own.
  // PGlite's JavaScript (0.5 MB) is imported here, when the embedded engine opens, not with
  // this module: a command on PostgreSQL need not load it (issue 19).
  const open = async () => {
    const [{ PGlite }, { durableDataDirectory }] = await Promise.all([
      import('@electric-sql/pglite'),
      import('./durable-fs.ts'),
    ]);
    const durable = dataDir ? durableDataDirectory(dataDir) : undefined;
    // Asked at each open: opened again after a failure, the directory holds its database.
    const begin =
      dataDir === undefined
        ? loadDataDir
        : hasEmbeddedDatabase(dataDir)
          ? undefined
          : (loadDataDir ?? builtTemplate());
    return PGlite.create({
      ...durable,
      startParams: [
        ...(durable?.startParams ?? PGlite.defaultStartParams),
        ...EMBEDDED_SETTINGS.flatMap((setting) => ['-c', setting]),
      ],
      ...(begin ? { loadDataDir: begin } : {}),
      parsers: { [OID.int8]: parseInt8, [OID.date]: keepText },
    });
  };
  // Kysely's PGlite adapter declares a single connection, so Kysely serializes every query and
  // transaction behind one mutex (db/connect.test.ts holds it to that).
  const database = new EmbeddedDatabase(open, log);
  return { db: new Kysely<Database>({ dialect: embeddedDialect(database) }), release };
}

/** Whether the directory holds an embedded database (PostgreSQL's data directory marker). */
export const hasEmbeddedDatabase = (dataDir: string): boolean =>
  existsSync(join(dataDir, 'PG_VERSION'));

export function connect(options: ConnectOptions): Connection {
  let db: Kysely<Database>;
  let replica: Replica | undefined;
  let release = () => {};
  if (options.engine === 'postgres') {
    db = postgres(options.databaseUrl, options);
    if (options.readUrl !== undefined) replica = replicaOf(db, postgres(options.readUrl, options));
  } else {
    ({ db, release } = pglite(
      options.dataDir,
      options.log ?? ((line) => console.error(line)),
      options.loadDataDir,
    ));
  }
  return {
    db,
    engine: options.engine,
    ...(replica === undefined ? {} : { replica }),
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
        await Promise.all([db.destroy(), replica?.db.destroy()]);
      } finally {
        release();
      }
    },
  };
}
