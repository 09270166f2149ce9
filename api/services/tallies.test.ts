// Scores from tallies equal scores from the raw responses: the tallies that the database folds
// (db/repositories/tally-fold.sql, in batches, as responses arrive, are released, or are
// edited by hand) against an independent computation over the responses themselves
// (analysis/scoring.testing.ts: per respondent, y = Σ phi[answer]), to 1e-9, by all, unit and
// counter under both designs.
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Design } from '../../analysis/rules.ts';
import type { By } from '../../analysis/scores-document.ts';
import { must } from '../../analysis/scoring.testing.ts';
import type { Database } from '../../db/database.ts';
import { countedSql, snapshotBefore } from '../../db/repositories/tallies.ts';
import { engines, openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import { campaignByCode, createCampaign, importTransactions } from './campaigns/index.ts';
import {
  exampleActor as actor,
  exampleFile,
  openExampleCampaign,
  textStream,
} from './examples.testing.ts';
import { importResponses, releaseQuarantined } from './responses.ts';
import { campaignScores } from './scores.ts';
import { differences, expectedScores, rawScores } from './scores.testing.ts';
import { voidForm } from './corrections.ts';
import {
  EMBEDDED_SLICE,
  foldCampaignTallies,
  foldSlice,
  startTallyFolding,
  type RoundPlan,
  type SliceBounds,
} from './tallies.ts';
import { operator } from './access.ts';

const views: [By, Design][] = (['all', 'unit', 'counter'] as const).flatMap((by) =>
  (['srs', 'stratified'] as const).map((design): [By, Design] => [by, design]),
);

/** Example responses under other ids and in another year, so that they import again. */
const moreResponses = (prefix: string, year = '2025') =>
  exampleFile('responses.csv')
    .split('\n')
    .map((line, i) => (i === 0 || line === '' ? line : `${prefix}${line}`))
    .join('\n')
    .replaceAll(',2025-', `,${year}-`);

describe.each(engines)('tallies on %s', (engine) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
    await openExampleCampaign(database.db);
  });
  afterAll(() => database.close());

  async function expectTalliesToMatchRaw(code: string) {
    for (const [by, design] of views) {
      const { groups } = await campaignScores(database.db, operator(), {
        campaign: code,
        by,
        design,
      });
      expect(groups.length, `${by} ${design}`).toBeGreaterThan(0);
      expect(
        differences(groups, await rawScores(database.db, code, by, design)),
        `${by} ${design}`,
      ).toEqual([]);
    }
    // What a scoring reads is the arrays' text that PostgreSQL keeps beside them.
    const { rows: stale } = await sql<{ counter_id: number }>`
      select counter_id from response_tally
      where modes_text <> modes::text or answers_text <> answers::text
        or products_text <> products::text
    `.execute(database.db);
    expect(stale).toEqual([]);
  }

  /** The campaign's valid responses that its folds did not count (`countedSql`). */
  const untallied = async (code: string) => {
    const campaign = await campaignByCode(database.db, code);
    const { rows } = await sql<{ n: number }>`
      select count(*) as n from response r
      left join tally_fold f on f.campaign_id = r.campaign_id
      where r.campaign_id = ${campaign.id} and r.status = 'valid'
        and not (${sql.raw(
          countedSql({
            snapshot: 'f.snapshot',
            target: 'f.target',
            counter: 'f.position_counter',
            xid: 'f.position_xid',
            id: 'f.position_id',
          }),
        )})
    `.execute(database.db);
    return must(rows[0]).n;
  };

  it('folds in batches to the same tallies, and scores them as R does', async () => {
    const campaign = await campaignByCode(database.db, 'BRVT-2025');
    // Batches of 7 responses in counter order: counters are split across batches and summed.
    expect(await foldCampaignTallies(database.db, campaign, 7)).toBe(60);
    expect(await untallied('BRVT-2025')).toBe(0);
    expect(await foldCampaignTallies(database.db, campaign)).toBe(0);
    await expectTalliesToMatchRaw('BRVT-2025');
    const { groups } = await campaignScores(database.db, operator(), {
      campaign: 'BRVT-2025',
      by: 'all',
      design: 'stratified',
    });
    expect(differences(groups, expectedScores.stratified.slice(0, 1))).toEqual([]);
  });

  it('leaves the tallies and the last snapshot alone when nothing is new', async () => {
    const campaign = await campaignByCode(database.db, 'BRVT-2025');
    await foldCampaignTallies(database.db, campaign);
    const state = () =>
      sql<{ snapshot: string; tallies: string }>`
        select f.snapshot::text as snapshot,
          (select string_agg(t::text, ';' order by t.counter_id) from response_tally t
            where t.campaign_id = f.campaign_id) as tallies
        from tally_fold f where f.campaign_id = ${campaign.id}
      `
        .execute(database.db)
        .then(({ rows }) => must(rows[0]));
    const before = await state();
    expect(await foldCampaignTallies(database.db, campaign)).toBe(0);
    expect(await state()).toEqual(before);
  });

  it('counts responses that arrive after a fold', async () => {
    await importResponses(database.db, actor, 'BRVT-2025', textStream(moreResponses('more-')));
    expect(await untallied('BRVT-2025')).toBe(60);
    // Scored beside the tallies, and not folded: a scoring writes nothing.
    await expectTalliesToMatchRaw('BRVT-2025');
    expect(await untallied('BRVT-2025')).toBe(60);
    const documents = () =>
      Promise.all(
        views.map(([by, design]) =>
          campaignScores(database.db, operator(), { campaign: 'BRVT-2025', by, design }),
        ),
      );
    const unfolded = await documents();
    const campaign = await campaignByCode(database.db, 'BRVT-2025');
    expect(await foldCampaignTallies(database.db, campaign)).toBe(60);
    // The same documents once folded, to the last bit: counts add up exactly either way.
    expect(await documents()).toEqual(unfolded);
    await expectTalliesToMatchRaw('BRVT-2025');
    const { groups } = await campaignScores(database.db, operator(), {
      campaign: 'BRVT-2025',
      by: 'all',
    });
    expect(must(groups[0]).respondents).toBe(120);
  });

  /** A response to BRVT-2025 at BRVT.STP.Q1 by `db` (a transaction, or not): its id. */
  async function insertResponse(db: Kysely<Database>, status: 'valid' | 'quarantined') {
    const campaign = await campaignByCode(db, 'BRVT-2025');
    const counter = await db
      .selectFrom('counter')
      .select('id')
      .where('code', '=', 'BRVT.STP.Q1')
      .executeTakeFirstOrThrow();
    const answers = [1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 1, 2, 3, 4, 1, 5, 4, 3, 2];
    const { id } = await db
      .insertInto('response')
      .values({
        campaign_id: campaign.id,
        counter_id: counter.id,
        instrument_id: campaign.instrument.id,
        mode: 'qr',
        submitted_at: '2025-07-01T10:00:00+07:00',
        answers: [...answers, null, null, null, null, null],
        status,
        reason: status === 'valid' ? null : 'too-fast',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return id;
  }

  it('counts a quarantined response once it is released, and not before', async () => {
    const quarantined = await insertResponse(database.db, 'quarantined');
    await expectTalliesToMatchRaw('BRVT-2025');
    const before = await campaignScores(database.db, operator(), {
      campaign: 'BRVT-2025',
      by: 'all',
    });
    expect(must(before.groups[0]).respondents).toBe(120);

    await releaseQuarantined(database.db, actor, [String(quarantined)]);
    await expectTalliesToMatchRaw('BRVT-2025');
    const after = await campaignScores(database.db, operator(), {
      campaign: 'BRVT-2025',
      by: 'all',
    });
    expect(must(after.groups[0]).respondents).toBe(121);
  });

  it('starts over when a tallied response is changed by hand', async () => {
    const campaign = await campaignByCode(database.db, 'BRVT-2025');
    await foldCampaignTallies(database.db, campaign);
    await database.db
      .updateTable('response')
      .set({ status: 'quarantined', reason: 'rate-limit' })
      .where('campaign_id', '=', campaign.id)
      .where('source_id', 'like', 'more-%')
      .execute();
    // The campaign's tallies are gone and every valid response waits for the next fold.
    expect(await untallied('BRVT-2025')).toBe(61);
    await expectTalliesToMatchRaw('BRVT-2025');
    const { groups } = await campaignScores(database.db, operator(), {
      campaign: 'BRVT-2025',
      by: 'all',
    });
    expect(must(groups[0]).respondents).toBe(61);
  });

  /** Slices of BRVT-2025's round until `slices` were taken or it is complete, each within bounds. */
  async function slices(bounds: SliceBounds, slices = Number.POSITIVE_INFINITY) {
    const campaign = await campaignByCode(database.db, 'BRVT-2025');
    let folded = 0;
    let plan: RoundPlan | undefined;
    for (let i = 0; i < slices; i++) {
      const slice = await foldSlice(database.db, campaign, bounds, plan);
      plan = slice.plan;
      expect(slice.responses).toBeLessThanOrEqual(bounds.responses);
      expect(slice.counters.length).toBeLessThanOrEqual(bounds.counters);
      folded += slice.responses;
      if (slice.complete) break;
    }
    return folded;
  }

  /** BRVT-2025's tallies, and then those of a fold from scratch. */
  async function talliesAndFromScratch() {
    const campaign = await campaignByCode(database.db, 'BRVT-2025');
    const rows = () =>
      database.db
        .selectFrom('response_tally')
        .select(['counter_id', 'modes', 'answers', 'products'])
        .where('campaign_id', '=', campaign.id)
        .orderBy('counter_id')
        .execute();
    const kept = await rows();
    await sql`delete from response_tally where campaign_id = ${campaign.id}`.execute(database.db);
    await sql`delete from tally_fold where campaign_id = ${campaign.id}`.execute(database.db);
    await foldCampaignTallies(database.db, campaign);
    return [kept, await rows()];
  }

  it('folds in bounded slices, counter by counter, whatever arrives or is voided between two, as one fold would', async () => {
    const campaign = await campaignByCode(database.db, 'BRVT-2025');
    await foldCampaignTallies(database.db, campaign);
    await importResponses(database.db, actor, 'BRVT-2025', textStream(moreResponses('slice-')));
    // Every counter has more than 7 new responses: each slice takes part of one.
    expect(await slices({ counters: 2, responses: 7, round: 1_000 }, 3)).toBe(21);
    expect(await untallied('BRVT-2025')).toBe(39);
    // Arrivals are the next round's; a void takes out a response counted or not.
    await importResponses(database.db, actor, 'BRVT-2025', textStream(moreResponses('later-')));
    const { rows: paper } = await sql<{ id: number }>`
      select id from response where campaign_id = ${campaign.id} and mode = 'paper'
        and source_id like 'slice-%' order by counter_id, fold_xid, id
    `.execute(database.db);
    for (const id of [must(paper[0]).id, must(paper.at(-1)).id]) {
      await voidForm(database.db, actor, 'BRVT-2025', String(id), { reason: 'slices' });
    }
    expect(await slices({ counters: 2, responses: 30, round: 1_000 }, 1)).toBeGreaterThan(0);
    // The rest of the round, then a round of the arrivals: nothing is left for a full fold.
    await slices({ counters: 2, responses: 30, round: 1_000 });
    expect(await untallied('BRVT-2025')).toBe(60);
    expect(await slices({ counters: 1, responses: 100, round: 1_000 })).toBe(60);
    expect(await foldCampaignTallies(database.db, campaign)).toBe(0);
    const [kept, fromScratch] = await talliesAndFromScratch();
    expect(kept).toEqual(fromScratch);
    await expectTalliesToMatchRaw('BRVT-2025');
  });

  it('analyzes the responses between background slices once enough arrived, as the embedded engine has no autovacuum', async () => {
    const campaign = await campaignByCode(database.db, 'BRVT-2025');
    await foldCampaignTallies(database.db, campaign);
    await importResponses(database.db, actor, 'BRVT-2025', textStream(moreResponses('stats-')));
    /** The planner's estimate of the campaign's valid responses, and their number. */
    const estimate = async () => {
      const { rows: plan } = await sql<{ 'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }] }>`
        explain (format json) select id from response
        where campaign_id = ${campaign.id} and status = 'valid'
      `.execute(database.db);
      const { rows } = await sql<{ n: number }>`
        select count(*) as n from response where campaign_id = ${campaign.id} and status = 'valid'
      `.execute(database.db);
      return { planned: must(plan[0])['QUERY PLAN'][0].Plan['Plan Rows'], actual: must(rows[0]).n };
    };
    // Never analyzed (imports this small analyze nothing): a guess of a row or so.
    if (engine === 'pglite') expect((await estimate()).planned).toBeLessThan(10);
    const errors: unknown[] = [];
    const folding = startTallyFolding(database.db, {
      intervalMs: 10,
      slice: EMBEDDED_SLICE,
      onError: (error) => errors.push(error),
    });
    try {
      await expect.poll(() => untallied('BRVT-2025'), { timeout: 10_000 }).toBe(0);
    } finally {
      await folding.stop();
    }
    expect(errors).toEqual([]);
    const { planned, actual } = await estimate();
    expect(planned).toBeGreaterThan(actual / 2);
    expect(planned).toBeLessThan(actual * 2);
  });

  it("completes a round of slices in a scoring's fold, counting each response once", async () => {
    const campaign = await campaignByCode(database.db, 'BRVT-2025');
    await importResponses(database.db, actor, 'BRVT-2025', textStream(moreResponses('round-')));
    expect(await slices({ counters: 1, responses: 10, round: 1_000 }, 2)).toBe(20);
    await importResponses(database.db, actor, 'BRVT-2025', textStream(moreResponses('after-')));
    expect(await foldCampaignTallies(database.db, campaign)).toBe(100);
    expect(await slices({ counters: 1, responses: 10, round: 1_000 })).toBe(0);
    const [kept, fromScratch] = await talliesAndFromScratch();
    expect(kept).toEqual(fromScratch);
  });

  it('folds a backlog in rounds of at most so many responses, never splitting a transaction', async () => {
    const campaign = await campaignByCode(database.db, 'BRVT-2025');
    await foldCampaignTallies(database.db, campaign);
    /** Three imports (transactions of 60 responses each), folded in slices: each round's size. */
    const rounds = async (prefix: string, round: number) => {
      for (const part of ['a', 'b', 'c']) {
        const responses = moreResponses(`${prefix}-${part}-`);
        await importResponses(database.db, actor, 'BRVT-2025', textStream(responses));
      }
      const sizes: number[] = [];
      let plan: RoundPlan | undefined;
      for (let folded = 0; ;) {
        const slice = await foldSlice(
          database.db,
          campaign,
          { counters: 2, responses: 50, round },
          plan,
        );
        plan = slice.plan;
        folded += slice.responses;
        if (slice.complete) {
          sizes.push(folded);
          folded = 0;
        }
        if (!slice.more) return sizes;
      }
    };
    // The first two transactions fit in 130; the third is the next round.
    expect(await rounds('backlog', 130)).toEqual([120, 60]);
    // A transaction larger than a round is a round of its own.
    expect(await rounds('large', 30)).toEqual([60, 60, 60]);
    expect(await untallied('BRVT-2025')).toBe(0);
    const [kept, fromScratch] = await talliesAndFromScratch();
    expect(kept).toEqual(fromScratch);
    await expectTalliesToMatchRaw('BRVT-2025');
  });

  it('cuts a snapshot short before a transaction, with the same verdict on every one before it', async () => {
    const cases: [string, bigint, string][] = [
      ['10:20:12,15,18', 16n, '10:16:12,15'],
      ['10:20:12,15,18', 12n, '10:12:'],
      ['10:20:12,15,18', 5n, '5:5:'],
      ['10:20:12,15,18', 20n, '10:20:12,15,18'],
      ['10:20:', 10n, '10:10:'],
    ];
    for (const [snapshot, xid, expected] of cases) {
      const cut = snapshotBefore(snapshot, xid);
      expect(cut).toBe(expected);
      const { rows } = await sql<{ wrong: number }>`
        select count(*) as wrong from generate_series(1, 30) x
        where pg_visible_in_snapshot(x::text::xid8, ${cut}::pg_snapshot)
          is distinct from (x < ${Number(xid)}
            and pg_visible_in_snapshot(x::text::xid8, ${snapshot}::pg_snapshot))
      `.execute(database.db);
      expect(must(rows[0]).wrong, `${snapshot} before ${String(xid)}`).toBe(0);
    }
  });

  // The case a watermark on ids or on transaction ids would get wrong: a response whose
  // transaction began first but commits after a fold that counted a later one. It needs two
  // connections at once, which the embedded engine does not have.
  it.skipIf(engine === 'pglite')(
    'counts a response committed after a fold that counted a later one, once',
    async () => {
      const campaign = await campaignByCode(database.db, 'BRVT-2025');
      await foldCampaignTallies(database.db, campaign);
      let foldedMeanwhile = -1;
      await database.db.transaction().execute(async (trx) => {
        await insertResponse(trx, 'valid');
        await insertResponse(database.db, 'valid');
        foldedMeanwhile = await foldCampaignTallies(database.db, campaign);
      });
      expect(foldedMeanwhile).toBe(1);
      expect(await untallied('BRVT-2025')).toBe(1);
      expect(await foldCampaignTallies(database.db, campaign)).toBe(1);
      expect(await foldCampaignTallies(database.db, campaign)).toBe(0);
      await expectTalliesToMatchRaw('BRVT-2025');
    },
  );

  // The same for a round of slices: a response whose transaction is open when the round takes
  // its target is the next round's, even when it commits before the round ends.
  it.skipIf(engine === 'pglite')(
    'leaves a response committed during a round of slices to the next round, once',
    async () => {
      const campaign = await campaignByCode(database.db, 'BRVT-2025');
      await foldCampaignTallies(database.db, campaign);
      await database.db.transaction().execute(async (trx) => {
        await insertResponse(trx, 'valid');
        await insertResponse(database.db, 'valid');
        await insertResponse(database.db, 'valid');
        expect(await slices({ counters: 1, responses: 1, round: 1_000 }, 1)).toBe(1);
      });
      expect(await slices({ counters: 1, responses: 1, round: 1_000 })).toBe(1);
      expect(await untallied('BRVT-2025')).toBe(1);
      expect(await slices({ counters: 1, responses: 1, round: 1_000 })).toBe(1);
      expect(await foldCampaignTallies(database.db, campaign)).toBe(0);
      await expectTalliesToMatchRaw('BRVT-2025');
    },
  );

  it('tallies the answer sets of other rules: mean scores, blanks unsatisfied (items not asked are no blanks), means of children', async () => {
    await createCampaign(database.db, actor, {
      code: 'BRVT-2026',
      instrument: 'sipas-2017',
      from: '2026-01-01',
      to: '2026-12-31',
      counters: 'all',
      rules: {
        score: 'mean',
        blanks: 'unsatisfied',
        satisfied: [3, 4, 5],
        above: 'meanOfChildren',
      },
    });
    await importTransactions(
      database.db,
      actor,
      'BRVT-2026',
      textStream(exampleFile('transactions.csv')),
    );
    await importResponses(database.db, actor, 'BRVT-2026', textStream(moreResponses('', '2026')));
    await expectTalliesToMatchRaw('BRVT-2026');
    // PA2 is asked of the 26 respondents who gave feedback (PAQ = 1), one of whom left it
    // blank: 26 valid answers. The 34 others were not asked it, and are no blanks.
    const { groups } = await campaignScores(database.db, operator(), {
      campaign: 'BRVT-2026',
      by: 'all',
    });
    expect(must(groups[0]).respondents).toBe(60);
    expect(must(groups[0]).items.PA2?.valid).toBe(26);
  });
});
