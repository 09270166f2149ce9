// The embedded engine, kept serving after PostgreSQL inside PGlite has failed for good.
//
// A PANIC (or FATAL) ends a PostgreSQL backend, and the postmaster starts afresh with crash
// recovery. PGlite has no postmaster: the instance lives on in a state PostgreSQL never meant to
// continue from. Disk full shows it: a WAL segment that cannot be created (ENOSPC) PANICs the
// statement, and the next query on that instance spins in WebAssembly for good, blocking the
// event loop, so that every request, /healthz too, hangs and freeing space changes nothing. So
// no query is sent to an instance after a PANIC: it is dropped, and the next query opens the
// data directory again (crash recovery replays the WAL: what was committed stays), at most once
// every REOPEN_AFTER_MS while opening fails (opening needs space too); meanwhile queries fail as
// unavailable (503). A transaction begun on a dropped instance fails to the end.
import type { PGlite } from '@electric-sql/pglite';
import {
  CompiledQuery,
  PGliteAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import { DatabaseUnavailableError } from './errors.ts';

/** After a failed opening, how long until the next try: each holds the one connection. */
const REOPEN_AFTER_MS = 2_000;

/** What ends an embedded PostgreSQL: a server would restart after it, an instance cannot. */
function fatalFailure(error: unknown): string | undefined {
  if (error instanceof WebAssembly.RuntimeError) return `WebAssembly: ${error.message}`;
  if (!(error instanceof Error)) return undefined;
  if (error.name === 'ExitStatus') return `PostgreSQL exited: ${error.message}`;
  const severity: unknown = Reflect.get(error, 'severity');
  if (severity === 'PANIC' || severity === 'FATAL') return `${severity}: ${error.message}`;
  return undefined;
}

export class EmbeddedDatabase {
  #instance: PGlite | undefined;
  #generation = 0;
  #failure: string | undefined;
  #retryAt = 0;

  constructor(
    private readonly open: () => Promise<PGlite>,
    private readonly log: (line: string) => void,
  ) {}

  async start(): Promise<void> {
    this.#instance ??= await this.open();
  }

  async #current(): Promise<PGlite> {
    if (this.#instance) return this.#instance;
    const failure = this.#failure ?? 'the database is closed';
    if (Date.now() < this.#retryAt) throw new DatabaseUnavailableError(failure);
    try {
      this.#instance = await this.open();
    } catch (error) {
      this.#retryAt = Date.now() + REOPEN_AFTER_MS;
      throw new DatabaseUnavailableError(`${failure}; opening it again failed: ${String(error)}`);
    }
    this.#generation += 1;
    this.#failure = undefined;
    this.log('The embedded database is open again and serving.');
    return this.#instance;
  }

  /** The instance a transaction begins on: its queries run there or nowhere. */
  get generation(): number {
    return this.#generation;
  }

  /** Whether the instance of that generation is the one serving. */
  serving(generation: number): boolean {
    return this.#instance !== undefined && generation === this.#generation;
  }

  /**
   * Runs the query; `generation` pins it to the instance of its transaction. After a fatal
   * failure the instance is dropped and the failure thrown as unavailable.
   */
  async query<R>(text: string, parameters: readonly unknown[], generation?: number) {
    if (generation !== undefined && !this.serving(generation)) {
      throw new DatabaseUnavailableError(this.#failure ?? 'the database was opened again');
    }
    const instance = await this.#current();
    try {
      return await instance.query<R>(text, [...parameters], { rowMode: 'object' });
    } catch (error) {
      const failure = fatalFailure(error);
      if (failure === undefined) throw error;
      if (this.#instance === instance) {
        // Not closed: closing sends it a query. Dropped, it sends and holds nothing more.
        this.#instance = undefined;
        this.#failure = failure;
        this.log(`The embedded database failed (${failure}); it will be opened again.`);
      }
      throw new DatabaseUnavailableError(failure);
    }
  }

  async close(): Promise<void> {
    const instance = this.#instance;
    this.#instance = undefined;
    this.#failure = 'the database is closed';
    this.#retryAt = Number.POSITIVE_INFINITY;
    if (instance && !instance.closed) await instance.close();
  }
}

/** The one connection: Kysely's PGlite adapter serializes every query and transaction on it. */
class EmbeddedConnection implements DatabaseConnection {
  #transaction: number | undefined;

  constructor(private readonly database: EmbeddedDatabase) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const { affectedRows, rows } = await this.database.query<R>(
      query.sql,
      query.parameters,
      this.#transaction,
    );
    return {
      numAffectedRows: affectedRows === undefined ? undefined : BigInt(affectedRows),
      rows,
    };
  }

  // eslint-disable-next-line require-yield -- the interface asks for a generator
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('Streaming is not supported by PGlite.');
  }

  async begin(settings: TransactionSettings): Promise<void> {
    const parts = ['start transaction'];
    if (settings.isolationLevel) parts.push(`isolation level ${settings.isolationLevel}`);
    if (settings.accessMode) parts.push(settings.accessMode);
    await this.executeQuery(CompiledQuery.raw(parts.join(' ')));
    this.#transaction = this.database.generation;
  }

  async end(command: 'commit' | 'rollback'): Promise<void> {
    const transaction = this.#transaction;
    this.#transaction = undefined;
    // A dropped instance took its transaction with it: there is nothing left to roll back.
    if (
      command === 'rollback' &&
      (transaction === undefined || !this.database.serving(transaction))
    ) {
      return;
    }
    await this.database.query(command, [], transaction);
  }
}

class EmbeddedDriver implements Driver {
  readonly #connection: EmbeddedConnection;

  constructor(private readonly database: EmbeddedDatabase) {
    this.#connection = new EmbeddedConnection(database);
  }

  init = () => this.database.start();
  acquireConnection = async () => this.#connection;
  releaseConnection = async () => {};
  beginTransaction = (_: DatabaseConnection, settings: TransactionSettings) =>
    this.#connection.begin(settings);
  commitTransaction = () => this.#connection.end('commit');
  rollbackTransaction = () => this.#connection.end('rollback');
  destroy = () => this.database.close();
}

/** Kysely's PGlite dialect, on an EmbeddedDatabase. */
export function embeddedDialect(database: EmbeddedDatabase): Dialect {
  return {
    createAdapter: () => new PGliteAdapter(),
    createDriver: () => new EmbeddedDriver(database),
    createQueryCompiler: () => new PostgresQueryCompiler(),
    createIntrospector: (db: Kysely<unknown>) => new PostgresIntrospector(db),
  };
}
