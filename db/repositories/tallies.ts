// Each campaign's tallies: the fold that counts its valid responses into them (tally-fold.sql),
// the fold lock, and each campaign's fold state: what its folds have counted.
import { readFileSync } from 'node:fs';
import { CompiledQuery, sql, type Transaction } from 'kysely';
import * as z from 'zod';
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

/**
 * Lets the transaction's commit return before its WAL is on disk (synchronous_commit off, for
 * this transaction alone): a fold's slice, whose commit would otherwise wait for an fsync that
 * on the embedded engine blocks the process, submissions too. What a fold writes is derived
 * from committed responses and recorded with the fold state in the same transaction, so a
 * crash loses the last slices whole, and the next fold does them again; any synchronous commit
 * after it (a submission's) puts it on disk too, the WAL being written in order.
 */
export async function commitWithoutWaiting(trx: Transaction<Database>): Promise<void> {
  await sql`set local synchronous_commit = off`.execute(trx);
}

/** A point in a round's order: counter_id, then fold_xid, then id. */
export interface RoundPosition {
  counterId: number;
  /** The response's fold_xid (xid8, as text). */
  xid: string;
  id: number;
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

/**
 * What a campaign's folds have counted (its tally_fold row, db/migrations
 * 2026_11_22_1000_fold_by_snapshot and 2026_12_08_0100_fold_in_slices): every valid response
 * that `snapshot` saw, and if a round of slices is under way, every one its `target` saw up
 * to `position` (none while null). `countedSql` is the condition itself.
 */
export interface FoldState {
  /** The snapshot of the campaign's last complete fold (pg_snapshot text); null before one. */
  snapshot: string | null;
  round: { target: string; position: RoundPosition | null } | null;
}

/** Where a statement reads a fold state: tally_fold's columns, or parameters. */
interface FoldStateSql {
  snapshot: string;
  target: string;
  counter: string;
  xid: string;
  id: string;
}

/**
 * Whether the campaign's folds counted the valid response `r`, as an SQL condition over its
 * fold_xid, counter_id and id and the campaign's fold state: the one definition, which every
 * fold, slice, adjustment and reader of the tallies shares. A response is counted once the
 * snapshot of a complete fold saw it, or once the round under way reached it: its target saw
 * it and it comes no later than the round's position, in the order (counter_id, fold_xid, id)
 * in which slices fold. Without a fold state (all null) nothing is counted.
 */
export function countedSql(state: FoldStateSql): string {
  return (
    `coalesce(pg_visible_in_snapshot(r.fold_xid, ${state.snapshot}), false) or coalesce(` +
    `pg_visible_in_snapshot(r.fold_xid, ${state.target}) and ` +
    `(r.counter_id, r.fold_xid, r.id) <= (${state.counter}, ${state.xid}, ${state.id}), false)`
  );
}

/**
 * Whether `snapshot` (a round's target) saw the response r, as an SQL condition: with the bound
 * on fold_xid that its xmax implies, which the visibility does not give the index, so that what
 * came after the target is not read. Without it, a round's list and each of its slices read a
 * backlog of 60,000 past their target (the PGlite ingestion bench: 25 ms for a list of 979).
 */
export const seenSql = (snapshot: string): string =>
  `(pg_visible_in_snapshot(r.fold_xid, ${snapshot}) and r.fold_xid < pg_snapshot_xmax(${snapshot}))`;

/** The fold state as the parameters $first to $first + 4, bound by `foldStateValues`. */
export const foldStateParameters = (first: number): FoldStateSql => ({
  snapshot: `$${String(first)}::pg_snapshot`,
  target: `$${String(first + 1)}::pg_snapshot`,
  counter: `$${String(first + 2)}::integer`,
  xid: `$${String(first + 3)}::xid8`,
  id: `$${String(first + 4)}::bigint`,
});

/** The values of `foldStateParameters`, in order; all null for a campaign without one. */
export function foldStateValues(state: FoldState | null): unknown[] {
  const position = state?.round?.position ?? null;
  return [
    state?.snapshot ?? null,
    state?.round?.target ?? null,
    position?.counterId ?? null,
    position?.xid ?? null,
    position?.id ?? null,
  ];
}

/** The fold state in the columns of tally_fold under `alias`. */
const foldStateColumns = (alias: string): FoldStateSql => ({
  snapshot: `${alias}.snapshot`,
  target: `${alias}.target`,
  counter: `${alias}.position_counter`,
  xid: `${alias}.position_xid`,
  id: `${alias}.position_id`,
});

const foldStateRow = z.object({
  snapshot: z.string().nullable(),
  target: z.string().nullable(),
  position_counter: z.number().int().nullable(),
  position_xid: z.string().nullable(),
  position_id: z.number().int().nullable(),
});

/** The campaign's fold state, or null if its folds have counted nothing. */
export async function lastFold(db: Db, campaignId: number): Promise<FoldState | null> {
  const { rows } = await sql`
    select snapshot::text, target::text, position_counter, position_xid::text, position_id
    from tally_fold where campaign_id = ${campaignId}
  `.execute(db);
  const [row] = z.array(foldStateRow).parse(rows);
  if (!row) return null;
  const { snapshot, target, position_counter: counterId, position_xid: xid } = row;
  const id = row.position_id;
  return {
    snapshot,
    round:
      target === null
        ? null
        : {
            target,
            position:
              counterId === null || xid === null || id === null ? null : { counterId, xid, id },
          },
  };
}

/** Records the current transaction's snapshot as the campaign's last complete fold's. */
export async function recordFoldSnapshot(db: Db, campaignId: number): Promise<void> {
  await sql`
    insert into tally_fold (campaign_id, snapshot) values (${campaignId}, pg_current_snapshot())
    on conflict (campaign_id) do update set snapshot = excluded.snapshot, target = null,
      position_counter = null, position_xid = null, position_id = null
  `.execute(db);
}

/** Records the campaign's fold state, as a slice leaves it. */
export async function recordFoldState(db: Db, campaignId: number, state: FoldState): Promise<void> {
  const [snapshot, target, counter, xid, id] = foldStateValues(state);
  await sql`
    insert into tally_fold (campaign_id, snapshot, target, position_counter, position_xid,
      position_id)
    values (${campaignId}, ${snapshot}::pg_snapshot, ${target}::pg_snapshot,
      ${counter}::integer, ${xid}::xid8, ${id}::bigint)
    on conflict (campaign_id) do update set snapshot = excluded.snapshot,
      target = excluded.target, position_counter = excluded.position_counter,
      position_xid = excluded.position_xid, position_id = excluded.position_id
  `.execute(db);
}

/**
 * A new round's target: the current snapshot, cut short before the transaction that wrote
 * the response after the first `size` no fold counted (in fold_xid order, through
 * response_fold_idx), so that a round lists and sorts `size` responses at most however many
 * wait (after an import, or once submissions outran the fold). A transaction's responses stay
 * in one round: one that holds more than `size` makes a round of its own. `capped`: responses
 * the current snapshot saw are left for the rounds after.
 */
export async function roundTarget(
  db: Db,
  campaignId: number,
  state: FoldState | null,
  size: number,
): Promise<{ target: string; capped: boolean }> {
  const unseen = (offset: string, after = 'true') =>
    `(select r.fold_xid::text from response r
      where r.campaign_id = $1 and r.status = 'valid'
        and ($2::pg_snapshot is null or r.fold_xid >= pg_snapshot_xmin($2::pg_snapshot))
        and not (${countedSql(foldStateParameters(2))}) and ${after}
      order by r.fold_xid, r.id offset ${offset} limit 1)`;
  // The cut comes at the transaction of the response past `size`, or if that is the first
  // one's, at the next transaction's: none, and the round takes every response waiting.
  const result = await db.executeQuery(
    CompiledQuery.raw(
      `with ends as (select ${unseen('0')} as first, ${unseen('$7')} as cap)
      select pg_current_snapshot()::text as current,
        case when cap = first then ${unseen('0', 'r.fold_xid > ends.first::xid8')}
          else cap end as cap
      from ends`,
      [campaignId, ...foldStateValues(state), size],
    ),
  );
  const [row] = z
    .array(z.object({ current: z.string(), cap: z.string().nullable() }))
    .parse(result.rows);
  if (!row) throw new Error('no snapshot');
  if (row.cap === null) return { target: row.current, capped: false };
  return { target: snapshotBefore(row.current, BigInt(row.cap)), capped: true };
}

/**
 * `snapshot` (pg_snapshot text, `xmin:xmax:xip,…`) as it would be had it seen no transaction
 * from `xid` on: the same verdict for every earlier transaction, and every later one unseen.
 */
export function snapshotBefore(snapshot: string, xid: bigint): string {
  const [xmin = '', xmax = '', xip = ''] = snapshot.split(':');
  if (xid >= BigInt(xmax)) return snapshot;
  const running = xip.split(',').filter((x) => x !== '' && BigInt(x) < xid);
  return `${String(BigInt(xmin) < xid ? BigInt(xmin) : xid)}:${String(xid)}:${running.join(',')}`;
}

/**
 * The responses that the round's target saw and the campaign's folds did not count, in the
 * round's order (counter_id, fold_xid, id), `limit` at most: what the round has left to fold.
 */
export async function roundResponses(
  db: Db,
  campaignId: number,
  state: FoldState & { round: { target: string } },
  limit: number,
): Promise<RoundPosition[]> {
  const result = await db.executeQuery(
    CompiledQuery.raw(
      `select r.counter_id, r.fold_xid::text, r.id
      from response r
      where r.campaign_id = $1 and r.status = 'valid'
        and ($2::pg_snapshot is null or r.fold_xid >= pg_snapshot_xmin($2::pg_snapshot))
        and not (${countedSql(foldStateParameters(2))})
        and ${seenSql('$3::pg_snapshot')}
      order by r.counter_id, r.fold_xid, r.id
      limit $7`,
      [campaignId, ...foldStateValues(state), limit],
    ),
  );
  return z
    .array(z.object({ counter_id: z.number().int(), fold_xid: z.string(), id: z.number().int() }))
    .parse(result.rows)
    .map((row) => ({ counterId: row.counter_id, xid: row.fold_xid, id: row.id }));
}

/** Codes of the campaigns with valid responses their folds have not counted. */
export async function campaignsToFold(db: Db): Promise<string[]> {
  const { rows } = await sql<{ code: string }>`
    select c.code
    from campaign c
    left join tally_fold f on f.campaign_id = c.id
    where exists (
      select from response r
      where r.campaign_id = c.id and r.status = 'valid'
        and (f.snapshot is null or r.fold_xid >= pg_snapshot_xmin(f.snapshot))
        and not (${sql.raw(countedSql(foldStateColumns('f')))})
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
  return tallyFold
    .replace(line, lines.join(',\n'))
    .replace('{counted}', countedSql(foldStateParameters(5)))
    .replace('{seen}', seenSql('$14::pg_snapshot'));
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
 * Where a fold of the campaign whose fold state is `state` may start: before the oldest
 * transaction its last complete snapshot may not have seen (pg_snapshot text is
 * `xmin:xmax:xip,…`), as every response no fold counted comes at or after it. The fold's
 * (fold_xid, id) > (…) is where PostgreSQL 15's index scan starts: from `foldStart` it reads
 * every response of the campaign (10,000,000: seconds) to find the few that are new.
 */
export function foldStartOf(state: FoldState | null): FoldPosition {
  const xmin = state?.snapshot?.split(':')[0];
  return xmin === undefined ? foldStart : { xid: xmin, id: 0 };
}

/**
 * Folds up to `limit` of the campaign's valid responses that its folds have not counted (by
 * `state`), after `after`, into its tallies (tally-fold.sql); for a slice, only those the
 * round's target saw (`within`) of `ids`. The caller runs a fold's statements in one
 * repeatable-read transaction holding the fold lock. Returns how many, and where the statement
 * stopped.
 */
export async function foldTallies(
  db: Db,
  campaignId: number,
  slots: readonly AnswerSlot[],
  atoms: readonly TallyAtom[],
  fold: {
    state: FoldState | null;
    after: FoldPosition;
    limit: number;
    within?: string;
    ids?: readonly number[];
  },
): Promise<{ responses: number; counters: number; last: FoldPosition | null }> {
  const result = await db.executeQuery(
    CompiledQuery.raw(tallyFoldSql(slots), [
      campaignId,
      atoms.map((atom) => atom.item + 1),
      atoms.map((atom) => atom.answers),
      fold.limit,
      ...foldStateValues(fold.state),
      fold.after.xid,
      fold.after.id,
      null,
      1,
      fold.within ?? null,
      fold.ids ?? null,
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
 * The tallies of the campaign's valid responses that its folds have not counted (`state`: its
 * fold state, null if none), per counter, without storing them: tally-fold.sql's own selection
 * and arithmetic, ended before its insert, so that a read-only transaction (a standby's) adds
 * to the stored tallies exactly what the next fold would.
 */
export async function unfoldedTallies(
  db: Db,
  campaignId: number,
  slots: readonly AnswerSlot[],
  atoms: readonly TallyAtom[],
  state: FoldState | null,
): Promise<UnfoldedTally[]> {
  const fold = tallyFoldSql(slots);
  const end = STORED.exec(fold);
  if (end === null) throw new Error('tally-fold.sql has no stored step to end before');
  // Counts of the responses a fold has yet to see: int, which both drivers read as numbers.
  // $13, the sign, is read by the stored step alone: named here so that every parameter of
  // tally-fold.sql keeps its type and place.
  const query = `${fold.slice(0, end.index)})
    select b.counter_id, b.modes::int[] as modes, c.answers::int[] as answers,
      p.products::int[] as products
    from batch b
    join counts c on c.counter_id = b.counter_id
    join products p on p.counter_id = b.counter_id
    where $13::int = 1`;
  const after = foldStartOf(state);
  const result = await db.executeQuery(
    CompiledQuery.raw(query, [
      campaignId,
      atoms.map((atom) => atom.item + 1),
      atoms.map((atom) => atom.answers),
      null,
      ...foldStateValues(state),
      after.xid,
      after.id,
      null,
      1,
      null,
      null,
    ]),
  );
  return z.array(unfoldedRow).parse(result.rows);
}

/**
 * Adds the valid responses `ids` of the campaign to its tallies (`sign` 1), or takes them out
 * (-1), whatever its fold state says (tally-fold.sql); the caller holds the fold lock and knows
 * that its folds counted them (to take out) or that no fold will (to add). Returns how
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
      ...foldStateValues(null),
      foldStart.xid,
      foldStart.id,
      adjustment.ids,
      adjustment.sign,
      null,
      null,
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

/** Whether the campaign's folds counted the response (`countedSql`). */
export async function foldSaw(db: Db, responseId: number, state: FoldState): Promise<boolean> {
  const result = await db.executeQuery(
    CompiledQuery.raw(
      `select ${countedSql(foldStateParameters(2))} as saw from response r where r.id = $1`,
      [responseId, ...foldStateValues(state)],
    ),
  );
  const [row] = z.array(z.object({ saw: z.boolean() })).parse(result.rows);
  return row?.saw ?? false;
}

/**
 * Marks the response counted by every fold to come: its contribution was added by
 * `adjustTallies`. Transaction id 2 is visible in every snapshot (as in
 * db/migrations/2026_11_22_1000_fold_by_snapshot.ts), and below every snapshot's xmin: the
 * campaign's snapshot must not be null.
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
