// The analysis reads (scores, comparisons, scorecards, exports, plans) run on the read replica
// when DATABASE_READ_URL names one (docs/scale-out.md); writes, and the sign-in that precedes
// every request, stay on the primary.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { AppEnv } from './env.ts';

/** What of a request's context the choice reads and writes: any route's. */
interface AnalysisContext {
  readonly var: Pick<AppEnv['Variables'], 'db' | 'deps'>;
  header(name: string, value: string): void;
}

/** The response headers that say how far behind the standby's figures are (docs/scale-out.md). */
export const LAG_HEADER = 'X-Replica-Lag';
export const LAG_BYTES_HEADER = 'X-Replica-Lag-Bytes';

/**
 * The database an analysis read runs on: the standby's, whose lag, measured before the read,
 * goes in the response's headers (the figures are at least that current); else the primary's.
 */
export async function analysisDb(c: AnalysisContext): Promise<Kysely<Database>> {
  const { replica } = c.var.deps.connection;
  if (replica === undefined) return c.var.db;
  const lag = await replica.lag();
  if (lag !== null) {
    c.header(LAG_HEADER, lag.seconds === null ? 'unknown' : lag.seconds.toFixed(3));
    c.header(LAG_BYTES_HEADER, lag.bytes === null ? 'unknown' : String(lag.bytes));
  }
  return replica.db;
}
