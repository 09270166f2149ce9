// The scoring engine on real engines: the example campaign against R's figures
// (fixtures/examples/expected.json), a sipas-2023 campaign worked by hand, and the refusals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Z_975, defaultRules } from '../../analysis/rules.ts';
import {
  leagueDocumentSchema,
  scoresDocumentSchema,
  type GroupScores,
} from '../../analysis/scores-document.ts';
import { must } from '../../analysis/scoring.testing.ts';
import { comparisonCsv } from '../../analysis/scores-format.ts';
import * as counters from '../../db/repositories/counters.ts';
import * as units from '../../db/repositories/units.ts';
import { engines, openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import { DomainError } from '../errors.ts';
import { campaignByCode, createCampaign, importTransactions } from './campaigns/index.ts';
import {
  exampleActor as actor,
  exampleFile,
  openExampleCampaign,
  textStream,
} from './examples.testing.ts';
import { importUnits } from './units.ts';
import { importCounters } from './counters.ts';
import { importResponses } from './responses.ts';
import { campaignScores, compareCampaigns } from './scores.ts';
import { differences, expectedScores as expected } from './scores.testing.ts';
import { operator } from './access.ts';

describe.each(engines)('scores on %s', (engine) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
    await openExampleCampaign(database.db);
  });
  afterAll(() => database.close());

  it.each(['srs', 'stratified'] as const)(
    'reproduces every figure of R by all, unit and counter under %s',
    async (design) => {
      const groups: GroupScores[] = [];
      for (const by of ['all', 'unit', 'counter'] as const) {
        const document = await campaignScores(database.db, operator(), {
          campaign: 'BRVT-2025',
          by,
          design,
        });
        expect(document).toMatchObject({
          campaign: 'BRVT-2025',
          instrument: 'sipas-2017',
          rules: { ...defaultRules, design },
        });
        groups.push(...document.groups);
      }
      expect(groups).toHaveLength(expected[design].length);
      expect(differences(groups, expected[design])).toEqual([]);
    },
  );

  it('returns documents that the schema, the contract, takes as they are', async () => {
    // The service builds its documents to the schema's type without parsing them (issue 19):
    // here every kind is parsed, and must come out the same to the byte, key order included.
    for (const by of ['all', 'unit', 'counter'] as const) {
      for (const design of ['srs', 'stratified'] as const) {
        for (const counters of [undefined, ['BRVT.SKHDT.Q1']]) {
          const document = await campaignScores(database.db, operator(), {
            campaign: 'BRVT-2025',
            by,
            design,
            ...(counters === undefined ? {} : { counters }),
          });
          expect(JSON.stringify(scoresDocumentSchema.parse(document))).toBe(
            JSON.stringify(document),
          );
        }
      }
    }
  });

  it('gives in its league view the same document, each group without items and factors', async () => {
    for (const by of ['all', 'unit', 'counter'] as const) {
      for (const design of ['srs', 'stratified'] as const) {
        const request = { campaign: 'BRVT-2025', by, design };
        const full = await campaignScores(database.db, operator(), request);
        const league = await campaignScores(database.db, operator(), {
          ...request,
          view: 'league',
        });
        expect(JSON.stringify(leagueDocumentSchema.parse(league))).toBe(JSON.stringify(league));
        expect(league).toEqual({
          ...full,
          view: 'league',
          groups: full.groups.map((group) => {
            const { items, factors, ...rest } = group;
            expect(Object.keys(items).length * Object.keys(factors).length).toBeGreaterThan(0);
            return rest;
          }),
        });
      }
    }
  });

  it("uses the campaign's design unless the request names one", async () => {
    const document = await campaignScores(database.db, operator(), {
      campaign: 'BRVT-2025',
      by: 'all',
    });
    expect(document.rules.design).toBe('srs');
    expect(differences(document.groups, expected.srs.slice(0, 1))).toEqual([]);
  });

  describe('a second campaign', () => {
    beforeAll(async () => {
      await createCampaign(database.db, actor, {
        code: 'BRVT-2024',
        instrument: 'sipas-2017',
        from: '2024-01-01',
        to: '2024-12-31',
        counters: 'all',
      });
      // The example's responses a year earlier: the same answers, so every change is 0.
      const responses = exampleFile('responses.csv').replaceAll(',2025-', ',2024-');
      await importResponses(database.db, actor, 'BRVT-2024', textStream(responses));
    });

    it('refuses a stratified design without transactions, naming the counters', async () => {
      const error: unknown = await campaignScores(database.db, operator(), {
        campaign: 'BRVT-2024',
        by: 'all',
        design: 'stratified',
      }).catch((e: unknown) => e);
      if (!(error instanceof DomainError))
        throw new Error(`expected a DomainError: ${String(error)}`);
      const { code, message, errors } = error;
      expect(code).toBe('invalid');
      expect(message).toContain('BRVT.CHAUDUC.Q1, BRVT.SKHDT.Q1, BRVT.STP.Q1');
      expect(errors[0]).toMatchObject({
        path: 'counters.BRVT.CHAUDUC.Q1',
        message: { en: 'has 15 respondents but no transaction count' },
      });
    });

    it('compares two campaigns group by group', async () => {
      const compared = await compareCampaigns(database.db, operator(), {
        campaign: 'BRVT-2025',
        with: 'BRVT-2024',
        by: 'unit',
      });
      expect(compared.groups.map((g) => g.key)).toEqual(
        expected.srs.filter((g) => 'unit' in g.key).map((g) => g.key),
      );
      const root = must(compared.groups[0]);
      const sipas = must(expected.srs[1]).sipas;
      const se = must(sipas.se);
      expect(root.respondents).toEqual({ campaign: 60, with: 60 });
      expect(root.sipas.change).toBe(0);
      expect(root.sipas.campaign).toBeCloseTo(must(sipas.index), 9);
      expect(root.sipas.with).toBe(root.sipas.campaign);
      expect(root.sipas.se).toBeCloseTo(Math.SQRT2 * se, 12);
      expect(root.sipas.ci?.[1]).toBeCloseTo(Z_975 * Math.SQRT2 * se, 12);
      expect(root.sipas.significant).toBe(false);
      expect(Object.keys(root.items)).toHaveLength(23);
      expect(compared).not.toHaveProperty('scope');
    });

    it("says which part of each campaign a scoped account's comparison covers", async () => {
      const unit = must(await units.findUnitByCode(database.db, 'BRVT.SKHDT'));
      const analyst = { ...operator('analyst'), role: 'analyst' as const, unitId: unit.id };
      const compared = await compareCampaigns(
        database.db,
        { ...analyst, unitCode: 'BRVT.SKHDT' },
        { campaign: 'BRVT-2025', with: 'BRVT-2024', by: 'all' },
      );
      const part = { unit: 'BRVT.SKHDT', counters: ['BRVT.SKHDT.Q1'] };
      expect(compared.scope).toEqual({ campaign: part, with: part });
      // Its one group is the counter's alone, in both campaigns (the same responses).
      const { respondents } = must(
        expected.srs.find((g) => 'counter' in g.key && g.key.counter === 'BRVT.SKHDT.Q1'),
      );
      expect(must(compared.groups[0]).respondents).toEqual({
        campaign: respondents,
        with: respondents,
      });
      const [header, row] = comparisonCsv(compared).split('\n');
      expect(header?.split(',').slice(-5)).toEqual([
        'significant',
        'campaign_scope',
        'with_scope',
        'coverage',
        'reorganised',
      ]);
      expect(row?.split(',').slice(0, 3)).toEqual(['all', 'item', 'TC1']);
      // Every 2025 respondent is at a counter with 2024 responses: coverage 1.
      expect(row?.split(',').slice(-4)).toEqual([
        'unit:BRVT.SKHDT',
        'unit:BRVT.SKHDT',
        '1',
        'false',
      ]);
    });

    it('leaves quarantined responses out', async () => {
      const counter = await counters.findCounterByCode(database.db, 'BRVT.STP.Q1');
      const campaign = await campaignByCode(database.db, 'BRVT-2024');
      await database.db
        .updateTable('response')
        .set({ status: 'quarantined', reason: 'too-fast' })
        .where('counter_id', '=', must(counter).id)
        .where('campaign_id', '=', campaign.id)
        .execute();
      const document = await campaignScores(database.db, operator(), {
        campaign: 'BRVT-2024',
        by: 'counter',
      });
      expect(document.groups.map((g) => [g.key, g.respondents])).toEqual([
        [{ counter: 'BRVT.CHAUDUC.Q1' }, 15],
        [{ counter: 'BRVT.SKHDT.Q1' }, 25],
      ]);
      // The same answers as 2025's, without transaction counts.
      const unknownVolume = expected.srs
        .slice(5, 7)
        .map((g) => ({ ...g, transactions: null, responseRate: null }));
      expect(differences(document.groups, unknownVolume)).toEqual([]);
    });
  });

  it('averages children under above: meanOfChildren', async () => {
    // The example a year later, by the mean of children: each department and district has one
    // counter, so it scores as that counter; the province is the mean of the three.
    await createCampaign(database.db, actor, {
      code: 'BRVT-2026',
      instrument: 'sipas-2017',
      from: '2026-01-01',
      to: '2026-12-31',
      counters: 'all',
      rules: { above: 'meanOfChildren' },
    });
    await importTransactions(
      database.db,
      actor,
      'BRVT-2026',
      textStream(exampleFile('transactions.csv')),
    );
    const responses = exampleFile('responses.csv').replaceAll(',2025-', ',2026-');
    await importResponses(database.db, actor, 'BRVT-2026', textStream(responses));
    for (const design of ['srs', 'stratified'] as const) {
      const { groups } = await campaignScores(database.db, operator(), {
        campaign: 'BRVT-2026',
        by: 'unit',
        design,
      });
      const counterGroups = expected[design].filter((g) => 'counter' in g.key);
      // Units in code order are the counters in code order.
      const children = groups.slice(1).map((g) => ({ ...g, key: {} }));
      expect(
        differences(
          children,
          counterGroups.map((g) => ({ ...g, key: {} })),
        ),
      ).toEqual([]);
      const root = must(groups[0]);
      const mean = counterGroups.reduce((total, g) => total + must(g.sipas.index), 0) / 3;
      expect(Math.abs(must(root.sipas.index) - mean)).toBeLessThan(1e-9);
      // Each child's linearized values sum to 0 and are scaled by 1/3. srs: one stratum of 60,
      // SE² = 60/59 · (1/9) Σ_h SE_h² (n_h − 1)/n_h; stratified: SE² = (1/9) Σ_h SE_h².
      const variance = counterGroups.reduce((total, g) => {
        const se = must(g.sipas.se);
        const n = g.respondents;
        return total + (design === 'srs' ? ((60 / 59) * se * se * (n - 1)) / n : se * se) / 9;
      }, 0);
      expect(Math.abs(must(root.sipas.se) - Math.sqrt(variance))).toBeLessThan(1e-9);
      const item = counterGroups.reduce((total, g) => total + must(g.items.TC1?.index), 0) / 3;
      expect(Math.abs(must(root.items.TC1?.index) - item)).toBeLessThan(1e-9);
    }
  });

  it('gives a standard error of exactly 0, and an interval of the index alone, where no respondent differs', async () => {
    await importUnits(database.db, actor, textStream('unit,name,parent\nEQ,Đồng đều,\n'));
    await importCounters(
      database.db,
      actor,
      textStream('counter,unit,name\nEQ.Q1,EQ,Quầy 1\nEQ.Q2,EQ,Quầy 2\n'),
    );
    const items = [
      ...['TC1', 'TC2', 'TC3', 'TC4', 'TT1', 'TT2', 'TT3', 'TT4', 'TT5'],
      ...['CC1', 'CC2', 'CC3', 'CC4', 'CC5', 'CC6', 'KQ1', 'KQ2', 'KQ3'],
      ...['PA1', 'PA2', 'PA3', 'PA4', 'HL'],
    ];
    const header = ['counter', 'submitted_at', 'mode', ...items, 'PAQ'].join(',');
    // One campaign a year: a counter is in one campaign at a time.
    const form = (year: number, counter: string, answer: (item: number) => number | '') =>
      [counter, `${year}-05-01`, 'paper', ...items.map((_, i) => answer(i)), 1].join(',');
    // EQ-ALL: every answer 4 at both counters (the sums of squares were a rounding residue
    // apart, se ≈ 1e-7). EQ-SAT: answers 4 and 5 and blanks, every index 100: no respondent's
    // linearized value differs from 0, though their answers do.
    const campaigns = {
      'EQ-ALL': [
        ...Array(3).fill(form(2025, 'EQ.Q1', () => 4)),
        ...Array(2).fill(form(2025, 'EQ.Q2', () => 4)),
      ],
      'EQ-SAT': [
        form(2024, 'EQ.Q1', () => 4),
        form(2024, 'EQ.Q1', (i) => (i % 3 === 0 ? '' : 5)),
        form(2024, 'EQ.Q1', (i) => (i % 2 === 0 ? 4 : 5)),
        form(2024, 'EQ.Q2', (i) => (i % 4 === 1 ? '' : 4)),
        form(2024, 'EQ.Q2', () => 5),
      ],
    };
    for (const [code, forms] of Object.entries(campaigns)) {
      const year = code === 'EQ-ALL' ? 2025 : 2024;
      await createCampaign(database.db, actor, {
        code,
        instrument: 'sipas-2017',
        from: `${year}-01-01`,
        to: `${year}-12-31`,
        counters: ['EQ.Q1', 'EQ.Q2'],
      });
      await importTransactions(
        database.db,
        actor,
        code,
        textStream('counter,transactions\nEQ.Q1,10\nEQ.Q2,20\n'),
      );
      await importResponses(
        database.db,
        actor,
        code,
        textStream(`${[header, ...forms].join('\n')}\n`),
      );
      for (const design of ['srs', 'stratified'] as const) {
        for (const by of ['all', 'unit', 'counter'] as const) {
          const { groups } = await campaignScores(database.db, operator(), {
            campaign: code,
            by,
            design,
          });
          for (const group of groups) {
            const indices = [
              ...Object.values(group.factors),
              group.sipas,
              // Under srs an item's interval is Wilson's, of its satisfied share.
              ...(design === 'srs' ? [] : Object.values(group.items)),
            ];
            expect(indices.length).toBeGreaterThan(0);
            for (const score of indices) {
              if (code === 'EQ-SAT') expect(score.index).toBe(100);
              expect(score.se).toBe(0);
              expect(score.ci).toEqual([score.index, score.index]);
            }
            for (const item of Object.values(group.items)) expect(item.se).toBe(0);
          }
        }
      }
    }
  });

  it('scores the blocks of a sipas-2023 campaign (worked by hand)', async () => {
    await importUnits(database.db, actor, textStream('unit,name,parent\nHG,Hộ gia đình,\n'));
    await importCounters(database.db, actor, textStream('counter,unit,name\nHG.X1,HG,Xã 1\n'));
    await createCampaign(database.db, actor, {
      code: 'HG-2023',
      instrument: 'sipas-2023',
      from: '2023-01-01',
      to: '2023-12-31',
      counters: ['HG.X1'],
    });
    await importTransactions(
      database.db,
      actor,
      'HG-2023',
      textStream('counter,transactions\nHG.X1,30\n'),
    );
    const cs = Array.from({ length: 14 }, (_, i) => `CS${i + 1}`);
    const dv = Array.from({ length: 19 }, (_, i) => `DV${i + 1}`);
    const header = ['counter', 'submitted_at', 'mode', ...cs, 'KN1', ...dv, 'HL'];
    const row = (cells: Record<string, number>) =>
      ['HG.X1', '2023-05-01', 'interview', ...header.slice(3).map((c) => cells[c] ?? '')].join(',');
    // 1: every CS item 4, a procedure, every DV item 5, HL 4. 2: CS1 = 2, no procedure, HL 3.
    // 3: a procedure, DV1 = 3, nothing else.
    const csv = [
      header.join(','),
      row({
        ...Object.fromEntries(cs.map((c) => [c, 4])),
        KN1: 1,
        ...Object.fromEntries(dv.map((c) => [c, 5])),
        HL: 4,
      }),
      row({ CS1: 2, KN1: 0, HL: 3 }),
      row({ KN1: 1, DV1: 3 }),
    ].join('\n');
    await importResponses(database.db, actor, 'HG-2023', textStream(`${csv}\n`));

    const [all] = (
      await campaignScores(database.db, operator(), { campaign: 'HG-2023', by: 'all' })
    ).groups;
    const close = (actual: number | null | undefined, wanted: number) =>
      expect(Math.abs((actual ?? NaN) - wanted)).toBeLessThan(1e-9);
    // CS1 (4, 2) and DV1 (5, 3) are 50; every other item of a block is 100 (one answer, satisfied).
    close(all?.items.CS1?.index, 50);
    close(all?.items.DV1?.index, 50);
    expect(all?.items.DV2).toMatchObject({ valid: 1, satisfied: 1, index: 100 });
    close(all?.items.HL?.index, 50);
    // CSA = (50 + 100)/2, CS = (75 + 100 + 100 + 100)/4; TC = (50 + 3 · 100)/4, DV = (87.5 + 4 · 100)/5.
    close(all?.factors.CSA?.index, 75);
    close(all?.factors.TC?.index, 87.5);
    close(all?.blocks?.CS?.index, 93.75);
    close(all?.blocks?.DV?.index, 97.5);
    close(all?.sipas.index, (93.75 + 97.5) / 2);
    // Only CS1 and DV1 vary. In CS, CS1 weighs 1/8 of V = 2: c = 6.25, u = 6.25 (s − 0.5) =
    // (3.125, −3.125, 0). In DV, DV1 weighs 1/20: c = 2.5, u = (1.25, 0, −1.25). TC: c = 12.5.
    // SIPAS: u = (CS + DV)/2 = (2.1875, −1.5625, −0.625). srs over 3: SE² = 3/2 Σ u².
    close(all?.blocks?.CS?.se, Math.sqrt(1.5 * 2 * 3.125 ** 2));
    close(all?.blocks?.DV?.se, Math.sqrt(1.5 * 2 * 1.25 ** 2));
    close(all?.factors.TC?.se, Math.sqrt(1.5 * 2 * 6.25 ** 2));
    const sipasSe = Math.sqrt(1.5 * (2.1875 ** 2 + 1.5625 ** 2 + 0.625 ** 2));
    close(all?.sipas.se, sipasSe);
    close(all?.sipas.ci?.[0], 95.625 - Z_975 * sipasSe);
    expect(Object.keys(must(all?.blocks))).toEqual(['CS', 'DV']);
    expect(Object.keys(must(all).factors)).toEqual([
      'CSA',
      'CSB',
      'CSC',
      'CSD',
      'TC',
      'TT',
      'CC',
      'KQ',
      'PA',
    ]);
    expect(Object.keys(must(all).items)).toHaveLength(34);
    expect(all?.modes).toEqual({ interview: 3 });
    close(all?.responseRate, 10);
    // The league view leaves the blocks out with the items and factors.
    const league = await campaignScores(database.db, operator(), {
      campaign: 'HG-2023',
      by: 'all',
      view: 'league',
    });
    const { items, factors, blocks, ...rest } = must(all);
    expect(league.groups).toEqual([rest]);
  });

  it('leaves the services block out of households that did no procedure, blanks unsatisfied (worked by hand)', async () => {
    await importUnits(database.db, actor, textStream('unit,name,parent\nHH,Hộ,\n'));
    await importCounters(database.db, actor, textStream('counter,unit,name\nHH.X1,HH,Xã 1\n'));
    await createCampaign(database.db, actor, {
      code: 'HH-2023',
      instrument: 'sipas-2023',
      from: '2023-01-01',
      to: '2023-12-31',
      counters: ['HH.X1'],
      rules: { blanks: 'unsatisfied' },
    });
    await importTransactions(
      database.db,
      actor,
      'HH-2023',
      textStream('counter,transactions\nHH.X1,30\n'),
    );
    const cs = Array.from({ length: 14 }, (_, i) => `CS${i + 1}`);
    const dv = Array.from({ length: 19 }, (_, i) => `DV${i + 1}`);
    const header = ['counter', 'submitted_at', 'mode', ...cs, 'KN1', ...dv];
    const household = (policy: number, kn1: number, services: Record<string, number>) =>
      [
        'HH.X1',
        '2023-05-01',
        'interview',
        ...cs.map(() => policy),
        kn1,
        ...dv.map((c) => services[c] ?? ''),
      ].join(',');
    // 1: CS 4, a procedure, DV 5. 2: CS 2, no procedure: not asked DV. 3: CS 5, a procedure,
    // DV1 left blank, the other DV items 2.
    const csv = [
      header.join(','),
      household(4, 1, Object.fromEntries(dv.map((c) => [c, 5]))),
      household(2, 0, {}),
      household(5, 1, Object.fromEntries(dv.slice(1).map((c) => [c, 2]))),
    ].join('\n');
    await importResponses(database.db, actor, 'HH-2023', textStream(`${csv}\n`));

    const close = (actual: number | null | undefined, wanted: number) =>
      expect(Math.abs((actual ?? NaN) - wanted)).toBeLessThan(1e-9);
    // Every CS item s = (1, 0, 1): CS 200/3. Every DV item is asked of 1 and 3 only, s = (1, 0),
    // DV1's blank counted: DV 50, SIPAS 175/3 (household 2 is no blank). DV: u = (25, 0, −25);
    // CS: u = (100, −200, 100)/9; SIPAS: u = (325, −200, −125)/18 (analysis/scoring.test.ts).
    // srs: SE² = 3/2 Σ u²; stratified, one counter of 30: (1 − 3/30) times that.
    for (const [design, fpc] of [
      ['srs', 1],
      ['stratified', 0.9],
    ] as const) {
      const { groups } = await campaignScores(database.db, operator(), {
        campaign: 'HH-2023',
        by: 'all',
        design,
      });
      const [all] = groups;
      expect(all?.items.DV1).toMatchObject({ valid: 2, satisfied: 1 });
      expect(all?.items.DV2).toMatchObject({ valid: 2, satisfied: 1 });
      close(all?.blocks?.CS?.index, 200 / 3);
      close(all?.blocks?.DV?.index, 50);
      close(all?.blocks?.DV?.se, Math.sqrt(fpc * 1.5 * 2 * 25 ** 2));
      close(all?.sipas.index, 175 / 3);
      close(all?.sipas.se, Math.sqrt((fpc * 1.5 * (325 ** 2 + 200 ** 2 + 125 ** 2)) / 18 ** 2));
    }
  });
});
