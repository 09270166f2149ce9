// Each campaign's tallies: the fold that counts its valid responses into them (tally-fold.sql),
// the fold lock, and the snapshot of each campaign's last fold.
import { readFileSync } from 'node:fs';
import { CompiledQuery, sql, type Transaction } from 'kysely';
import { z } from 'zod';
import { NOT_ASKED, type TallyAtom } from '../../analysis/linearization.ts';
import type { AnswerSlot, AskedWhen } from '../../analysis/scoring.ts';
import type { Database } from '../database.ts';
import type { Db } from './kysely.ts';

/** Read once: a template, filled in per instrument by `tallyFoldSql`. */
const tallyFold = readFileSync(new URL('./tally-fold.sql', import.meta.url), 'utf8');

const count = z.number().int().nonnegative();
const foldedRow = z.object({
  responses: count,
  counters: count,
  last_xid: z.string().nullable(),
  last_id: z.number().int().nullable(),
});

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

/** The tally template's repeated line, one per sat5 item position and answer bit (plane). */
const PLANE_LINE = /^.*\{position\}.*\{plane\}.*$/m;

const positionText = (position: number) => {
  if (!Number.isInteger(position) || position < 1) throw new Error('bad answer position');
  return String(position);
};

/** The condition under which an item was asked, in SQL made of integers only. */
function askedSql(askedWhen: readonly AskedWhen[] | null): string {
  if (askedWhen === null) return 'false';
  if (askedWhen.length === 0) return 'true';
  return askedWhen
    .map(({ position, equals }) => {
      if (!Number.isInteger(equals)) throw new Error('bad skip rule answer');
      return `answers[${positionText(position)}] = ${String(equals)}`;
    })
    .join(' and ');
}

/** tally-fold.sql for an instrument: its sat5 items' positions and skip rules filled in. */
function tallyFoldSql(slots: readonly AnswerSlot[]): string {
  const line = PLANE_LINE.exec(tallyFold)?.[0];
  if (line === undefined) throw new Error('tally-fold.sql has no line to repeat');
  const lines = slots.flatMap(({ position, askedWhen }) =>
    [0, 1, 2].map((plane) =>
      line
        .replace('{asked}', askedSql(askedWhen))
        .replace('{position}', positionText(position))
        .replace('{notAsked}', String(NOT_ASKED))
        .replace('{plane}', String(plane)),
    ),
  );
  return tallyFold.replace(line, lines.join(',\n'));
}

/** Where a statement of a fold stopped: the last response it folded, in fold order. */
export interface FoldPosition {
  /** The response's fold_xid (xid8, as text). */
  xid: string;
  id: number;
}

/** Before the first response of every fold. */
export const foldStart: FoldPosition = { xid: '0', id: 0 };

/**
 * Folds up to `limit` of the campaign's valid responses unseen by the snapshot `since` (all if
 * null), after `after`, into its tallies (tally-fold.sql); the caller runs a fold's statements
 * in one repeatable-read transaction holding the fold lock.
 */
export async function foldTallies(
  db: Db,
  campaignId: number,
  slots: readonly AnswerSlot[],
  atoms: readonly TallyAtom[],
  fold: { since: string | null; after: FoldPosition; limit: number },
): Promise<{ responses: number; counters: number; last: FoldPosition | null }> {
  const result = await db.executeQuery(
    CompiledQuery.raw(tallyFoldSql(slots), [
      campaignId,
      atoms.map((atom) => atom.item + 1),
      atoms.map((atom) => atom.answers),
      fold.limit,
      fold.since,
      fold.after.xid,
      fold.after.id,
    ]),
  );
  const [folded] = z.array(foldedRow).parse(result.rows);
  if (!folded) throw new Error('tally-fold.sql returned no row');
  const { responses, counters, last_xid: xid, last_id: lastId } = folded;
  return {
    responses,
    counters,
    last: xid === null || lastId === null ? null : { xid, id: lastId },
  };
}
