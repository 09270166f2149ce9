// Corrections at scale (issue 14): voiding one paper form of a campaign of many responses, and
// the scoring after it, which is what a surveyor waits for. A void used to drop the campaign's
// tallies (the reset trigger of db/migrations/2026_11_22_1000_fold_by_snapshot), so that the
// next scoring folded every response again; it now takes the form out of the tallies in its own
// transaction (api/services/tallies.ts, withdrawFromTallies). The baseline is the old path,
// which the code still takes for a change made by hand: the same status change without the
// adjustment, then the same scoring.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { operator } from '../api/services/access.ts';
import { campaignByCode } from '../api/services/campaigns/index.ts';
import { voidForm } from '../api/services/corrections.ts';
import { campaignScores } from '../api/services/scores.ts';
import { foldCampaignTallies } from '../api/services/tallies.ts';
import { connect, type ConnectOptions } from '../db/connect.ts';
import type { Database } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import * as responses from '../db/repositories/responses.ts';
import {
  clock,
  median,
  measured,
  repeat,
  scratchDatabase,
  type BenchContext,
  type Benchmark,
  type Row,
} from './harness.ts';
import { CAMPAIGN, generate, seed } from './scoring.ts';

type Engine = 'postgres' | 'pglite';

/** The ids of `n` valid paper forms of the campaign, oldest first. */
async function paperForms(db: Kysely<Database>, campaignId: number, n: number) {
  const rows = await db
    .selectFrom('response')
    .select('id')
    .where('campaign_id', '=', campaignId)
    .where('mode', '=', 'paper')
    .where('status', '=', 'valid')
    .orderBy('id')
    .limit(n)
    .execute();
  if (rows.length < n) throw new Error(`only ${rows.length} paper forms`);
  return rows.map((row) => row.id);
}

async function measureEngine(context: BenchContext, engine: Engine, size: number): Promise<Row[]> {
  const scratch =
    engine === 'postgres' ? await scratchDatabase(context.postgresUrl, 'corrections') : null;
  const dataDir = engine === 'pglite' ? mkdtempSync(join(tmpdir(), 'sipas-bench-void-')) : null;
  const options: ConnectOptions = scratch
    ? { engine: 'postgres', databaseUrl: scratch.url, poolSize: 4 }
    : { engine: 'pglite', dataDir: dataDir ?? undefined };
  const connection = connect(options);
  try {
    const { db } = connection;
    await migrateToLatest(db);
    await seed(db);
    await generate(db, 0, size);
    const campaign = await campaignByCode(db, CAMPAIGN);
    await foldCampaignTallies(db, campaign);
    // The baseline folds the whole campaign again (7-20 s) and no goal is on its figure: once.
    const forms = await paperForms(db, campaign.id, 1 + context.repetitions);
    const scores = () => campaignScores(db, operator(), { campaign: CAMPAIGN, by: 'counter' });
    await scores();
    /** Seconds from a void's start to the scores after it. */
    const timed = async (voidOne: (id: number) => Promise<unknown>, id: number) => {
      const started = clock();
      await voidOne(id);
      await scores();
      return (clock() - started) / 1000;
    };
    const before = await timed(
      (id) =>
        db
          .transaction()
          .execute((trx) => responses.voidResponse(trx, id, { status: 'voided', reason: 'bench' })),
      forms[0] ?? 0,
    );
    const after = median(
      await repeat(context.repetitions, (i) =>
        timed(
          (id) => voidForm(db, operator('bench'), CAMPAIGN, String(id), { reason: 'bench' }),
          forms[1 + i] ?? 0,
        ),
      ),
    );
    const name = `${engine === 'postgres' ? 'PostgreSQL' : 'PGlite'}, ${size.toLocaleString('en-US')}`;
    return [
      measured({
        name: `${name}: void one paper form, then scores --by counter`,
        value: after,
        unit: 's',
        baseline: before,
      }),
    ];
  } finally {
    await connection.close();
    if (scratch) await scratch.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

export const correctionsBenchmark: Benchmark = {
  name: 'corrections',
  description:
    'A campaign of 50,000 sipas-2017 responses (quick: 5,000), generated and folded as in the ' +
    'scoring benchmark, then scored once. Timed: voiding one paper form through the service ' +
    '(`voidForm`, what the API and the console call: it takes the form out of the tallies in ' +
    'its transaction) and then scoring the campaign by counter, a different form each ' +
    'repetition, median of the repetitions. Baseline, run once: the old path, still taken by ' +
    'a change made by hand, the same status change without the adjustment (the tallies ' +
    'dropped by the reset trigger) and the same scoring, which then folds every response ' +
    'again. Both engines.',
  async run(context) {
    const size = context.quick ? 5_000 : 50_000;
    return [
      ...(await measureEngine(context, 'postgres', size)),
      ...(await measureEngine(context, 'pglite', size)),
    ];
  },
};
