// Properties of the scoring engine over random campaigns, scored on PGlite through the same
// queries as in production: bounds, invariance to order, the effect of duplicating every
// response, and the all-satisfied case.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { satisfactionItems } from '../../analysis/instrument.ts';
import { builtinInstruments } from '../../analysis/instruments/index.ts';
import type { GroupScores, IndexScore } from '../../analysis/scores-document.ts';
import { must } from '../../analysis/scoring.testing.ts';
import { openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import { ensureBuiltins } from './builtins.ts';
import { createCampaign, importTransactions } from './campaigns/index.ts';
import { exampleActor as actor, textStream } from './examples.testing.ts';
import { importUnits } from './units.ts';
import { importCounters } from './counters.ts';
import { importResponses } from './responses.ts';
import { campaignScores } from './scores.ts';
import { differences } from './scores.testing.ts';
import { operator } from './access.ts';

const sipas2017 = must(builtinInstruments.find((i) => i.code === 'sipas-2017'));
const items = satisfactionItems(sipas2017).map((item) => item.code);

interface Response {
  counter: number;
  mode: string;
  answers: (number | null)[];
}

const response = fc.record({
  counter: fc.integer({ min: 0, max: 2 }),
  mode: fc.constantFrom('qr', 'paper', 'kiosk'),
  answers: fc.array(fc.constantFrom(null, 1, 2, 3, 4, 5), {
    minLength: items.length,
    maxLength: items.length,
  }),
});
const sample = fc.array(response, { minLength: 2, maxLength: 24 });
const extra = fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 3, maxLength: 3 });

let database: TestDatabase;
let runs = 0;

/** A new campaign (and organisation) holding the responses: unit P (counter 2) > P.A (0, 1). */
async function campaignOf(responses: readonly Response[], spare: readonly number[]) {
  const p = `P${++runs}`;
  const counters = [`${p}.A.Q0`, `${p}.A.Q1`, `${p}.Q2`];
  await importUnits(database.db, actor, textStream(`unit,name,parent\n${p},P,\n${p}.A,A,${p}\n`));
  await importCounters(
    database.db,
    actor,
    textStream(
      `counter,unit,name\n${counters[0]},${p}.A,Q0\n${counters[1]},${p}.A,Q1\n${counters[2]},${p},Q2\n`,
    ),
  );
  await createCampaign(database.db, actor, {
    code: p,
    instrument: 'sipas-2017',
    from: '2025-01-01',
    to: '2025-12-31',
    counters,
  });
  const volume = counters.map(
    (code, c) => `${code},${responses.filter((r) => r.counter === c).length + (spare[c] ?? 0)}`,
  );
  await importTransactions(
    database.db,
    actor,
    p,
    textStream(`counter,transactions\n${volume.join('\n')}\n`),
  );
  // PAQ = 1 lets PA2-PA4 be answered.
  const rows = responses.map((r) =>
    [counters[r.counter], '2025-06-01', r.mode, ...r.answers.map((a) => a ?? ''), 1].join(','),
  );
  const csv = [['counter', 'submitted_at', 'mode', ...items, 'PAQ'].join(','), ...rows].join('\n');
  await importResponses(database.db, actor, p, textStream(`${csv}\n`));
  return p;
}

const scores = async (
  campaign: string,
  by: 'all' | 'unit' | 'counter',
  design: 'srs' | 'stratified',
) => (await campaignScores(database.db, operator(), { campaign, by, design })).groups;

const indices = (group: GroupScores): [string, IndexScore][] => [
  ...Object.entries(group.items),
  ...Object.entries(group.factors),
  ['SIPAS', group.sipas],
];

const withoutKey = (groups: GroupScores[]) => groups.map(({ key: _key, ...rest }) => rest);

describe('scoring properties on pglite', () => {
  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    await ensureBuiltins(database.db);
  });
  afterAll(() => database.close());

  it('keeps every index and item interval within [0, 100]', async () => {
    await fc.assert(
      fc.asyncProperty(sample, extra, async (responses, spare) => {
        const campaign = await campaignOf(responses, spare);
        for (const design of ['srs', 'stratified'] as const) {
          for (const by of ['all', 'unit', 'counter'] as const) {
            for (const group of await scores(campaign, by, design)) {
              for (const [code, score] of indices(group)) {
                if (score.index !== null) {
                  expect(score.index).toBeGreaterThanOrEqual(0);
                  expect(score.index).toBeLessThanOrEqual(100);
                }
                if (score.se !== null) expect(score.se).toBeGreaterThanOrEqual(0);
                if (score.ci !== null && code in group.items) {
                  expect(score.ci[0]).toBeGreaterThanOrEqual(0);
                  expect(score.ci[1]).toBeLessThanOrEqual(100);
                }
              }
            }
          }
        }
      }),
      { numRuns: 6 },
    );
  });

  it('does not depend on the order of the responses', async () => {
    const permuted = sample.chain((responses) =>
      fc.tuple(
        fc.constant(responses),
        fc.shuffledSubarray(responses, {
          minLength: responses.length,
          maxLength: responses.length,
        }),
        extra,
      ),
    );
    await fc.assert(
      fc.asyncProperty(permuted, async ([responses, shuffled, spare]) => {
        const first = await campaignOf(responses, spare);
        const second = await campaignOf(shuffled, spare);
        for (const design of ['srs', 'stratified'] as const) {
          for (const by of ['all', 'unit', 'counter'] as const) {
            const a = withoutKey(await scores(first, by, design));
            const b = withoutKey(await scores(second, by, design));
            expect(differences(b, a)).toEqual([]);
          }
        }
      }),
      { numRuns: 5 },
    );
  });

  it('under srs, keeps indices and shrinks SEs by √((n−1)/(2n−1)) when every response is doubled', async () => {
    await fc.assert(
      fc.asyncProperty(sample, async (responses) => {
        const [once] = await scores(await campaignOf(responses, [0, 0, 0]), 'all', 'srs');
        const doubled = [...responses, ...responses];
        const [twice] = await scores(await campaignOf(doubled, [0, 0, 0]), 'all', 'srs');
        const n = responses.length;
        expect(twice?.respondents).toBe(2 * n);
        const pairs = new Map(indices(must(twice)));
        for (const [code, score] of indices(must(once))) {
          const dup = must(pairs.get(code));
          if (score.index === null) {
            expect(dup.index).toBeNull();
            continue;
          }
          expect(Math.abs(must(dup.index) - score.index)).toBeLessThan(1e-9);
          const shrunk = must(score.se) * Math.sqrt((n - 1) / (2 * n - 1));
          expect(Math.abs(must(dup.se) - shrunk)).toBeLessThan(1e-9 * Math.max(1, shrunk));
        }
      }),
      { numRuns: 5 },
    );
  });

  it('scores 100 with a zero standard error when every answer is 5', async () => {
    const satisfied = fc.array(
      fc.record({
        counter: fc.integer({ min: 0, max: 2 }),
        mode: fc.constant('qr'),
        answers: fc.constant(items.map(() => 5)),
      }),
      { minLength: 2, maxLength: 12 },
    );
    await fc.assert(
      fc.asyncProperty(satisfied, extra, async (responses, spare) => {
        const campaign = await campaignOf(responses, spare);
        for (const design of ['srs', 'stratified'] as const) {
          const all = must((await scores(campaign, 'all', design))[0]);
          for (const [code, score] of indices(all)) {
            expect(score.index).toBe(100);
            expect(score.se).toBe(0);
            // An srs item has a Wilson interval, below 100 even at p = 1.
            const wilson = design === 'srs' && code in all.items;
            if (!wilson) expect(score.ci?.[0]).toBe(100);
            expect(score.ci?.[1]).toBe(100);
          }
        }
      }),
      { numRuns: 4 },
    );
  });
});
