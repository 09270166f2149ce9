import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../database.ts';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * The fold lock, until the transaction ends: folds take turns, and so do they and the reset
 * of a campaign's tallies (db/migrations/2026_11_22_1000_fold_by_snapshot.ts). A LOCK takes no
 * snapshot: as a repeatable-read transaction's first statement, it leaves the transaction's
 * snapshot to be taken after the lock is held, so that it sees the last fold's work.
 */
export async function lockFolds(trx: Transaction<Database>): Promise<void> {
  await sql`lock table tally_fold in share row exclusive mode`.execute(trx);
}

/** The snapshot of the campaign's last fold (pg_snapshot text), or null if none counts. */
export async function lastFoldSnapshot(db: Db, campaignId: number): Promise<string | null> {
  const row = await db
    .selectFrom('tally_fold')
    .select('snapshot')
    .where('campaign_id', '=', campaignId)
    .executeTakeFirst();
  return row?.snapshot ?? null;
}

/** Records the current transaction's snapshot as the campaign's last fold's. */
export async function recordFoldSnapshot(db: Db, campaignId: number): Promise<void> {
  await sql`
    insert into tally_fold (campaign_id, snapshot) values (${campaignId}, pg_current_snapshot())
    on conflict (campaign_id) do update set snapshot = excluded.snapshot
  `.execute(db);
}

/** Codes of the campaigns with valid responses their last fold did not see. */
export async function campaignsToFold(db: Db): Promise<string[]> {
  const { rows } = await sql<{ code: string }>`
    select c.code
    from campaign c
    left join tally_fold f on f.campaign_id = c.id
    where exists (
      select from response r
      where r.campaign_id = c.id and r.status = 'valid'
        and (f.snapshot is null or (
          r.fold_xid >= pg_snapshot_xmin(f.snapshot)
          and not pg_visible_in_snapshot(r.fold_xid, f.snapshot)
        ))
    )
    order by c.code
  `.execute(db);
  return rows.map((row) => row.code);
}
