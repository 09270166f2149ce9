// Property: a void or a replacement adjusts its campaign's tallies in its own transaction
// (api/services/tallies.ts, withdrawFromTallies and addToTallies). After any sequence of voids,
// replacements, arrivals, folds and slices of a background fold (foldSlice, each within its
// bounds), the tallies equal those of a fold from scratch, once the round of slices under way
// is complete and again after the scoring's fold; the scores from them equal that fold's
// exactly, and the scores computed straight from the stored responses (rawScores) to 1e-9.
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { satisfactionItems } from '../../analysis/instrument.ts';
import { builtinInstruments } from '../../analysis/instruments/index.ts';
import { must } from '../../analysis/scoring.testing.ts';
import { engines, openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import { operator } from './access.ts';
import { ensureBuiltins } from './builtins.ts';
import { campaignByCode, createCampaign } from './campaigns/index.ts';
import { findForms, replaceForm, voidForm } from './corrections.ts';
import { importCounters } from './counters.ts';
import { exampleActor as actor, textStream } from './examples.testing.ts';
import { importResponses } from './responses.ts';
import { campaignScores } from './scores.ts';
import { differences, rawScores } from './scores.testing.ts';
import { foldCampaignTallies, foldSlice, type RoundPlan } from './tallies.ts';
import { importUnits } from './units.ts';

const items = satisfactionItems(must(builtinInstruments.find((i) => i.code === 'sipas-2017'))).map(
  (item) => item.code,
);

const answers = fc.array(fc.constantFrom(null, 1, 2, 3, 4, 5), {
  minLength: items.length,
  maxLength: items.length,
});
const form = fc.record({
  counter: fc.integer({ min: 0, max: 2 }),
  mode: fc.constantFrom('paper', 'paper', 'qr'),
  answers,
});
interface Form {
  counter: number;
  mode: string;
  answers: (number | null)[];
}
/**
 * A void or a replacement of the n-th stored form (modulo how many), a new form, a fold, or a
 * slice of a background fold of at most so many counters and responses, in a round of at most
 * so many responses (a transaction's whole).
 */
const step = fc.oneof(
  fc.record({ kind: fc.constant('void' as const), form: fc.nat() }),
  fc.record({ kind: fc.constant('replace' as const), form: fc.nat(), answers }),
  fc.record({ kind: fc.constant('arrive' as const), form }),
  fc.record({ kind: fc.constant('fold' as const) }),
  fc.record({
    kind: fc.constant('slice' as const),
    counters: fc.integer({ min: 1, max: 2 }),
    responses: fc.integer({ min: 1, max: 4 }),
    round: fc.integer({ min: 1, max: 6 }),
  }),
);

describe.each(engines)('corrections and tallies on %s', (engine) => {
  let database: TestDatabase;
  let runs = 0;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
    await ensureBuiltins(database.db);
    await importUnits(database.db, actor, textStream('unit,name,parent\nV,V,\n'));
  });
  afterAll(() => database.close());

  /** A new campaign holding the forms, F0, F1, …, at three counters of unit V. */
  async function campaignOf(forms: readonly Form[]) {
    const code = `V${++runs}`;
    // Counters of its own: a counter is in one campaign at a time.
    const counters = [0, 1, 2].map((c) => `V.${code}Q${c}`);
    await importCounters(
      database.db,
      actor,
      textStream(`counter,unit,name\n${counters.map((c) => `${c},V,${c}`).join('\n')}\n`),
    );
    await createCampaign(database.db, actor, {
      code,
      instrument: 'sipas-2017',
      from: '2025-01-01',
      to: '2025-12-31',
      counters,
    });
    await importForms(code, forms, 0);
    return code;
  }

  /** Imports the forms into the campaign as F`first`, F`first + 1`, … */
  async function importForms(code: string, forms: readonly Form[], first: number) {
    // PAQ = 1 lets PA2-PA4 be answered.
    const rows = forms.map((f, i) =>
      [
        `F${first + i}`,
        `V.${code}Q${f.counter}`,
        '2025-06-01',
        f.mode,
        ...f.answers.map((a) => a ?? ''),
        1,
      ].join(','),
    );
    const header = ['response_id', 'counter', 'submitted_at', 'mode', ...items, 'PAQ'].join(',');
    await importResponses(
      database.db,
      actor,
      code,
      textStream(`${[header, ...rows].join('\n')}\n`),
    );
  }

  const tallyRows = async (campaignId: number) =>
    database.db
      .selectFrom('response_tally')
      .select(['counter_id', 'modes', 'answers', 'products'])
      .where('campaign_id', '=', campaignId)
      .orderBy('counter_id')
      .execute();

  it('keeps the tallies equal to a fold from scratch through voids, replacements and folds', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(form, { minLength: 2, maxLength: 16 }),
        fc.array(step, { minLength: 1, maxLength: 8 }),
        async (forms, steps) => {
          const code = await campaignOf(forms);
          const campaign = await campaignByCode(database.db, code);
          let stored = forms.length;
          // Kept from slice to slice, whatever happens between (foldSlice checks it holds).
          let plan: RoundPlan | undefined;
          // Folded at first half of the time: the first void then finds no tallies to adjust.
          if (steps.length % 2 === 0) await foldCampaignTallies(database.db, campaign);
          for (const s of steps) {
            if (s.kind === 'fold') {
              await foldCampaignTallies(database.db, campaign);
              continue;
            }
            if (s.kind === 'slice') {
              const slice = await foldSlice(database.db, campaign, s, plan);
              plan = slice.plan;
              expect(slice.responses).toBeLessThanOrEqual(s.responses);
              expect(slice.counters.length).toBeLessThanOrEqual(s.counters);
              continue;
            }
            if (s.kind === 'arrive') {
              await importForms(code, [s.form], stored++);
              continue;
            }
            const n = s.form % stored;
            const correctable = (await findForms(database.db, actor, code, { responseId: `F${n}` }))
              .filter((r) => r.correctable)
              .at(-1);
            if (!correctable) continue;
            if (s.kind === 'void') {
              await voidForm(database.db, actor, code, correctable.id, { reason: 'property' });
            } else {
              await replaceForm(database.db, actor, code, correctable.id, {
                reason: 'property',
                answers: {
                  ...Object.fromEntries(items.map((item, i) => [item, s.answers[i] ?? null])),
                  PAQ: 1,
                },
              });
            }
          }
          const scores = async () =>
            (await campaignScores(database.db, operator(), { campaign: code, by: 'counter' }))
              .groups;
          // Scored where the steps left it, a round of slices perhaps under way: the stored
          // tallies and, read-only, what no fold or slice counted yet (the same integer counts
          // as a complete fold's, so the same figures to the bit, checked below).
          const midway = await scores();
          // The round under way to its end, and then a round of what is left: a full fold then
          // finds nothing, and the tallies are a fold's from scratch.
          const bounds = { counters: 1, responses: 3, round: 1_000 };
          for (let rounds = 0; rounds < 2;) {
            if ((await foldSlice(database.db, campaign, bounds)).complete) rounds += 1;
          }
          expect(await foldCampaignTallies(database.db, campaign)).toBe(0);
          const sliced = await tallyRows(campaign.id);
          const groups = await scores();
          expect(midway).toEqual(groups);
          const problems = differences(groups, await rawScores(database.db, code, 'counter'));
          // A standard error of 0 is exactly 0 from the tallies when the respondents answered
          // alike (scores.test.ts), but not yet when different answers give respondents equal
          // indices: the quadratic form over the tallies then leaves a rounding residue of about
          // 1e-7, the raw path one of about 1e-16 (CI seeds 715413405, -425593856). Such an
          // index's se and ci are left out of the comparison; the exact checks below still hold.
          const residues = problems.flatMap((p) => {
            const match = /^(.*)\.se: (.*), expected (.*)$/.exec(p);
            return match && Number(match[2]) < 1e-6 && Number(match[3]) < 1e-6
              ? [match[1] ?? '']
              : [];
          });
          expect(
            problems.filter(
              (p) => !residues.some((at) => p.startsWith(`${at}.se:`) || p.startsWith(`${at}.ci.`)),
            ),
          ).toEqual([]);
          // Scored beside what no fold saw yet (a scoring folds nothing): folded now, as the
          // background fold would, the tallies must be a fold from scratch's.
          await foldCampaignTallies(database.db, campaign);
          const incremental = await tallyRows(campaign.id);
          await sql`delete from response_tally where campaign_id = ${campaign.id}`.execute(
            database.db,
          );
          await sql`delete from tally_fold where campaign_id = ${campaign.id}`.execute(database.db);
          await foldCampaignTallies(database.db, campaign);
          expect(incremental).toEqual(await tallyRows(campaign.id));
          expect(sliced).toEqual(incremental);
          expect(await scores()).toEqual(groups);
        },
      ),
      { numRuns: engine === 'pglite' ? 10 : 6 },
    );
    // Each run builds and folds a campaign: a minute is short on a loaded CI machine.
  }, 240_000);
});
