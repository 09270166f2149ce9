// Bulk loads through COPY … FROM STDIN on PostgreSQL, inside an ordinary transaction. Kysely
// hides the connection a transaction runs on, so a bulk transaction gets a connection of its
// own (a pool of one, with the service's settings) and streams COPY through that very
// connection. PGlite has no such stream here: there, `copy` is undefined and callers insert.
import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Database } from './database.ts';

/** Streams lines of COPY's text format into `statement`, a `copy … from stdin`. */
export type Copy = (statement: string, lines: readonly string[]) => Promise<void>;

const pools = new WeakMap<Kysely<Database>, pg.Pool>();

/** Called by db/connect.ts for each PostgreSQL connection it opens. */
export function enableCopy(db: Kysely<Database>, pool: pg.Pool): void {
  pools.set(db, pool);
}

/** Lines a write of the COPY stream: large enough to keep the system calls few. */
const CHUNK_LINES = 500;

function copyThrough(client: pg.PoolClient): Copy {
  return async (statement, lines) => {
    const stream = client.query(copyFrom(statement));
    const done = new Promise<void>((resolve, reject) => {
      stream.on('finish', resolve);
      stream.on('error', reject);
    });
    for (let i = 0; i < lines.length; i += CHUNK_LINES) {
      const chunk = `${lines.slice(i, i + CHUNK_LINES).join('\n')}\n`;
      if (!stream.write(chunk)) {
        await Promise.race([new Promise((resolve) => stream.once('drain', resolve)), done]);
      }
    }
    stream.end();
    await done;
  };
}

/**
 * Runs `work` in one transaction of `db`'s database; on PostgreSQL `copy` streams into it.
 * All or nothing, COPY included: `work` throwing rolls everything back.
 */
export async function bulkTransaction<T>(
  db: Kysely<Database>,
  work: (trx: Transaction<Database>, copy: Copy | undefined) => Promise<T>,
): Promise<T> {
  const shared = pools.get(db);
  if (!shared) return db.transaction().execute((trx) => work(trx, undefined));
  const pool = new pg.Pool({ ...shared.options, max: 1 });
  let client: pg.PoolClient | undefined;
  // Losing the server mid-import (a restart, pg_terminate_backend) fails the import alone, as
  // "unavailable": a checked-out client reports on itself, and unheard, pg throws it at the process.
  pool.on('connect', (connected) => {
    client = connected;
    connected.on('error', () => {});
  });
  pool.on('error', () => {});
  const single = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    return await single.transaction().execute((trx) => {
      if (!client) throw new Error('the bulk transaction has no connection');
      return work(trx, copyThrough(client));
    });
  } finally {
    await single.destroy();
  }
}
