// The scoring arithmetic on hand-worked cases: every expected value below is worked out from
// the formulas of spec §5 in the comments beside it, not taken from what the code printed.
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { change, compareScores, type CoverageFacts } from './compare.ts';
import {
  instrumentSchema,
  satisfactionItems,
  storedItems,
  type InstrumentInput,
} from './instrument.ts';
import { builtinInstruments } from './instruments/index.ts';
import { sat5, text, yesno } from './instruments/scales.ts';
import { wilsonInterval } from './intervals.ts';
import { scoringRulesSchema, Z_975, type ScoringRulesInput } from './rules.ts';
import { planningSampleSize } from './sample-size.ts';
import type { GroupScores, ScoresDocument } from './scores-document.ts';
import { comparisonCsv, comparisonTable, scoresCsv, scoresTable } from './scores-format.ts';
import {
  answerSlots,
  scoreGroups,
  stratifiedProblems,
  type CounterFacts,
  type UnitFacts,
} from './scoring.ts';
import { must, sumLinearizedInMemory, tallies, type MemoryResponse } from './scoring.testing.ts';

/** These comparisons test the change alone: no counter facts, every coverage null. */
const withoutCoverage: CoverageFacts = {
  counters: [],
  units: [],
  earlierCounters: new Set(),
  earlier: 'with',
  threshold: 0.8,
};

const close = (actual: number | null | undefined, expected: number) => {
  expect(actual).not.toBeNull();
  expect(Math.abs((actual ?? NaN) - expected)).toBeLessThan(1e-9);
};

// Two factors: F1 = A1, A2; F2 = B1; and the overall question HL.
const tiny = instrumentSchema.parse({
  code: 'tiny',
  name: { vi: 'Nhỏ', en: 'Tiny' },
  scales: [sat5],
  factors: [
    { code: 'F1', name: { vi: 'F1', en: 'F1' } },
    { code: 'F2', name: { vi: 'F2', en: 'F2' } },
  ],
  items: [
    { code: 'A1', factor: 'F1', scale: 'sat5', text: { vi: 'A1', en: 'A1' } },
    { code: 'A2', factor: 'F1', scale: 'sat5', text: { vi: 'A2', en: 'A2' } },
    { code: 'B1', factor: 'F2', scale: 'sat5', text: { vi: 'B1', en: 'B1' } },
    { code: 'HL', scale: 'sat5', text: { vi: 'HL', en: 'HL' } },
  ],
  overallItem: 'HL',
} satisfies InstrumentInput);

// Unit R (root) has unit U (counters C1 and C2) and counter C3 directly under it.
const units: UnitFacts[] = [
  { id: 1, code: 'R', parentId: null },
  { id: 2, code: 'R.U', parentId: 1 },
];
const counters = [
  { id: 11, code: 'R.U.C1', unitId: 2, transactions: 10 },
  { id: 12, code: 'R.U.C2', unitId: 2, transactions: 5 },
  { id: 13, code: 'R.C3', unitId: 1, transactions: null },
];
//        A1    A2    B1  HL
const r1: MemoryResponse = { counterId: 11, mode: 'qr', answers: [5, 4, 2, 4] };
const r2: MemoryResponse = { counterId: 11, mode: 'paper', answers: [3, null, 4, 5] };
const r3: MemoryResponse = { counterId: 12, mode: 'qr', answers: [4, 1, 5, 2] };
const r4: MemoryResponse = { counterId: 13, mode: 'qr', answers: [1, 1, 1, 1] };

async function score(
  responses: MemoryResponse[],
  rules: ScoringRulesInput,
  by: 'all' | 'unit' | 'counter' = 'all',
  instrument = tiny,
  facts: readonly Omit<CounterFacts, 'modes' | 'answers'>[] = counters,
  tree: UnitFacts[] = units,
): Promise<GroupScores[]> {
  return scoreGroups(
    {
      instrument,
      rules: scoringRulesSchema.parse(rules),
      by,
      counters: tallies(instrument, facts, responses),
      units: tree,
    },
    sumLinearizedInMemory(instrument, responses),
  );
}

describe('the Wilson interval', () => {
  it('matches the formula worked by hand', () => {
    // p = 0.5, n = 4, z = 2: centre (0.5 + 4/8) / 2 = 0.5, half 2 √(1/16 + 1/16) / 2 = √2/4.
    const [low, high] = wilsonInterval(0.5, 4, 2);
    close(low, 50 - 25 * Math.SQRT2);
    close(high, 50 + 25 * Math.SQRT2);
  });

  it('reproduces R for 47 satisfied of 57 and stays within [0, 100] at the edges', () => {
    const [low, high] = wilsonInterval(47 / 57, 57, Z_975);
    close(low, 70.6326471703061);
    close(high, 90.18114776029);
    expect(wilsonInterval(1, 3, Z_975)[1]).toBe(100);
    expect(wilsonInterval(0, 3, Z_975)[0]).toBe(0);
  });
});

describe('linearization worked by hand (three respondents, srs)', () => {
  // Item shares: A1 s = (1, 0, 1) of 3 valid → 2/3; A2 s = (1, –, 0) → 1/2; B1 (0, 1, 1) → 2/3.
  const three = [r1, r2, r3];

  it('scores items, factors and SIPAS with their standard errors', async () => {
    const [all] = await score(three, {});
    expect(all?.respondents).toBe(3);
    expect(all?.modes).toEqual({ paper: 1, qr: 2 });
    close(all?.items.A1?.index, 200 / 3);
    close(all?.items.A2?.index, 50);
    expect(all?.items.A2).toMatchObject({ valid: 2, satisfied: 1, flags: ['small-sample'] });
    // A1: u = (100/3)(s − 2/3 v) = (100/9, −200/9, 100/9); SE² = 3/2 Σu² = 3/2 · 60000/81.
    close(all?.items.A1?.se, Math.sqrt(1.5 * (60000 / 81)));
    const [low, high] = wilsonInterval(2 / 3, 3, Z_975);
    close(all?.items.A1?.ci?.[0], low);
    close(all?.items.A1?.ci?.[1], high);

    // F1 = (200/3 + 50) / 2; u = (50/3)(A1 s − 2/3 v) + 25 (A2 s − v/2) = (325, −200, −125)/18.
    close(all?.factors.F1?.index, 175 / 3);
    const f1 = Math.sqrt(1.5 * ((325 ** 2 + 200 ** 2 + 125 ** 2) / 18 ** 2));
    close(all?.factors.F1?.se, f1);
    close(all?.factors.F1?.ci?.[0], 175 / 3 - Z_975 * f1);
    close(all?.factors.F1?.ci?.[1], 175 / 3 + Z_975 * f1);

    // SIPAS = (175/3 + 200/3) / 2 = 62.5; a = (1/4, 1/4, 1/2) → c = (25/3, 12.5, 50/3):
    // u1 = 25/9 + 6.25 − 100/9 = −25/12, u2 = −50/9 + 50/9 = 0, u3 = 25/9 − 6.25 + 50/9 = 25/12.
    close(all?.sipas.index, 62.5);
    const sipas = Math.sqrt(1.5 * (2 * (25 / 12) ** 2));
    close(all?.sipas.se, sipas);
    close(all?.sipas.ci?.[1], 62.5 + Z_975 * sipas);
    expect(all?.flags).toEqual(['small-sample', 'wide-interval']);
  });

  it('pools a factor and SIPAS under the pooled rules', async () => {
    const [all] = await score(three, { factor: 'pooled', sipas: 'pooled' });
    // F1: 3 satisfied of 5 valid; u = 20 Σ (s − 0.6 v) = (16, −12, −4).
    close(all?.factors.F1?.index, 60);
    close(all?.factors.F1?.se, Math.sqrt(1.5 * (16 ** 2 + 12 ** 2 + 4 ** 2)));
    // SIPAS: 5 of 8; u = 12.5 Σ (s − 0.625 v) = (1.5625, −3.125, 1.5625).
    close(all?.sipas.index, 62.5);
    close(all?.sipas.se, Math.sqrt(1.5 * (2 * 1.5625 ** 2 + 3.125 ** 2)));
  });

  it('takes the overall question under sipas overallItem', async () => {
    const [all] = await score(three, { sipas: 'overallItem' });
    // HL s = (1, 1, 0): 2/3, u = (100/3)(s − 2/3) = (100/9, 100/9, −200/9).
    close(all?.sipas.index, 200 / 3);
    close(all?.sipas.se, Math.sqrt(1.5 * (60000 / 81)));
  });

  it('counts blanks as not satisfied when asked', async () => {
    const [all] = await score(three, { blanks: 'unsatisfied' });
    // A2 s = (1, 0, 0) of 3 valid; u = (100/3)(s − 1/3) = (200, −100, −100)/9.
    expect(all?.items.A2).toMatchObject({ valid: 3, satisfied: 1 });
    close(all?.items.A2?.index, 100 / 3);
    close(all?.items.A2?.se, Math.sqrt(1.5 * (60000 / 81)));
    close(all?.factors.F1?.index, 50);
  });

  it('scores the mean answer under the mean rule, with a clipped normal interval', async () => {
    const [all] = await score(three, { score: 'mean' });
    // A1 answers 5, 3, 4 → s = 1, 0.5, 0.75: 75; u = (100/3)(s − 0.75) = (25/3, −25/3, 0).
    close(all?.items.A1?.index, 75);
    const se = Math.sqrt(1.5 * 2 * (25 / 3) ** 2);
    close(all?.items.A1?.se, se);
    close(all?.items.A1?.ci?.[0], 75 - Z_975 * se);
    expect(all?.items.A1?.ci?.[1]).toBe(100);
    expect(all?.items.A1).toMatchObject({ valid: 3, satisfied: 2 });
    // A2 answers 4, 1 → 37.5; F1 = (75 + 37.5) / 2; B1 2, 4, 5 → (0.25 + 0.75 + 1) / 3.
    close(all?.factors.F1?.index, 56.25);
    close(all?.sipas.index, (56.25 + 200 / 3) / 2);
  });

  it('leaves an item without valid answers out of its factor', async () => {
    const [all] = await score([r2], {});
    expect(all?.items.A2).toEqual({
      valid: 0,
      satisfied: 0,
      index: null,
      se: null,
      ci: null,
      flags: ['small-sample'],
    });
    // A1 = 0 alone makes F1; one respondent under srs has no standard error.
    expect(all?.factors.F1).toEqual({ index: 0, se: null, ci: null });
    expect(all?.sipas).toEqual({ index: 50, se: null, ci: null });
  });
});

describe('skip rules: an item not asked is not a blank', () => {
  // F1 = A1, A2 and F2 = B1, HL; A2 is asked only when Q (yes 1 / no 0) is 1.
  const skippy = instrumentSchema.parse({
    code: 'skippy',
    name: { vi: 'Bỏ qua', en: 'Skips' },
    scales: [sat5, yesno],
    factors: [
      { code: 'F1', name: { vi: 'F1', en: 'F1' } },
      { code: 'F2', name: { vi: 'F2', en: 'F2' } },
    ],
    items: [
      { code: 'A1', factor: 'F1', scale: 'sat5', text: { vi: 'A1', en: 'A1' } },
      { code: 'Q', scale: 'yesno', text: { vi: 'Q', en: 'Q' } },
      {
        code: 'A2',
        factor: 'F1',
        scale: 'sat5',
        text: { vi: 'A2', en: 'A2' },
        askIf: { item: 'Q', equals: 1 },
      },
      { code: 'B1', factor: 'F2', scale: 'sat5', text: { vi: 'B1', en: 'B1' } },
      { code: 'HL', scale: 'sat5', text: { vi: 'HL', en: 'HL' } },
    ],
    overallItem: 'HL',
  } satisfies InstrumentInput);
  const x: UnitFacts[] = [{ id: 1, code: 'X', parentId: null }];
  const two = [
    { id: 1, code: 'X.C1', unitId: 1, transactions: 10 },
    { id: 2, code: 'X.C2', unitId: 1, transactions: 6 },
  ];
  const answered = (counterId: number, answers: (number | null)[]): MemoryResponse => ({
    counterId,
    mode: 'paper',
    answers,
  });
  // A2 is asked of q1 (answered 4), q2 (left blank) and q5 (answered 2); q3 said no to Q and
  // q4 left Q blank, so neither was asked A2.
  //                      A1  Q     A2  B1 HL
  const q1 = answered(1, [5, 1, 4, 2, 4]);
  const q2 = answered(1, [3, 1, null, 4, 5]);
  const q3 = answered(1, [4, 0, null, 5, 2]);
  const q4 = answered(2, [2, null, null, 4, 4]);
  const q5 = answered(2, [4, 1, 2, 1, 3]);
  const five = [q1, q2, q3, q4, q5];
  const scoreSkippy = (rules: ScoringRulesInput) => score(five, rules, 'all', skippy, two, x);

  it('counts only the asked blank as not satisfied (srs)', async () => {
    const [all] = await scoreSkippy({ blanks: 'unsatisfied' });
    // A2: s = (1, 0, –, –, 0), v = (1, 1, 0, 0, 1): 1 of 3, not 1 of 5.
    expect(all?.items.A2).toMatchObject({ valid: 3, satisfied: 1 });
    close(all?.items.A2?.index, 100 / 3);
    // u = (100/3)(s − v/3) = (200/9, −100/9, 0, 0, −100/9) over all 5 respondents, mean 0:
    // SE² = 5/4 · (200² + 100² + 100²)/81.
    close(all?.items.A2?.se, Math.sqrt((5 / 4) * (60000 / 81)));
    const [low, high] = wilsonInterval(1 / 3, 3, Z_975);
    close(all?.items.A2?.ci?.[0], low);
    close(all?.items.A2?.ci?.[1], high);
    // A1 s = (1, 0, 1, 0, 1): 60; B1 s = (0, 1, 1, 1, 0): 60. F1 = (60 + 100/3)/2 = 140/3.
    close(all?.factors.F1?.index, 140 / 3);
    // F1: u = 10(s_A1 − 0.6) + (50/3)(s_A2 − v_A2/3) = (4 + 100/9, −6 − 50/9, 4, −6, 4 − 50/9)
    // = (136, −104, 36, −54, −14)/9.
    close(
      all?.factors.F1?.se,
      Math.sqrt((5 / 4) * ((136 ** 2 + 104 ** 2 + 36 ** 2 + 54 ** 2 + 14 ** 2) / 81)),
    );
    // SIPAS = (140/3 + 60)/2 = 160/3; u = 5(s_A1 − .6) + (25/3)(s_A2 − v_A2/3) + 10(s_B1 − .6)
    // = (2 + 50/9 − 6, −3 − 25/9 + 4, 2 + 4, −3 + 4, 2 − 25/9 − 6) = (14, −16, 54, 9, −61)/9.
    close(all?.sipas.index, 160 / 3);
    const sipas = Math.sqrt((5 / 4) * ((14 ** 2 + 16 ** 2 + 54 ** 2 + 9 ** 2 + 61 ** 2) / 81));
    close(all?.sipas.se, sipas);
    close(all?.sipas.ci?.[0], 160 / 3 - Z_975 * sipas);
  });

  it('leaves skipped items out when blanks are excluded too', async () => {
    const [all] = await scoreSkippy({});
    // A2: 1 satisfied of the 2 answers (q1, q5).
    expect(all?.items.A2).toMatchObject({ valid: 2, satisfied: 1 });
    close(all?.items.A2?.index, 50);
  });

  it('counts only the asked blank as not satisfied (stratified)', async () => {
    const [all] = await scoreSkippy({ blanks: 'unsatisfied', design: 'stratified' });
    // w = 10/3 at C1 (3 of 10), 3 at C2 (2 of 6). A2: S = 10/3 (q1), V = 2·10/3 + 3 = 29/3,
    // p = 10/29: 1000/29.
    expect(all?.items.A2).toMatchObject({ valid: 3, satisfied: 1 });
    close(all?.items.A2?.index, 1000 / 29);
    // u = w (100/V)(s − p v) = w (300/29)(s − 10v/29): C1 (19000, −10000, 0)/841, mean
    // 3000/841, deviations (16000, −13000, −3000); C2 (0, −9000)/841, deviations ±4500.
    // SE² = [(1 − 3/10) · 3/2 · 434e6 + (1 − 2/6) · 2 · 40.5e6] / 841².
    const se = Math.sqrt((0.7 * 1.5 * 434e6 + (2 / 3) * 2 * 40.5e6) / 841 ** 2);
    close(all?.items.A2?.se, se);
    // 1000/29 ± z SE, clipped below at 0 (34.48 − 52.61 < 0).
    expect(all?.items.A2?.ci?.[0]).toBe(0);
    close(all?.items.A2?.ci?.[1], 1000 / 29 + Z_975 * se);
    // A1: S = (10/3)·2 + 3·1 = 29/3 of V = 10 + 6 = 16; F1 = (2900/48 + 1000/29)/2.
    close(all?.factors.F1?.index, (2900 / 48 + 1000 / 29) / 2);
  });
});

describe('a skip rule that reads free text', () => {
  it('never asks its item, which no stored answer can make asked', async () => {
    const texty = instrumentSchema.parse({
      code: 'texty',
      name: { vi: 'Chữ', en: 'Text' },
      scales: [sat5, text],
      factors: [{ code: 'F1', name: { vi: 'F1', en: 'F1' } }],
      items: [
        { code: 'T', scale: 'text', text: { vi: 'T', en: 'T' } },
        { code: 'A1', factor: 'F1', scale: 'sat5', text: { vi: 'A1', en: 'A1' } },
        {
          code: 'A2',
          factor: 'F1',
          scale: 'sat5',
          text: { vi: 'A2', en: 'A2' },
          askIf: { item: 'T', equals: 1 },
        },
        { code: 'HL', scale: 'sat5', text: { vi: 'HL', en: 'HL' } },
      ],
      overallItem: 'HL',
    } satisfies InstrumentInput);
    expect(answerSlots(texty).map((slot) => slot.askedWhen)).toEqual([[], null, []]);
    const facts = [{ id: 1, code: 'X.C1', unitId: 1, transactions: null }];
    const x: UnitFacts[] = [{ id: 1, code: 'X', parentId: null }];
    //                                                          A1 A2    HL
    const one: MemoryResponse = { counterId: 1, mode: 'qr', answers: [4, null, 4] };
    const [all] = await score([one], { blanks: 'unsatisfied' }, 'all', texty, facts, x);
    expect(all?.items.A2).toMatchObject({ valid: 0, index: null });
    close(all?.factors.F1?.index, 100);
  });
});

describe('skip rules of sipas-2023: the services block after KN1 = 1', () => {
  const sipas2023 = must(builtinInstruments.find((i) => i.code === 'sipas-2023'));
  const stored = storedItems(sipas2023);
  const cs = satisfactionItems(sipas2023).filter((i) => i.code.startsWith('CS'));
  const dv = satisfactionItems(sipas2023).filter((i) => i.code.startsWith('DV'));
  /** A household at counter 1: KN1, every CS item `policy`, the DV items as given. */
  const household = (kn1: number, policy: number, services: Record<string, number>) => {
    const answers: Record<string, number> = { KN1: kn1, HL: 4 };
    for (const item of cs) answers[item.code] = policy;
    return {
      counterId: 1,
      mode: 'interview',
      answers: stored.map((item) => answers[item.code] ?? services[item.code] ?? null),
    };
  };
  const h1 = household(1, 4, Object.fromEntries(dv.map((i) => [i.code, 5])));
  const h2 = household(0, 2, {});
  // Asked the services block, h3 left DV1 blank and answered 2 to the others.
  const h3 = household(1, 5, Object.fromEntries(dv.slice(1).map((i) => [i.code, 2])));
  const counter = [{ id: 1, code: 'X.Q1', unitId: 1, transactions: 30 }];
  const x: UnitFacts[] = [{ id: 1, code: 'X', parentId: null }];
  const scoreHouseholds = (responses: MemoryResponse[], rules: ScoringRulesInput) =>
    score(responses, { blanks: 'unsatisfied', ...rules }, 'all', sipas2023, counter, x);

  // Every CS item: s = (1, 0, 1): 200/3, and so CS. Every DV item is asked of h1 and h3 only:
  // s = (1, –, 0), v = (1, 0, 1) (DV1's blank at h3 counts, unsatisfied): 50, and so DV.
  // SIPAS = (200/3 + 50)/2 = 175/3 (not (200/3 + 100/3)/2, with h2 as three blanks).
  // DV: Σ a_i = 1 over its items, each u_i = a_i (100/2)(s − v/2): u = (25, 0, −25).
  // CS: each u_i = a_i (100/3)(s − 2v/3): u = (100/9, −200/9, 100/9).
  // SIPAS: u = (u_CS + u_DV)/2 = (325, −200, −125)/18.
  const dvSquares = 2 * 25 ** 2;
  const sipasSquares = (325 ** 2 + 200 ** 2 + 125 ** 2) / 18 ** 2;

  it('leaves the block out of a household that did no procedure (srs)', async () => {
    expect([cs.length, dv.length]).toEqual([14, 19]);
    const [all] = await scoreHouseholds([h1, h2, h3], {});
    expect(all?.items.DV1).toMatchObject({ valid: 2, satisfied: 1 });
    expect(all?.items.DV2).toMatchObject({ valid: 2, satisfied: 1 });
    expect(all?.items.CS1).toMatchObject({ valid: 3, satisfied: 2 });
    close(all?.blocks?.CS?.index, 200 / 3);
    close(all?.blocks?.DV?.index, 50);
    close(all?.blocks?.DV?.se, Math.sqrt(1.5 * dvSquares));
    close(all?.sipas.index, 175 / 3);
    close(all?.sipas.se, Math.sqrt(1.5 * sipasSquares));
  });

  it('leaves the block out of a household that did no procedure (stratified)', async () => {
    const [all] = await scoreHouseholds([h1, h2, h3], { design: 'stratified' });
    // One counter, w = 10: the indices as under srs, and u = w (100 a/(w V))(…) the same;
    // SE² = (1 − 3/30) · 3/2 · Σ u².
    close(all?.blocks?.DV?.index, 50);
    close(all?.blocks?.DV?.se, Math.sqrt(0.9 * 1.5 * dvSquares));
    close(all?.sipas.index, 175 / 3);
    close(all?.sipas.se, Math.sqrt(0.9 * 1.5 * sipasSquares));
  });

  it('has a null services block, left out of SIPAS, where no household did a procedure', async () => {
    const h4 = household(0, 4, {});
    for (const sipas of ['meanOfFactors', 'pooled'] as const) {
      const [all] = await scoreHouseholds([h2, h4], { sipas });
      expect(all?.items.DV1).toMatchObject({ valid: 0, index: null });
      expect(all?.factors.TC).toEqual({ index: null, se: null, ci: null });
      expect(all?.blocks?.DV).toEqual({ index: null, se: null, ci: null });
      // CS: every item s = (0, 1): 50; SIPAS is CS alone. u = (100/2)(s − 1/2) = (−25, 25).
      close(all?.blocks?.CS?.index, 50);
      close(all?.sipas.index, 50);
      close(all?.sipas.se, Math.sqrt(2 * 2 * 25 ** 2));
    }
  });
});

describe('settled details worked by hand', () => {
  it('clips every interval under the mean rule, and counts satisfied answers in the set', async () => {
    const [all] = await score([r1, r2, r3], { score: 'mean', satisfied: [3, 4, 5] });
    // A2 answers 4, –, 1 → s = 0.75, 0: 37.5. u = (100/2)(s − 0.375 v) = (18.75, 0, −18.75);
    // SE² = 3/2 · 2 · 18.75². 37.5 ∓ z SE = −26.2, 101.2: clipped to [0, 100], no Wilson.
    const se = Math.sqrt(1.5 * 2 * 18.75 ** 2);
    close(all?.items.A2?.index, 37.5);
    close(all?.items.A2?.se, se);
    expect(37.5 - Z_975 * se).toBeLessThan(0);
    expect(all?.items.A2?.ci).toEqual([0, 100]);
    // Satisfied in {3, 4, 5}: A1 5, 3, 4 → 3; A2 4, 1 → 1; B1 2, 4, 5 → 2.
    expect(all?.items.A1).toMatchObject({ valid: 3, satisfied: 3 });
    expect(all?.items.A2).toMatchObject({ valid: 2, satisfied: 1 });
    expect(all?.items.B1).toMatchObject({ valid: 3, satisfied: 2 });
  });

  it("averages the children's own SIPAS under meanOfChildren, leaving out what has no answers", async () => {
    // C1: A1 3, A2 and B1 blank: A1 0, F1 0, F2 null, SIPAS 0. C2 (r3): A1 100, A2 0 → F1 50,
    // F2 100, SIPAS 75.
    const lone: MemoryResponse = { counterId: 11, mode: 'qr', answers: [3, null, null, 5] };
    const [root, unit] = await score([lone, r3], { above: 'meanOfChildren' }, 'unit');
    expect(unit?.key).toEqual({ unit: 'R.U' });
    // A2 and B1: C1 has no valid answer and is left out: C2's alone.
    close(unit?.items.A2?.index, 0);
    close(unit?.items.B1?.index, 100);
    close(unit?.factors.F1?.index, 25);
    close(unit?.factors.F2?.index, 100);
    // SIPAS = mean(0, 75) = 37.5, the children's SIPAS; not the mean of U's factors, 62.5.
    close(unit?.sipas.index, 37.5);
    // Each child's u is 0 (one respondent, its share 0 or 1): SE 0 over U's 2 respondents.
    close(unit?.sipas.se, 0);
    // R has U as its only child with respondents (C3 has none).
    expect(root?.sipas).toEqual(unit?.sipas);
  });
});

describe('above: meanOfChildren', () => {
  const four = [r1, r2, r3, r4];

  it('averages children and scales their linearized values', async () => {
    const groups = await score(four, { above: 'meanOfChildren' }, 'unit');
    expect(groups.map((g) => g.key)).toEqual([{ unit: 'R' }, { unit: 'R.U' }]);
    const [root, unit] = groups;
    // U: A1 at C1 = 50 (5, 3), at C2 = 100 (4): 75. C1's u = 50 (s − 0.5) = (25, −25), C2's 0;
    // halved: (12.5, −12.5, 0), srs over U's 3 respondents.
    close(unit?.items.A1?.index, 75);
    close(unit?.items.A1?.se, Math.sqrt(1.5 * 2 * 12.5 ** 2));
    // Not a plain share: index ± z SE, clipped.
    close(unit?.items.A1?.ci?.[0], 75 - Z_975 * Math.sqrt(1.5 * 2 * 12.5 ** 2));
    expect(unit?.items.A1).toMatchObject({ valid: 3, satisfied: 2 });
    // R = mean(U 75, C3 0) = 37.5; u = (6.25, −6.25, 0, 0), srs over 4 respondents.
    close(root?.items.A1?.index, 37.5);
    close(root?.items.A1?.se, Math.sqrt((4 / 3) * 2 * 6.25 ** 2));
    expect(root?.respondents).toBe(4);
    expect(root?.transactions).toBe(15);
    close(root?.responseRate, (100 * 3) / 15);

    // F1 at C1: A1 (5, 3) 50 and A2 (4, –) 100 → 75, u = 25 (s − 0.5) on A1 = (12.5, −12.5);
    // at C2: A1 100, A2 0 → 50, u = 0. U = 62.5, u = (6.25, −6.25, 0).
    close(unit?.factors.F1?.index, 62.5);
    close(unit?.factors.F1?.se, Math.sqrt(1.5 * 2 * 6.25 ** 2));
    // SIPAS at C1 = (75 + 50)/2, u = 12.5 (A1 s − 0.5) + 25 (B1 s − 0.5) = (−6.25, 6.25); at C2
    // (50 + 100)/2, u = 0. U = 68.75, u = (−3.125, 3.125, 0).
    close(unit?.sipas.index, 68.75);
    close(unit?.sipas.se, Math.sqrt(1.5 * 2 * 3.125 ** 2));
    close(unit?.sipas.ci?.[0], 68.75 - Z_975 * Math.sqrt(1.5 * 2 * 3.125 ** 2));

    const [all] = await score(four, { above: 'meanOfChildren' }, 'all');
    expect(all?.items.A1).toEqual(root?.items.A1);
    expect(all?.sipas).toEqual(root?.sipas);
  });

  it('leaves counters alone and pools by default', async () => {
    const byCounter = await score(four, { above: 'meanOfChildren' }, 'counter');
    expect(byCounter.map((g) => g.key)).toEqual([
      { counter: 'R.C3' },
      { counter: 'R.U.C1' },
      { counter: 'R.U.C2' },
    ]);
    close(byCounter[1]?.items.A1?.index, 50);
    const [, unit] = await score(four, {}, 'unit');
    close(unit?.items.A1?.index, 200 / 3);
  });
});

describe('stratified', () => {
  it('flags a counter of one respondent, which adds no variance', async () => {
    const groups = await score([r1, r2, r3], { design: 'stratified' }, 'counter');
    const c2 = must(groups.find((g) => 'counter' in g.key && g.key.counter === 'R.U.C2'));
    expect(c2.flags).toEqual(['small-sample', 'lonely-stratum']);
    expect(c2.sipas.se).toBe(0);
    // C1: one stratum of 2 respondents of 10 transactions, w = 5; A1 s = (1, 0), weighted
    // V = 10: u = w (100/10)(s − 0.5) = (25, −25); SE² = (1 − 2/10) · 2/1 · Σ (u − ū)².
    const c1 = must(groups.find((g) => 'counter' in g.key && g.key.counter === 'R.U.C1'));
    const se = Math.sqrt(0.8 * 2 * 2 * 25 ** 2);
    close(c1.items.A1?.se, se);
    // 50 ± 87.7, clipped to [0, 100].
    expect(c1.items.A1?.ci).toEqual([0, 100]);
  });

  it('names counters without a usable transaction count', () => {
    const facts = tallies(tiny, counters, [r1, r2, r3, r4]);
    expect(stratifiedProblems(facts)).toEqual([
      {
        counter: 'R.C3',
        message: {
          vi: 'có 1 người trả lời nhưng chưa có số lượt giao dịch',
          en: 'has 1 respondents but no transaction count',
        },
      },
    ]);
    const few = tallies(tiny, [{ ...must(counters[0]), transactions: 1 }], [r1, r2]);
    expect(stratifiedProblems(few)).toEqual([
      {
        counter: 'R.U.C1',
        message: {
          vi: 'có 1 lượt giao dịch, ít hơn 2 người trả lời',
          en: 'has 1 transactions, fewer than its 2 respondents',
        },
      },
    ]);
  });
});

describe('sipas-2023 blocks', () => {
  // CS block: CSA = C1, C2; CSB = C3; DV block: TC = D1, D2; KQ = D3.
  const blocked = instrumentSchema.parse({
    code: 'blocked',
    name: { vi: 'Khối', en: 'Blocks' },
    scales: [sat5],
    blocks: [
      { code: 'CS', name: { vi: 'CS', en: 'CS' } },
      { code: 'DV', name: { vi: 'DV', en: 'DV' } },
    ],
    factors: ['CSA', 'CSB', 'TC', 'KQ'].map((code) => ({
      code,
      block: code.startsWith('CS') ? 'CS' : 'DV',
      name: { vi: code, en: code },
    })),
    items: [
      ['C1', 'CSA'],
      ['C2', 'CSA'],
      ['C3', 'CSB'],
      ['D1', 'TC'],
      ['D2', 'TC'],
      ['D3', 'KQ'],
      ['HL', undefined],
    ].map(([code, factor]) => ({ code, factor, scale: 'sat5', text: { vi: code, en: code } })),
    overallItem: 'HL',
  });
  const one = [{ id: 1, code: 'X.Q1', unitId: 1, transactions: null }];
  const x: UnitFacts[] = [{ id: 1, code: 'X', parentId: null }];
  //                                                        C1 C2    C3 D1    D2 D3 HL
  const a: MemoryResponse = { counterId: 1, mode: 'qr', answers: [4, 5, 2, 5, 4, 4, 4] };
  const b: MemoryResponse = { counterId: 1, mode: 'qr', answers: [2, 4, 4, 3, null, 4, 3] };

  it('averages factors into blocks and blocks into SIPAS', async () => {
    const [all] = await score([a, b], {}, 'all', blocked, one, x);
    // C1 1/2, C2 1, C3 1/2 → CSA 75, CSB 50, CS 62.5; D1 1/2, D2 1, D3 1 → TC 75, KQ 100, DV 87.5.
    close(all?.factors.CSA?.index, 75);
    close(all?.blocks?.CS?.index, 62.5);
    close(all?.blocks?.DV?.index, 87.5);
    close(all?.sipas.index, 75);
    // CS: C1 a = 1/4, C3 a = 1/2, both p = 1/2, V = 2: u = 12.5(s1 − .5) + 25(s3 − .5) =
    // (6.25 − 12.5, −6.25 + 12.5) = (−6.25, 6.25); SE² = 2 Σ u².
    close(all?.blocks?.CS?.se, Math.sqrt(2 * 2 * 6.25 ** 2));
    // DV: D1 a = 1/4: u = 12.5(s − .5) = (6.25, −6.25). SIPAS = (CS + DV)/2: u = (0, 0).
    close(all?.blocks?.DV?.se, Math.sqrt(2 * 2 * 6.25 ** 2));
    close(all?.sipas.se, 0);
    expect(Object.keys(must(all?.blocks))).toEqual(['CS', 'DV']);
  });

  it("pools each block and SIPAS over the blocks' items under sipas pooled, HL left out", async () => {
    const [all] = await score([a, b], { sipas: 'pooled' }, 'all', blocked, one, x);
    // CS: a s = (1, 1, 0), b (0, 1, 1): 4 of 6. DV: a (1, 1, 1), b (0, –, 1): 4 of 5.
    close(all?.blocks?.CS?.index, 400 / 6);
    close(all?.blocks?.DV?.index, 80);
    // DV: u = (100/5)(s − 0.8 v): a 20 (3 − 2.4) = 12, b 20 (1 − 1.6) = −12; SE² = 2 · 2 · 12².
    close(all?.blocks?.DV?.se, 24);
    // CS: u = (100/6)(s − 2v/3) = 0 for both (2 of 3 each).
    close(all?.blocks?.CS?.se, 0);
    // SIPAS: 8 satisfied of 11 valid (HL, satisfied at a, is no part of it: not 9 of 13).
    close(all?.sipas.index, 800 / 11);
    // u = (100/11)(s − 8v/11): a (5 of 6) 700/121, b (3 of 5) −700/121; SE² = 2 · 2 · u².
    close(all?.sipas.se, 1400 / 121);
    close(all?.sipas.ci?.[0], 800 / 11 - (Z_975 * 1400) / 121);
  });
});

describe('change between campaigns', () => {
  it('adds variances of independent samples and tests the interval against 0', () => {
    const small = change({ index: 80, se: 3, ci: null }, { index: 76, se: 4, ci: null });
    expect(small).toMatchObject({ campaign: 80, with: 76, change: 4, se: 5, significant: false });
    close(small.ci?.[0], 4 - Z_975 * 5);
    const large = change({ index: 90, se: 1, ci: null }, { index: 80, se: 1, ci: null });
    expect(large.significant).toBe(true);
    close(large.se, Math.SQRT2);
    expect(change({ index: 90, se: null, ci: null }, { index: 80, se: 1, ci: null })).toEqual({
      campaign: 90,
      with: 80,
      change: 10,
      se: null,
      ci: null,
      significant: null,
    });
  });

  it('compares the groups and indices both documents have', async () => {
    const rules = scoringRulesSchema.parse({});
    const document = async (responses: MemoryResponse[]): Promise<ScoresDocument> => ({
      campaign: responses.length === 4 ? 'B' : 'A',
      instrument: 'tiny',
      rules,
      groups: await score(responses, {}, 'counter'),
      names: { campaign: 'Tiny', units: {}, counters: {} },
    });
    const current = await document([r1, r2, r3]);
    const previous = await document([r1, r2, r3, r4]);
    const compared = compareScores(current, previous, 'counter', withoutCoverage);
    expect(compared.groups.map((g) => g.key)).toEqual([
      { counter: 'R.U.C1' },
      { counter: 'R.U.C2' },
    ]);
    const same = must(compared.groups[0]).sipas;
    expect(same).toMatchObject({ campaign: 62.5, with: 62.5, change: 0, significant: false });
    close(same.se, Math.SQRT2 * must(current.groups[0]?.sipas.se));
    expect(comparisonCsv(compared).split('\n')[0]).toBe(
      'group,level,code,campaign,with,change,se,ci_low,ci_high,significant,coverage,reorganised',
    );
  });
});

describe('change when a stratum has one respondent', () => {
  // By counter: C1 (10 transactions) has two respondents in each campaign, C2 (5) one.
  const now = [r1, r2, r3];
  const before: MemoryResponse[] = [
    { counterId: 11, mode: 'qr', answers: [1, 1, 1, 1] },
    { counterId: 11, mode: 'qr', answers: [1, 1, 1, 1] },
    { counterId: 12, mode: 'qr', answers: [2, 2, 2, 2] },
  ];
  const compared = async (design: 'srs' | 'stratified') => {
    const rules = scoringRulesSchema.parse({ design });
    const document = async (campaign: string, responses: MemoryResponse[]) => ({
      campaign,
      instrument: 'tiny',
      rules,
      groups: await score(responses, { design }, 'counter'),
      names: { campaign: 'Tiny', units: {}, counters: {} },
    });
    return compareScores(
      await document('B', now),
      await document('A', before),
      'counter',
      withoutCoverage,
    );
  };

  it('has no significance under stratified when either group is a lonely stratum', async () => {
    const [c1, c2] = (await compared('stratified')).groups;
    // C1 now: A1 50, A2 100, B1 50 → SIPAS (75 + 50)/2 = 62.5; w = 5, V = (10, 5, 10);
    // u = 5 (25 (s_A1 − .5)/10 + 50 (s_B1 − .5)/10) = (−6.25, 6.25);
    // SE² = (1 − 2/10) · 2/1 · 2 · 6.25² = 125. Before: every answer 1, SIPAS 0, u = 0, SE 0.
    expect(c1?.key).toEqual({ counter: 'R.U.C1' });
    close(c1?.sipas.change, 62.5);
    close(c1?.sipas.se, Math.sqrt(125));
    close(c1?.sipas.ci?.[0], 62.5 - Z_975 * Math.sqrt(125));
    expect(c1?.sipas.significant).toBe(true);
    // C2: one respondent each time: SIPAS 75 now ((100 + 0)/2 and 100), 0 before, SE 0 + 0.
    // The zero-width interval [75, 75] is no certainty: `significant` is null.
    expect(c2?.key).toEqual({ counter: 'R.U.C2' });
    close(c2?.sipas.change, 75);
    expect(c2?.sipas.se).toBe(0);
    expect(c2?.sipas.significant).toBeNull();
    expect(c2?.items.A1?.significant).toBeNull();
    // The flags say why. At C1 they tell nothing against the test: small samples, and an
    // interval now 2 z √125 = 43.8 wide.
    expect(c1?.flags).toEqual({
      campaign: ['small-sample', 'wide-interval'],
      with: ['small-sample'],
    });
    expect(c2?.flags).toEqual({
      campaign: ['small-sample', 'lonely-stratum'],
      with: ['small-sample', 'lonely-stratum'],
    });
    expect(comparisonTable(await compared('stratified'))).toContain(
      'counter:R.U.C2: 1 and 1 respondents; B flags: small-sample, lonely-stratum; ' +
        'A flags: small-sample, lonely-stratum\n',
    );
  });

  it('is null under srs for a group of one respondent, and tested for two', async () => {
    const [c1, c2] = (await compared('srs')).groups;
    // C1 now: u = 25 (s_A1 − .5)/2 + 50 (s_B1 − .5)/2 = (−6.25, 6.25); SE² = 2/1 · 2 · 6.25².
    close(c1?.sipas.se, 12.5);
    close(c1?.sipas.ci?.[1], 62.5 + Z_975 * 12.5);
    expect(c1?.sipas.significant).toBe(true);
    expect(c2?.sipas).toMatchObject({ change: 75, se: null, ci: null, significant: null });
  });
});

describe('output forms', () => {
  it('writes one CSV row per group and index, and a table naming the rules', async () => {
    const groups = await score([r1, r2, r3], {}, 'unit');
    const document: ScoresDocument = {
      campaign: 'T',
      instrument: 'tiny',
      rules: scoringRulesSchema.parse({}),
      groups,
      names: { campaign: 'Thử', units: { R: 'Tỉnh R', 'R.U': 'Sở U' }, counters: {} },
    };
    const lines = scoresCsv(document).trimEnd().split('\n');
    expect(lines[0]).toBe(
      'group,level,code,valid,satisfied,index,se,ci_low,ci_high,' +
        'name,respondents,modes,transactions,response_rate,group_flags,flags,rules',
    );
    // What each row is, after its figures: R and R.U hold the same three respondents.
    const rules =
      'score share of 4, 5; blanks exclude; factor meanOfItems; sipas meanOfFactors; ' +
      'above pooled; design srs; 95% intervals';
    const cells = (line: string | undefined) => (parse(line ?? '') as string[][])[0] ?? [];
    // 3 respondents of C1 (10 transactions) and C2 (5): a response rate of 3 / 15 = 20%.
    const described = (name: string) => [name, '3', 'paper 1; qr 2', '15', '20'];
    // Fewer than 30 respondents, and an interval wider than 10 points; each item under 30 valid.
    const flags = ['small-sample; wide-interval', 'small-sample'];
    expect(cells(lines[1]).slice(9)).toEqual([...described('Tỉnh R'), ...flags, rules]);
    expect(lines).toHaveLength(1 + 2 * (4 + 2 + 1));
    const a2 = must(groups[0]?.items.A2);
    expect(cells(lines[2]).slice(0, 9).join(',')).toBe(
      `unit:R,item,A2,2,1,50,${a2.se},${a2.ci?.[0]},${a2.ci?.[1]}`,
    );
    expect(cells(lines[8]).slice(9)).toEqual([...described('Sở U'), ...flags, rules]);
    // A factor has no flags of its own.
    expect(cells(lines[5]).slice(9)).toEqual([...described('Tỉnh R'), flags[0], '', rules]);
    // Worked by hand: 62.5, to 1e-9 (the CSV prints the unrounded double).
    expect(groups[0]?.sipas.index).toBeCloseTo(62.5, 9);
    expect(cells(lines[7]).slice(0, 9).join(',')).toBe(
      `unit:R,sipas,SIPAS,,,${groups[0]?.sipas.index},${groups[0]?.sipas.se},${groups[0]?.sipas.ci?.[0]},${groups[0]?.sipas.ci?.[1]}`,
    );
    const table = scoresTable(document);
    expect(table).toContain('factor meanOfItems; sipas meanOfFactors; above pooled; design srs');
    expect(table).toMatch(/item\s+A2\s+2\s+1\s+50\.00/);
  });
});

describe('planning sample size', () => {
  it('is N / (1 + N e²), rounded up', () => {
    expect(planningSampleSize(400)).toBe(200); // 400 / 2
    expect(planningSampleSize(752)).toBe(262); // 752 / 2.88 = 261.1
    expect(planningSampleSize(100, 0.1)).toBe(50); // 100 / 2
    expect(planningSampleSize(0)).toBe(0);
    expect(() => planningSampleSize(10, 0)).toThrow(RangeError);
  });
});
