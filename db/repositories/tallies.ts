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

/**
 * Whether the campaign has a valid response that the snapshot of its last fold did not see.
 * Through response_fold_idx from the snapshot's xmin on: the fold's own statement, whose
 * (fold_xid, id) > (…) starts PostgreSQL 15's scan at the campaign's first response whatever
 * the xmin, read all 10,000,000 of a campaign to find none (1.6-3 s, BENCHMARKS.md by hand).
 */
export async function anyUnseen(db: Db, campaignId: number, snapshot: string): Promise<boolean> {
  const { rows } = await sql<{ unseen: boolean }>`
    select exists (
      select from response r
      where r.campaign_id = ${campaignId} and r.status = 'valid'
        and r.fold_xid >= pg_snapshot_xmin(${snapshot}::pg_snapshot)
        and not pg_visible_in_snapshot(r.fold_xid, ${snapshot}::pg_snapshot)
    ) as unseen
  `.execute(db);
  return rows[0]?.unseen ?? true;
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
      null,
      1,
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

/** Where tally-fold.sql's read-only form stops: before the statement stores anything. */
const STORED = /\),\s*stored as \(/;

const unfoldedRow = z.object({
  counter_id: z.number().int(),
  modes: z.array(count),
  answers: z.array(count),
  products: z.array(count),
});

/** One counter's counts, in the layout of response_tally (migration 2026_11_22_0600). */
export type UnfoldedTally = z.output<typeof unfoldedRow>;

/**
 * The tallies of the campaign's valid responses unseen by the snapshot `since` (all if null),
 * per counter, without storing them: tally-fold.sql's own selection and arithmetic, ended
 * before its insert, so that a read-only transaction (a standby's) adds to the stored tallies
 * exactly what the next fold would.
 */
export async function unfoldedTallies(
  db: Db,
  campaignId: number,
  slots: readonly AnswerSlot[],
  atoms: readonly TallyAtom[],
  since: string | null,
): Promise<UnfoldedTally[]> {
  const fold = tallyFoldSql(slots);
  const end = STORED.exec(fold);
  if (end === null) throw new Error('tally-fold.sql has no stored step to end before');
  // Counts of the responses a fold has yet to see: int, which both drivers read as numbers.
  const query = `${fold.slice(0, end.index)})
    select b.counter_id, b.modes::int[] as modes, c.answers::int[] as answers,
      p.products::int[] as products
    from batch b
    join counts c on c.counter_id = b.counter_id
    join products p on p.counter_id = b.counter_id`;
  const result = await db.executeQuery(
    CompiledQuery.raw(query, [
      campaignId,
      atoms.map((atom) => atom.item + 1),
      atoms.map((atom) => atom.answers),
      null,
      since,
      foldStart.xid,
      foldStart.id,
      null,
    ]),
  );
  return z.array(unfoldedRow).parse(result.rows);
}

/**
 * Adds the valid responses `ids` of the campaign to its tallies (`sign` 1), or takes them out
 * (-1), whatever its last fold saw (tally-fold.sql); the caller holds the fold lock and knows
 * that the last fold counted them (to take out) or that no fold will (to add). Returns how
 * many it counted.
 */
export async function adjustTallies(
  db: Db,
  campaignId: number,
  slots: readonly AnswerSlot[],
  atoms: readonly TallyAtom[],
  adjustment: { ids: readonly number[]; sign: 1 | -1 },
): Promise<number> {
  const result = await db.executeQuery(
    CompiledQuery.raw(tallyFoldSql(slots), [
      campaignId,
      atoms.map((atom) => atom.item + 1),
      atoms.map((atom) => atom.answers),
      adjustment.ids.length,
      null,
      foldStart.xid,
      foldStart.id,
      adjustment.ids,
      adjustment.sign,
    ]),
  );
  const [adjusted] = z.array(foldedRow).parse(result.rows);
  if (!adjusted) throw new Error('tally-fold.sql returned no row');
  // A counter left without a respondent has no row, as after a fold from scratch.
  if (adjustment.sign === -1) {
    await sql`
      delete from response_tally where campaign_id = ${campaignId} and 0 = all (modes)
    `.execute(db);
  }
  return adjusted.responses;
}

/** Whether the snapshot of a fold saw the response (made valid before it): it counted it. */
export async function foldSaw(db: Db, responseId: number, snapshot: string): Promise<boolean> {
  const { rows } = await sql<{ saw: boolean }>`
    select pg_visible_in_snapshot(fold_xid, ${snapshot}::pg_snapshot) as saw
    from response where id = ${responseId}
  `.execute(db);
  return rows[0]?.saw ?? false;
}

/**
 * Marks the response counted by every fold to come: its contribution was added by
 * `adjustTallies`. Transaction id 2 is visible in every snapshot (as in
 * db/migrations/2026_11_22_1000_fold_by_snapshot.ts), and below every snapshot's xmin.
 */
export async function markFolded(db: Db, responseId: number): Promise<void> {
  await sql`update response set fold_xid = '2'::xid8 where id = ${responseId}`.execute(db);
}

/**
 * Tells the tally reset trigger (db/migrations/2026_12_04_0700_void_adjusts_tallies.ts) that
 * this transaction adjusts the tallies for the response's change of status itself, until the
 * transaction ends.
 */
export async function adjustingFor(db: Db, responseId: number): Promise<void> {
  await sql`select set_config('sipas.tallies_adjusted_for', ${String(responseId)}, true)`.execute(
    db,
  );
}
