// Per-counter tallies of each campaign's valid responses (db migration 2026_11_22_0600), from
// which scores are computed without reading a response. Ingestion only inserts responses,
// untallied; a fold adds them to the tallies and marks them, before every scoring (so scores
// are exact and current) and in the background while the server runs (so that fold stays small).
// A released response is valid and untallied, so the next fold counts it.
//
// Why: scoring a million responses straight from the table took 23-60 s here (two passes, the
// second summing every index's linearized value per response), and even the one-pass baseline
// of the issue takes seconds, so no scan of the responses can answer within a second. Every
// score is a function of per-counter counts of answer sets and of their pairs (linearization.ts,
// `tallyAtoms`), which add up: kept as tallies, a scoring reads a few rows per counter. The fold
// costs about what the baseline does per response, once per response; ingestion pays one entry
// in a partial index, not an update of a tally row per response.
import type { Kysely } from 'kysely';
import { answerScale, tallyAtoms, type TallyAtom } from '../../analysis/linearization.ts';
import { foldTallies } from '../../analysis/queries/index.ts';
import { answerPositions } from '../../analysis/scoring.ts';
import type { Database } from '../../db/database.ts';
import { campaignsWithUntallied, lockCampaignTallies } from '../../db/repositories/tallies.ts';
import { campaignByCode, type Campaign } from './campaigns.ts';

/**
 * Responses folded per transaction. The database holds three bits per sat5 item and response
 * of a batch as strings (about 17 MB here for sipas-2017), and each counter a batch touches
 * costs a fixed pass over its pairs of answer sets: a quarter million keeps the first within a
 * server's working memory and makes the second small beside the responses' own cost.
 */
export const FOLD_BATCH = 250_000;

/** The answer sets a campaign's tallies cross, from its rules (fixed when it is created). */
export function campaignAtoms(campaign: Campaign): TallyAtom[] {
  return tallyAtoms(answerScale(campaign.rules), answerPositions(campaign.instrument).length);
}

/** Folds every untallied valid response of the campaign, `batch` at a time; returns how many. */
export async function foldCampaignTallies(
  db: Kysely<Database>,
  campaign: Campaign,
  batch = FOLD_BATCH,
): Promise<number> {
  const positions = answerPositions(campaign.instrument);
  const atoms = campaignAtoms(campaign);
  let total = 0;
  for (;;) {
    const { responses } = await db.transaction().execute(async (trx) => {
      await lockCampaignTallies(trx, campaign.id);
      return foldTallies(trx, campaign.id, positions, atoms, batch);
    });
    total += responses;
    if (responses < batch) return total;
  }
}

/** Folds every campaign that has untallied valid responses; returns how many responses. */
export async function foldAllTallies(db: Kysely<Database>): Promise<number> {
  let total = 0;
  for (const code of await campaignsWithUntallied(db)) {
    total += await foldCampaignTallies(db, await campaignByCode(db, code));
  }
  return total;
}

/**
 * Folds in the background every `intervalMs` until stopped, so that the fold before a scoring
 * finds little left. A fold also costs a fixed amount per counter it touches: folding every
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
