// A read replica: a PostgreSQL streaming standby of the primary (DATABASE_READ_URL), where the
// analysis reads run, and how far behind the primary it is (docs/scale-out.md).
import { sql, type Kysely } from 'kysely';
import * as z from 'zod';
import type { Database } from './database.ts';

/** How far a standby's figures are behind its primary's. */
export interface ReplicaLag {
  /**
   * The primary's WAL that the standby has yet to replay, in bytes (null: the primary did not
   * answer). 0: the standby has replayed everything the primary wrote, and its figures are
   * the primary's.
   */
  readonly bytes: number | null;
  /**
   * 0 when `bytes` is 0; else the age of the last transaction the standby replayed (its commit
   * on the primary): the figures may miss what the primary committed since, within these
   * seconds. An upper bound: after an idle spell, the first WAL not yet replayed makes it the
   * whole spell, and WAL that changes no data (a checkpoint's) counts as behind. Null when the
   * standby has replayed no transaction since it started.
   */
  readonly seconds: number | null;
}

export interface Replica {
  /** The standby's database: read-only. */
  readonly db: Kysely<Database>;
  /** How far behind its primary it is now; null when it is no standby (not in recovery). */
  lag(): Promise<ReplicaLag | null>;
}

const standbyRow = z.object({
  recovering: z.boolean(),
  replayed: z.string().nullable(),
  age: z.number().nullable(),
});
const primaryRow = z.object({ bytes: z.number() });

/** The replica `standby` of `primary`. */
export function replicaOf(primary: Kysely<Database>, standby: Kysely<Database>): Replica {
  return {
    db: standby,
    async lag() {
      const { rows } = await sql`
        select pg_is_in_recovery() as recovering, pg_last_wal_replay_lsn()::text as replayed,
          extract(epoch from now() - pg_last_xact_replay_timestamp())::float8 as age
      `.execute(standby);
      const { recovering, replayed, age } = standbyRow.parse(rows[0]);
      if (!recovering) return null;
      // Asked after the standby: WAL written meanwhile counts as behind, never the reverse.
      const bytes =
        replayed === null
          ? null
          : await sql`
              select greatest(pg_wal_lsn_diff(pg_current_wal_lsn(), ${replayed}::pg_lsn), 0)::float8
                as bytes
            `
              .execute(primary)
              .then(({ rows: [row] }) => primaryRow.parse(row).bytes)
              .catch(() => null);
      return { bytes, seconds: bytes === 0 ? 0 : age === null ? null : Math.max(0, age) };
    },
  };
}
