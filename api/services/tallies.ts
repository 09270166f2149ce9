// Per-counter tallies of each campaign's valid responses (db migrations 2026_11_22_0600,
// 1000, 2026_12_03_1800 and 2026_12_08_0100), from which scores are computed without reading a
// response. Ingestion only inserts responses; a fold adds to the tallies the valid responses
// that the campaign's folds have not counted, in the background while the server runs, on the
// primary (on the embedded engine in short slices, so that submissions do not wait). A scoring
// reads those not yet counted beside the tallies, without storing them (`addUnfolded`: scores
// are exact and current, and no read writes, so that a standby can serve them); the background
// fold keeps them few. A released response is new to the next fold.
//
// Why: no scan of the responses can score a large campaign within a second, not even the
// one-pass baseline of the issue (BENCHMARKS.md, scoring; the first figures, by hand). Every
// score is a function of per-counter counts of answer sets and of their pairs (linearization.ts,
// `tallyAtoms`), which add up: kept as tallies, a scoring reads a few rows per counter. The fold
// costs about what the baseline does per response, once per response; ingestion pays one entry
// in an index, not an update of a tally row per response.
import { setTimeout } from 'node:timers/promises';
import type { Kysely, Transaction } from 'kysely';
import { answerScale, tallyAtoms, type TallyAtom } from '../../analysis/linearization.ts';
import type { CounterTally } from '../../analysis/queries/index.ts';
import { answerPositions, answerSlots } from '../../analysis/scoring.ts';
import { MODES } from '../../shared/rules.ts';
import type { Database } from '../../db/database.ts';
import * as responses from '../../db/repositories/responses.ts';
import * as tallies from '../../db/repositories/tallies.ts';
import { campaignByCode, type Campaign } from './campaigns/index.ts';

/**
 * Responses folded per statement. The database holds three bits per sat5 item and response
 * of a statement as strings (BENCHMARKS.md, by hand), and each counter a statement
 * touches costs a fixed pass over its pairs of answer sets: a quarter million keeps the first
 * within a server's working memory and makes the second small beside the responses' own cost.
 */
export const FOLD_BATCH = 250_000;

/** The answer sets a campaign's tallies cross, from its rules (fixed when it is created). */
export function campaignAtoms(campaign: Campaign): TallyAtom[] {
  return tallyAtoms(answerScale(campaign.rules), answerPositions(campaign.instrument).length);
}

/**
 * Folds every valid response of the campaign that its folds have not counted, `batch` a
 * statement, in one transaction, and finishes any round of slices under way; returns how many.
 */
export async function foldCampaignTallies(
  db: Kysely<Database>,
  campaign: Campaign,
  batch = FOLD_BATCH,
): Promise<number> {
  // Repeatable read: every statement, and the snapshot recorded at the end, see the same
  // responses, those committed before the lock was held (a round's target among them).
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      await tallies.lockFolds(trx);
      const state = await tallies.lastFold(trx, campaign.id);
      // Nothing new: no statement of the fold and no write. The last snapshot stays the
      // campaign's, which is as good: what it did not see is what no fold counted.
      if (await nothingNew(trx, campaign, state)) return 0;
      return foldTheRest(trx, campaign, state, batch);
    });
}

/**
 * Whether the campaign's folds have counted every valid response: a complete fold's snapshot
 * saw them all (tallies.anyUnseen, a look at the index from that snapshot's xmin on). A round
 * of slices under way counts as something new, to be finished.
 */
async function nothingNew(
  db: Kysely<Database>,
  campaign: Campaign,
  state: tallies.FoldState | null,
): Promise<boolean> {
  if (state?.snapshot == null || state.round !== null) return false;
  return !(await tallies.anyUnseen(db, campaign.id, state.snapshot));
}

/** The fold of `foldCampaignTallies`, in its transaction after the lock: `state` is current. */
async function foldTheRest(
  trx: Transaction<Database>,
  campaign: Campaign,
  state: tallies.FoldState | null,
  batch: number,
): Promise<number> {
  const slots = answerSlots(campaign.instrument);
  const atoms = campaignAtoms(campaign);
  let total = 0;
  for (let after = tallies.foldStartOf(state); ;) {
    const folded = await tallies.foldTallies(trx, campaign.id, slots, atoms, {
      state,
      after,
      limit: batch,
    });
    total += folded.responses;
    if (folded.last === null || folded.responses < batch) break;
    after = folded.last;
  }
  await tallies.recordFoldSnapshot(trx, campaign.id);
  return total;
}

/** How much one slice of a background fold may take (`foldSlice`). */
export interface SliceBounds {
  /** Counters folded at most: each costs a fixed pass over its pairs of answer sets. */
  counters: number;
  /** Responses folded at most. */
  responses: number;
  /**
   * Responses a round takes on at most (`tallies.roundTarget`; a transaction's are never
   * split): its first slice lists and sorts them all by counter.
   */
  round: number;
}

/** A background fold in slices: each slice's bounds, and the pause after it. */
export interface SlicedFolding extends SliceBounds {
  /**
   * Time left to other queries after a slice, as a multiple of the slice's own (1: the fold
   * holds the connection half the time at most).
   */
  rest: number;
}

/**
 * On the embedded engine a slice holds the only connection, and the process itself, PGlite
 * running on its thread: submissions wait behind it (issue 19). A submission makes several
 * queries, each of which waited for a slice while slices ran back to back (p99 199 ms at 500/s
 * while the fold caught up after the ingestion bench's saturation); three times a slice's time
 * left to other queries bounds that. A slice costs a fixed pass over the pairs of answer sets of
 * each counter it folds (46 sets under sipas-2017), and a round's first slice lists and sorts
 * the round's responses: one counter a slice and rounds of 1,000 responses kept nearly every
 * slice under 12 ms and the longest near 25 ms while 60,000 responses waited (PGlite ingestion
 * bench, 2026-12-05, p99 at 500/s in its three repetitions: 33, 27, 31 ms, against 63, 28, 48
 * with two counters a slice, and 91, 50, 36 with two and rounds of 2,000). The fold then takes
 * a quarter of the connection's time at most: at 500/s for hours on end it would fall behind,
 * and a scoring tally what it left read-only (`addUnfolded`).
 */
export const EMBEDDED_SLICE: SlicedFolding = {
  counters: 1,
  responses: 200,
  round: 1_000,
  rest: 3,
};

/**
 * A round's responses past a slice that the next one may start from, without listing them
 * again: valid while the campaign's fold state is the one that slice recorded.
 */
export interface RoundPlan {
  state: tallies.FoldState;
  rest: tallies.RoundPosition[];
  /** Whether the round's target was cut short (`tallies.roundTarget`): more responses wait. */
  capped: boolean;
}

/**
 * A round listing more responses than this (one transaction's, an import's) is folded at
 * once, in one transaction as a scoring's fold is: its list would not fit a slice's memory,
 * nor its listing a slice's time.
 */
export const ROUND_MAX = 50_000;

const samePosition = (a: tallies.RoundPosition | null, b: tallies.RoundPosition | null) =>
  a === null || b === null
    ? a === b
    : a.counterId === b.counterId && a.xid === b.xid && a.id === b.id;

/** Whether `plan` was left by the last slice of the round under way, per its fold state. */
const planHolds = (plan: RoundPlan, state: tallies.FoldState | null) =>
  state?.round != null &&
  plan.state.round !== null &&
  plan.state.snapshot === state.snapshot &&
  plan.state.round.target === state.round.target &&
  samePosition(plan.state.round.position, state.round.position);

/**
 * Folds one slice of the campaign's round, in a short transaction of its own. A round folds
 * what one snapshot, its target, saw and the campaign's folds did not count, counter by
 * counter in the order (counter_id, fold_xid, id): its first slice takes the target (cut
 * short past `bounds.round` responses) and lists those responses; each slice folds the next
 * counters of the list, up to `bounds` (a counter with more responses than a slice may take is
 * folded over several), and records how far the round came. The list stays good while nothing
 * else changes the fold state (`plan`, from the slice before); else the slice lists the rest
 * again. Returns how many responses the slice folded, of which counters, whether the round is
 * complete, whether more is to fold now (the round, or the responses its target was cut short
 * of), and the plan for the next slice.
 */
export async function foldSlice(
  db: Kysely<Database>,
  campaign: Campaign,
  bounds: SliceBounds,
  plan?: RoundPlan,
): Promise<{
  responses: number;
  counters: number[];
  complete: boolean;
  more: boolean;
  plan?: RoundPlan;
}> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      await tallies.lockFolds(trx);
      await tallies.commitWithoutWaiting(trx);
      const last = await tallies.lastFold(trx, campaign.id);
      let capped = plan?.capped ?? false;
      let round = last?.round;
      if (!round) {
        const start = await tallies.roundTarget(trx, campaign.id, last, bounds.round);
        round = { target: start.target, position: null };
        capped = start.capped;
      }
      const state = { snapshot: last?.snapshot ?? null, round };
      let rest = plan && planHolds(plan, last) ? plan.rest : null;
      if (rest === null) {
        rest = await tallies.roundResponses(trx, campaign.id, state, ROUND_MAX + 1);
        if (rest.length > ROUND_MAX) {
          const responses = await foldTheRest(trx, campaign, last, FOLD_BATCH);
          return { responses, counters: [], complete: true, more: false };
        }
      }
      // Whole counters while they fit, or the first counter alone, in parts.
      const counters: number[] = [];
      let taken = 0;
      for (const response of rest) {
        if (counters.at(-1) !== response.counterId) {
          if (counters.length === bounds.counters) break;
          const more = rest.slice(taken).filter((r) => r.counterId === response.counterId);
          if (counters.length > 0 && taken + more.length > bounds.responses) break;
          counters.push(response.counterId);
        }
        if (taken === bounds.responses) break;
        taken += 1;
      }
      const slice = rest.slice(0, taken);
      let folded = 0;
      if (slice.length > 0) {
        folded = (
          await tallies.foldTallies(
            trx,
            campaign.id,
            answerSlots(campaign.instrument),
            campaignAtoms(campaign),
            {
              state,
              after: tallies.foldStart,
              limit: bounds.responses,
              within: state.round.target,
              ids: slice.map((response) => response.id),
            },
          )
        ).responses;
      }
      if (taken === rest.length) {
        await tallies.recordFoldState(trx, campaign.id, {
          snapshot: state.round.target,
          round: null,
        });
        return { responses: folded, counters, complete: true, more: capped };
      }
      const next = { ...state, round: { ...state.round, position: slice.at(-1) ?? null } };
      await tallies.recordFoldState(trx, campaign.id, next);
      return {
        responses: folded,
        counters,
        complete: false,
        more: true,
        plan: { state: next, rest: rest.slice(taken), capped },
      };
    });
}

/**
 * Adds to `stored` (a counter's id to its stored tally, read in the caller's transaction) the
 * campaign's valid responses that its last fold did not see, at the counters `only` (null:
 * every one): the tallies the next fold would leave, read in the same snapshot, with no write,
 * so that a read-only transaction, a standby's, scores exactly and currently.
 */
export async function addUnfolded(
  db: Kysely<Database>,
  campaign: Campaign,
  stored: Map<number, CounterTally>,
  only: readonly number[] | null,
): Promise<void> {
  const state = await tallies.lastFold(db, campaign.id);
  // Nothing new, the usual case while the background fold keeps up: not a statement more.
  if (await nothingNew(db, campaign, state)) return;
  const unfolded = await tallies.unfoldedTallies(
    db,
    campaign.id,
    answerSlots(campaign.instrument),
    campaignAtoms(campaign),
    state,
  );
  const kept = only === null ? null : new Set(only);
  for (const counts of unfolded) {
    if (kept !== null && !kept.has(counts.counter_id)) continue;
    stored.set(counts.counter_id, addCounts(stored.get(counts.counter_id), counts));
  }
}

/** A stored tally (none: zeros) plus the counts of responses the last fold did not see. */
function addCounts(tally: CounterTally | undefined, counts: tallies.UnfoldedTally): CounterTally {
  const modes: Record<string, number> = { ...tally?.modes };
  MODES.forEach((mode, i) => {
    const n = (modes[mode] ?? 0) + (counts.modes[i] ?? 0);
    if (n > 0) modes[mode] = n;
  });
  const answers = Float64Array.from(counts.answers, (n, i) => n + (tally?.answers[i] ?? 0));
  const products = Float64Array.from(counts.products, (n, i) => n + (tally?.products[i] ?? 0));
  return { counterId: counts.counter_id, modes, answers, products };
}

/**
 * Takes a valid response out of its campaign's tallies, in the caller's transaction, before the
 * caller voids it or replaces it (and in place of the reset of its campaign's tallies that the
 * change of status would cause, db/migrations/2026_12_04_0700_void_adjusts_tallies.ts): only
 * if the campaign's folds counted it, as a response they did not is no longer theirs to count.
 * Takes the fold lock, so that no fold or slice counts it meanwhile; a quarantined response is
 * in no tally and is left alone.
 */
export async function withdrawFromTallies(
  trx: Transaction<Database>,
  campaign: Campaign,
  responseId: number,
): Promise<void> {
  await tallies.lockFolds(trx);
  await tallies.adjustingFor(trx, responseId);
  const state = await tallies.lastFold(trx, campaign.id);
  if (state === null || !(await tallies.foldSaw(trx, responseId, state))) return;
  await adjust(trx, campaign, responseId, -1);
}

/**
 * Adds a new valid response (a corrected copy) to its campaign's tallies, in the caller's
 * transaction after `withdrawFromTallies`, and marks it counted for the folds to come; a
 * campaign that no fold completed yet leaves it to its folds (the copy is new to every round:
 * its transaction commits after the round's target was taken).
 */
export async function addToTallies(
  trx: Transaction<Database>,
  campaign: Campaign,
  responseId: number,
): Promise<void> {
  await tallies.lockFolds(trx);
  if (((await tallies.lastFold(trx, campaign.id))?.snapshot ?? null) === null) return;
  await adjust(trx, campaign, responseId, 1);
  await tallies.markFolded(trx, responseId);
}

/** Adds one response's answers to its campaign's tallies, or takes them out. */
async function adjust(
  trx: Transaction<Database>,
  campaign: Campaign,
  responseId: number,
  sign: 1 | -1,
): Promise<void> {
  await tallies.adjustTallies(
    trx,
    campaign.id,
    answerSlots(campaign.instrument),
    campaignAtoms(campaign),
    { ids: [responseId], sign },
  );
}

/** Folds every campaign with valid responses its folds did not count; returns how many. */
export async function foldAllTallies(db: Kysely<Database>): Promise<number> {
  let total = 0;
  for (const code of await tallies.campaignsToFold(db)) {
    total += await foldCampaignTallies(db, await campaignByCode(db, code));
  }
  return total;
}

/**
 * When the embedded engine, which runs no autovacuum, should analyze its responses
 * (`analyzeResponsesBriefly`): by autovacuum's default rule, once the responses added since the
 * last ANALYZE pass 50 plus a tenth of the table. Those folded stand for those added: a
 * response is folded once, and an import analyzes what it stored.
 */
class StatisticsDue {
  private added = 0;
  private rows = 0;

  /** Counts `folded` responses more; whether an ANALYZE is due. */
  add(folded: number): boolean {
    this.added += folded;
    return this.added > 50 + 0.1 * this.rows;
  }

  analyzed(rows: number): void {
    this.added = 0;
    this.rows = rows;
  }
}

/**
 * Folds every campaign's round to its end in slices of `bounds`, leaving the database to
 * whatever waits for it between two slices, `bounds.rest` times the last slice's time, and
 * between two slices analyzes the responses when `statistics` says so (the embedded engine);
 * returns how many responses it folded.
 */
async function foldAllInSlices(
  db: Kysely<Database>,
  bounds: SlicedFolding,
  statistics: StatisticsDue,
  stopped: () => boolean,
): Promise<number> {
  let total = 0;
  for (const code of await tallies.campaignsToFold(db)) {
    const campaign = await campaignByCode(db, code);
    let plan: RoundPlan | undefined;
    for (;;) {
      if (stopped()) return total;
      const started = performance.now();
      const slice = await foldSlice(db, campaign, bounds, plan);
      total += slice.responses;
      // Between slices, as it takes about as long as one.
      if (statistics.add(slice.responses)) {
        statistics.analyzed(await responses.analyzeResponsesBriefly(db));
      }
      plan = slice.plan;
      if (!slice.more) break;
      await setTimeout(bounds.rest * (performance.now() - started));
    }
  }
  return total;
}

/**
 * Folds in the background every `intervalMs` until stopped, so that a scoring finds few
 * responses no fold counted: in slices of `slice` if given (the embedded engine, whose one connection
 * submissions share), or each campaign in one transaction. A fold also costs a fixed amount
 * per counter it touches: folding every few seconds rather than at every response keeps that
 * small beside the responses' own cost.
 */
export function startTallyFolding(
  db: Kysely<Database>,
  {
    intervalMs,
    slice,
    onError,
  }: { intervalMs: number; slice: SlicedFolding | null; onError: (error: unknown) => void },
): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const statistics = new StatisticsDue();
  const timer = setInterval(() => {
    running = running.then(async () => {
      if (stopped) return;
      await (
        slice ? foldAllInSlices(db, slice, statistics, () => stopped) : foldAllTallies(db)
      ).catch(onError);
    });
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
