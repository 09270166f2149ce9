// Per-counter tallies of each campaign's valid responses (db migrations 2026_11_22_0600,
// 1000 and 2026_12_03_1800), from which scores are computed without reading a response. Ingestion only inserts
// responses; a fold adds to the tallies the valid responses that the campaign's last fold did
// not see, in the background while the server runs, on the primary. A scoring reads those it
// has yet to see beside the tallies, without storing them (`addUnfolded`: scores are exact and
// current, and no read writes, so that a standby can serve them); the background fold keeps
// them few. A released response is new to the next fold.
//
// Why: no scan of the responses can score a large campaign within a second, not even the
// one-pass baseline of the issue (BENCHMARKS.md, scoring; the first figures, by hand). Every
// score is a function of per-counter counts of answer sets and of their pairs (linearization.ts,
// `tallyAtoms`), which add up: kept as tallies, a scoring reads a few rows per counter. The fold
// costs about what the baseline does per response, once per response; ingestion pays one entry
// in an index, not an update of a tally row per response.
import type { Kysely, Transaction } from 'kysely';
import { answerScale, tallyAtoms, type TallyAtom } from '../../analysis/linearization.ts';
import type { CounterTally } from '../../analysis/queries/index.ts';
import { answerPositions, answerSlots } from '../../analysis/scoring.ts';
import { MODES } from '../../shared/rules.ts';
import type { Database } from '../../db/database.ts';
import * as tallies from '../../db/repositories/tallies.ts';
import { campaignByCode, type Campaign } from './campaigns/index.ts';

/** Counts a tally keeps per sat5 item: answers 0 (asked, left blank) to 5. */
const ANSWER_CODES = 6;

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
 * Folds every valid response of the campaign that its last fold did not see, `batch` a
 * statement, in one transaction; returns how many.
 */
export async function foldCampaignTallies(
  db: Kysely<Database>,
  campaign: Campaign,
  batch = FOLD_BATCH,
): Promise<number> {
  const slots = answerSlots(campaign.instrument);
  const atoms = campaignAtoms(campaign);
  // Repeatable read: every statement, and the snapshot recorded at the end, see the same
  // responses, those committed before the lock was held.
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      await tallies.lockFolds(trx);
      const since = await tallies.lastFoldSnapshot(trx, campaign.id);
      // Nothing new, the usual case before a scoring while the background fold keeps up: no
      // statement of the fold and no write. The last snapshot stays the campaign's, which is
      // as good: what it did not see is what no fold counted.
      if (since !== null && !(await tallies.anyUnseen(trx, campaign.id, since))) return 0;
      let total = 0;
      for (let after = tallies.foldStart; ;) {
        const folded = await tallies.foldTallies(trx, campaign.id, slots, atoms, {
          since,
          after,
          limit: batch,
        });
        total += folded.responses;
        if (folded.last === null || folded.responses < batch) break;
        after = folded.last;
      }
      await tallies.recordFoldSnapshot(trx, campaign.id);
      return total;
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
  const since = await tallies.lastFoldSnapshot(db, campaign.id);
  // Nothing unseen, the usual case while the background fold keeps up: the tally statement
  // would still read every response of the campaign to find none (tallies.anyUnseen).
  if (since !== null && !(await tallies.anyUnseen(db, campaign.id, since))) return;
  const unfolded = await tallies.unfoldedTallies(
    db,
    campaign.id,
    answerSlots(campaign.instrument),
    campaignAtoms(campaign),
    since,
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
  const answers = Array.from({ length: counts.answers.length / ANSWER_CODES }, (_, k) =>
    Array.from(
      { length: ANSWER_CODES },
      (_, a) => (tally?.answers[k]?.[a] ?? 0) + (counts.answers[ANSWER_CODES * k + a] ?? 0),
    ),
  );
  const products = Float64Array.from(counts.products, (n, i) => n + (tally?.products[i] ?? 0));
  return { counterId: counts.counter_id, modes, answers, products };
}

/**
 * Takes a valid response out of its campaign's tallies, in the caller's transaction, before the
 * caller voids it or replaces it (and in place of the reset of its campaign's tallies that the
 * change of status would cause, db/migrations/2026_12_04_0700_void_adjusts_tallies.ts): only
 * if the last fold counted it, as a response it did not see is no longer the next fold's.
 * Takes the fold lock, so that no fold counts it meanwhile; a quarantined response is in no
 * tally and is left alone.
 */
export async function withdrawFromTallies(
  trx: Transaction<Database>,
  campaign: Campaign,
  responseId: number,
): Promise<void> {
  await tallies.lockFolds(trx);
  await tallies.adjustingFor(trx, responseId);
  const since = await tallies.lastFoldSnapshot(trx, campaign.id);
  if (since === null || !(await tallies.foldSaw(trx, responseId, since))) return;
  await adjust(trx, campaign, responseId, -1);
}

/**
 * Adds a new valid response (a corrected copy) to its campaign's tallies, in the caller's
 * transaction after `withdrawFromTallies`, and marks it counted for the folds to come; a
 * campaign that no fold counted yet is left to its first.
 */
export async function addToTallies(
  trx: Transaction<Database>,
  campaign: Campaign,
  responseId: number,
): Promise<void> {
  await tallies.lockFolds(trx);
  if ((await tallies.lastFoldSnapshot(trx, campaign.id)) === null) return;
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

/** Folds every campaign with valid responses its last fold did not see; returns how many. */
export async function foldAllTallies(db: Kysely<Database>): Promise<number> {
  let total = 0;
  for (const code of await tallies.campaignsToFold(db)) {
    total += await foldCampaignTallies(db, await campaignByCode(db, code));
  }
  return total;
}

/**
 * Folds in the background every `intervalMs` until stopped, so that a scoring finds few
 * responses the last fold did not see. A fold also costs a fixed amount per counter it touches: folding every
 * few seconds rather than at every response keeps that small beside the responses' own cost.
 */
export function startTallyFolding(
  db: Kysely<Database>,
  { intervalMs, onError }: { intervalMs: number; onError: (error: unknown) => void },
): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const timer = setInterval(() => {
    running = running.then(async () => {
      if (stopped) return;
      await foldAllTallies(db).catch(onError);
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
