// Items below the peers on hand-worked pools: every expected value is worked out in the comments
// from u_r = w_h · [1{h is the unit's} · 100 (s_r − p_u v_r) / V_u − 100 (s_r − p v_r) / V]
// (docs/plans.md), not taken from what the code printed.
import { describe, expect, it } from 'vitest';
import { instrumentSchema, type InstrumentInput } from './instrument.ts';
import { sat5 } from './instruments/scales.ts';
import { itemContrasts } from './plan-sipas.ts';
import { scoringRulesSchema, Z_975 } from './rules.ts';
import type { CounterFacts } from './scoring.ts';

const close = (actual: number | null | undefined, expected: number) => {
  expect(actual).not.toBeNull();
  expect(Math.abs((actual ?? NaN) - expected)).toBeLessThan(1e-9);
};

// One factor F1 of items A1 and A2, and the overall question HL.
const instrument = instrumentSchema.parse({
  code: 'tiny',
  name: { vi: 'Nhỏ', en: 'Tiny' },
  scales: [sat5],
  factors: [{ code: 'F1', name: { vi: 'F1', en: 'F1' } }],
  items: [
    { code: 'A1', factor: 'F1', scale: 'sat5', text: { vi: 'Câu A1', en: 'A1' } },
    { code: 'A2', factor: 'F1', scale: 'sat5', text: { vi: 'Câu A2', en: 'A2' } },
    { code: 'HL', scale: 'sat5', text: { vi: 'Hài lòng', en: 'Overall' } },
  ],
  overallItem: 'HL',
} satisfies InstrumentInput);

/** A counter whose n respondents answered A1 as `a1` (counts of 0 blank … 5), A2 and HL never. */
function counter(id: number, transactions: number, a1: number[]): CounterFacts {
  const n = a1.reduce((s, c) => s + c, 0);
  return {
    id,
    code: `C${id}`,
    unitId: id,
    transactions,
    modes: { qr: n },
    answers: [...a1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  };
}

// A1 (satisfied = 4 or 5, blanks excluded):
//   C1, the unit's: 5, 4, 2, 1      → S_u = 2, V_u = 4, p_u = 1/2
//   C2:             5, 5, 4         → 3 of 3
//   C3:             4, 5, blank     → 2 of 2 valid, 3 respondents
const pool = (scale: number) => [
  counter(1, 40, [0, scale, scale, 0, scale, scale]),
  counter(2, 30, [0, 0, 0, 0, scale, 2 * scale]),
  counter(3, 20, [scale, 0, 0, 0, scale, scale]),
];
const unit = new Set([1]);

/**
 * The srs closed form from counts: with A = 100/V_u, B = 100/V and ū = 0 (both ratios'
 * linearized values sum to 0), Σu² = Σ_unit [A(s − p_u v) − B(s − p v)]² + Σ_other B²(s − p v)²
 * = (A² − 2AB) V_u p_u (1 − p_u) + B² V p (1 − p), for s, v ∈ {0, 1}; SE² = n/(n − 1) Σu².
 */
function srsClosedForm(n: number, su: number, vu: number, s: number, v: number): number {
  const [pu, p, a, b] = [su / vu, s / v, 100 / vu, 100 / v];
  return Math.sqrt(
    (n / (n - 1)) * ((a * a - 2 * a * b) * vu * pu * (1 - pu) + b * b * v * p * (1 - p)),
  );
}

describe('items below the peers', () => {
  it('works the srs contrast by hand', () => {
    const rules = scoringRulesSchema.parse({ design: 'srs' });
    const [a1, ...others] = itemContrasts({ instrument, rules, pool: pool(1), unit });
    // A2 and HL: no valid answer at the unit, so no contrast.
    expect(others).toEqual([]);
    // Pool: S = 2 + 3 + 2 = 7, V = 4 + 3 + 2 = 9, p = 7/9; difference 50 − 700/9.
    expect(a1).toMatchObject({ item: 'A1', text: 'Câu A1', factor: 'F1' });
    close(a1?.index, 50);
    close(a1?.peersIndex, 700 / 9);
    close(a1?.difference, 50 - 700 / 9);
    // u: the unit's satisfied 12.5 − 200/81 = 812.5/81, its others −12.5 + 700/81 = −312.5/81;
    // the peers' satisfied −100 (1 − 7/9)/9 = −200/81, the blank 0. Σu = 0; n = 10:
    // SE² = 10/9 · (2 · 812.5² + 2 · 312.5² + 5 · 200²) / 81² = 10/9 · 1715625/6561.
    const se = Math.sqrt((10 / 9) * (1715625 / 6561));
    close(a1?.se, se);
    close(a1?.se, srsClosedForm(10, 2, 4, 7, 9));
    close(a1?.ci?.[0], 50 - 700 / 9 - Z_975 * se);
    close(a1?.ci?.[1], 50 - 700 / 9 + Z_975 * se);
    // −27.8 ± 33.4 holds 0: not significantly below.
    expect(a1?.below).toBe(false);
  });

  it('finds the same shares significantly below with ten times the respondents', () => {
    const rules = scoringRulesSchema.parse({ design: 'srs' });
    const [a1] = itemContrasts({ instrument, rules, pool: pool(10), unit });
    // n = 100, S_u = 20, V_u = 40, S = 70, V = 90: SE² = 100/99 · 26.149… ≈ 5.14²; −27.8 ± 10.1.
    const se = srsClosedForm(100, 20, 40, 70, 90);
    close(a1?.difference, 50 - 700 / 9);
    close(a1?.se, se);
    close(a1?.ci?.[1], 50 - 700 / 9 + Z_975 * se);
    expect(a1?.below).toBe(true);
  });

  it('works the stratified contrast by hand', () => {
    const rules = scoringRulesSchema.parse({ design: 'stratified' });
    const [a1] = itemContrasts({ instrument, rules, pool: pool(1), unit });
    // Weights N_h/n_h: C1 40/4 = 10, C2 30/3 = 10, C3 20/3. S_u = 20, V_u = 40, p_u = 1/2;
    // S = 20 + 30 + 40/3 = 190/3, V = 40 + 30 + 40/3 = 250/3, p = 0.76: difference 50 − 76.
    close(a1?.index, 50);
    close(a1?.peersIndex, 76);
    close(a1?.difference, -26);
    // 100 (1 − 0.76)/V = 0.288 and 100 · 0.76/V = 0.912; 100 (1 − 1/2)/40 = 1.25.
    // C1: u = 10 (1.25 − 0.288) = 9.62 twice, 10 (−1.25 + 0.912) = −3.38 twice: mean 3.12,
    //     Σ(u − ū)² = 4 · 6.5² = 169, × (1 − 4/40) · 4/3 = 202.8.
    // C2: u = −2.88 three times: 0.
    // C3: u = −(20/3) · 0.288 = −1.92 twice and 0 (the blank): mean −1.28,
    //     Σ(u − ū)² = 2 · 0.64² + 1.28² = 2.4576, × (1 − 3/20) · 3/2 = 3.13344.
    const se = Math.sqrt(202.8 + 3.13344);
    close(a1?.se, se);
    close(a1?.ci?.[0], -26 - Z_975 * se);
    close(a1?.ci?.[1], -26 + Z_975 * se);
    expect(a1?.below).toBe(false);
  });
});
