// A comparison across a reorganisation (docs/organisation.md), on real engines: two communes
// merged into one between the campaigns, their rows written with db/repositories/links.ts.
//
// The map: province P with communes A, B and C. On 2025-07-01 A and B end and merge into M (a
// new unit under P); their counters A.Q1 and B.Q1 move to M. C stays; C.Q1 and M.Q2 are new
// counters, without responses in 2024.
//
// P-2024 (2024): A.Q1 3 respondents answering 5 to every sat5 item, B.Q1 1 answering 1.
// P-2025 (2025-08-01 to 2025-12-31): A.Q1 2, B.Q1 2, M.Q2 1, C.Q1 1, every one answering 4.
// Under the default rules (share of 4 and 5, pooled, meanOfItems, meanOfFactors) every item of
// a group scores its share of satisfied respondents, and so do its factors and SIPAS:
// - M in 2025: 5 of 5 satisfied, 100. M in 2024, from A.Q1 and B.Q1's responses: 3 of 4, 75.
//   Coverage: 2025 respondents at counters with 2024 responses (A.Q1 2 + B.Q1 2) ÷ all (5) =
//   4/5 = 0.8: not below 0.8, not reorganised.
// - P in 2025: 6 respondents, 100; in 2024: 4, 75. Coverage 4/6 = 0.666…: reorganised.
// - C has no 2024 responses: no group. A and B ended before 2025-12-31: no group.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { must } from '../../analysis/scoring.testing.ts';
import { comparisonCsv } from '../../analysis/scores-format.ts';
import * as counters from '../../db/repositories/counters.ts';
import * as links from '../../db/repositories/links.ts';
import * as units from '../../db/repositories/units.ts';
import { engines, openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import { operator } from './access.ts';
import { ensureBuiltins } from './builtins.ts';
import { createCampaign } from './campaigns/index.ts';
import { importCounters } from './counters.ts';
import { exampleActor as actor, textStream } from './examples.testing.ts';
import { importResponses } from './responses.ts';
import { compareCampaigns } from './scores.ts';
import { importUnits } from './units.ts';

const SAT5 = [
  ...['TC1', 'TC2', 'TC3', 'TC4', 'TT1', 'TT2', 'TT3', 'TT4', 'TT5'],
  ...['CC1', 'CC2', 'CC3', 'CC4', 'CC5', 'CC6', 'KQ1', 'KQ2', 'KQ3'],
  ...['PA1', 'PA2', 'PA3', 'PA4', 'HL'],
];

let next = 0;
/** A responses.csv: `n` respondents at each counter, answering `answer` to every sat5 item. */
function responses(day: string, at: [counter: string, n: number, answer: number][]): string {
  const lines = at.flatMap(([counter, n, answer]) =>
    Array.from({ length: n }, () => {
      next += 1;
      const id = `00000000-0000-4000-8000-${String(next).padStart(12, '0')}`;
      return [id, counter, `${day}T09:00:00+07:00`, 'paper', ...SAT5.map(() => answer), 1].join();
    }),
  );
  return [['response_id', 'counter', 'submitted_at', 'mode', ...SAT5, 'PAQ'].join(), ...lines]
    .map((line) => `${line}\n`)
    .join('');
}

const close = (actual: number | null | undefined, expected: number) =>
  expect(Math.abs((actual ?? Number.NaN) - expected)).toBeLessThanOrEqual(1e-9);

describe.each(engines)('a comparison across a merge on %s', (engine) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
    const { db } = database;
    await ensureBuiltins(db);
    await importUnits(
      db,
      actor,
      textStream('unit,name,parent\nP,Tỉnh P,\nA,Xã A,P\nB,Xã B,P\nC,Xã C,P\n'),
    );
    await importCounters(
      db,
      actor,
      textStream('counter,unit,name\nA.Q1,A,Quầy 1\nB.Q1,B,Quầy 1\n'),
    );
    await createCampaign(db, actor, {
      code: 'P-2024',
      instrument: 'sipas-2017',
      from: '2024-01-01',
      to: '2024-12-31',
      counters: 'all',
    });
    await importResponses(
      db,
      actor,
      'P-2024',
      textStream(
        responses('2024-05-02', [
          ['A.Q1', 3, 5],
          ['B.Q1', 1, 1],
        ]),
      ),
    );

    // The merge on 2025-07-01, as applying a reorganisation would write it.
    const day = '2025-07-01';
    const p = must(await units.findUnitByCode(db, 'P')).id;
    const m = await units.insertUnit(db, {
      code: 'M',
      name: 'Xã M',
      type: 'commune',
      validFrom: day,
    });
    await links.startParent(db, m, p, day);
    for (const code of ['A', 'B']) {
      const ended = must(await units.findUnitByCode(db, code)).id;
      await links.endParent(db, ended, day);
      await db.updateTable('unit').set({ valid_to: day }).where('id', '=', ended).execute();
      const counter = must(await counters.findCounterByCode(db, `${code}.Q1`)).id;
      await links.endMembership(db, counter, day);
      await links.startMembership(db, counter, m, day);
    }
    await importCounters(
      db,
      actor,
      textStream('counter,unit,name\nM.Q2,M,Quầy 2\nC.Q1,C,Quầy 1\n'),
    );

    await createCampaign(db, actor, {
      code: 'P-2025',
      instrument: 'sipas-2017',
      from: '2025-08-01',
      to: '2025-12-31',
      counters: 'all',
    });
    await importResponses(
      db,
      actor,
      'P-2025',
      textStream(
        responses('2025-09-02', [
          ['A.Q1', 2, 4],
          ['B.Q1', 2, 4],
          ['M.Q2', 1, 4],
          ['C.Q1', 1, 4],
        ]),
      ),
    );
  });
  afterAll(() => database.close());

  it("scores the merged unit's earlier figure from both counters' earlier responses", async () => {
    const compared = await compareCampaigns(database.db, operator(), {
      campaign: 'P-2025',
      with: 'P-2024',
      by: 'unit',
    });
    // A and B have ended, C has no 2024 responses: P and M alone.
    expect(compared.groups.map((g) => g.key)).toEqual([{ unit: 'M' }, { unit: 'P' }]);
    const [m, p] = compared.groups.map(must);
    expect(m?.respondents).toEqual({ campaign: 5, with: 4 });
    close(m?.sipas.campaign, 100);
    close(m?.sipas.with, 75); // 3 of A.Q1's and B.Q1's 4 respondents satisfied
    close(m?.sipas.change, 25);
    close(m?.factors.TC?.with, 75);
    close(m?.coverage, 4 / 5); // exactly 0.8: not below the threshold
    expect([...(m?.flags.campaign ?? []), ...(m?.flags.with ?? [])]).not.toContain('reorganised');
    expect(p?.respondents).toEqual({ campaign: 6, with: 4 });
    close(p?.sipas.with, 75);
    close(p?.coverage, 4 / 6);
    expect(p?.flags.with).toContain('reorganised');
    expect(p?.flags.campaign).not.toContain('reorganised');
  });

  it('gives the coverage of the whole campaign and of each counter', async () => {
    const all = must(
      (
        await compareCampaigns(database.db, operator(), {
          campaign: 'P-2025',
          with: 'P-2024',
          by: 'all',
        })
      ).groups[0],
    );
    close(all.coverage, 4 / 6);
    expect(all.flags.with).toContain('reorganised');
    const byCounter = await compareCampaigns(database.db, operator(), {
      campaign: 'P-2025',
      with: 'P-2024',
      by: 'counter',
    });
    // M.Q2 and C.Q1 have no 2024 group; A.Q1 and B.Q1 had responses: coverage 1.
    expect(byCounter.groups.map((g) => [g.key, g.coverage])).toEqual([
      [{ counter: 'A.Q1' }, 1],
      [{ counter: 'B.Q1' }, 1],
    ]);
  });

  it('takes the later campaign for the map whichever is named first', async () => {
    const compared = await compareCampaigns(database.db, operator(), {
      campaign: 'P-2024',
      with: 'P-2025',
      by: 'unit',
    });
    const p = must(compared.groups.find((g) => 'unit' in g.key && g.key.unit === 'P'));
    expect(p.respondents).toEqual({ campaign: 4, with: 6 });
    close(p.coverage, 4 / 6);
    // The earlier campaign is now the first: `reorganised` joins its side.
    expect(p.flags.campaign).toContain('reorganised');
  });

  it('follows the configured threshold', async () => {
    const compared = await compareCampaigns(
      database.db,
      operator(),
      { campaign: 'P-2025', with: 'P-2024', by: 'unit' },
      { reorganisedBelow: 0.5 },
    );
    // 4/6 is not below 0.5.
    expect(compared.groups.flatMap((g) => g.flags.with)).not.toContain('reorganised');
    const [header, row] = comparisonCsv(compared).split('\n');
    expect(header?.split(',').slice(-2)).toEqual(['coverage', 'reorganised']);
    expect(row?.split(',').slice(-2)).toEqual(['0.8', 'false']);
  });
});
