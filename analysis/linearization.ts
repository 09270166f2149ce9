// Standard errors by Taylor linearization (spec §5), as R's survey package computes them for
// svydesign(ids = ~1[, strata = ~counter, fpc = ~transactions]) and svycontrast of an index.
//
// Every index is a linear combination of ratios: I = Σ_c a_c · 100 · S_c / V_c, where a
// ratio c pools the satisfied (S) and valid (V) weighted totals of a set of items (one item
// for an item index or a mean of items; several for a pooled rule). Its linearized value for
// respondent r is u_r = w_r · y_r with y_r = Σ_i φ_i(answer_ri), where
// φ_i(a) = Σ_{c ∋ i} (100 a_c / V_c) (s(a) − p_c v(a)) and p_c = S_c / V_c. Because y_r
// depends only on the answers, a stratum's contribution needs only n_h, Σ y and Σ y²; and
// because y_r is linear in the respondent's s and v, those follow from per-counter tallies of
// answer sets and their pairs (`tallyAtoms`, `sumsFromProducts`) that the database keeps.
import type { Design, ScoringRules } from './rules.ts';

/**
 * An answer code of a sat5 item for a respondent whom its skip rule (shared/rules.ts) did not
 * ask (PA2-PA4 after PAQ ≠ 1): not a blank, so in no answer set, neither satisfied nor valid
 * under any rule. It still fits the three bits a tally keeps per answer
 * (db/repositories/tally-fold.sql).
 */
export const NOT_ASKED = 6;

/** Answer codes run 0 (asked, left blank), 1 … 5, NOT_ASKED: every lookup table has seven. */
const ANSWER_SLOTS = NOT_ASKED + 1;

/** What the rules make of each answer code a = 0 (blank) … 5 and NOT_ASKED. */
export interface AnswerScale {
  /** s(a): how satisfied; 0 or 1 under `share`, (a − 1) / 4 under `mean`. */
  readonly s: readonly number[];
  /** v(a): 1 when the answer counts as valid. */
  readonly v: readonly number[];
  /** Whether a is in the satisfied set (for the unweighted `satisfied` count). */
  readonly satisfied: readonly boolean[];
}

export function answerScale(rules: ScoringRules): AnswerScale {
  const answers = Array.from({ length: ANSWER_SLOTS }, (_, a) => a);
  const given = (a: number) => a > 0 && a < NOT_ASKED;
  const satisfied = answers.map((a) => given(a) && rules.satisfied.includes(a));
  return {
    s: answers.map((a) => {
      if (!given(a)) return 0;
      if (rules.score === 'mean') return (a - 1) / 4;
      return satisfied[a] ? 1 : 0;
    }),
    v: answers.map((a) => (given(a) || (a === 0 && rules.blanks === 'unsatisfied') ? 1 : 0)),
    satisfied,
  };
}

/**
 * An index: a ratio, 100 × (Σ S over the items) / (Σ V over the items), or the mean of other
 * indices. Values are computed along the tree (a mean of indices of 100 is exactly 100);
 * the linearization flattens it into ratios with weights.
 */
export type Composite =
  { readonly items: readonly number[] } | { readonly mean: readonly Composite[] };

/** Weighted satisfied and valid totals of each sat5 item in one pool of respondents. */
export interface ItemTotals {
  readonly satisfied: readonly number[];
  readonly valid: readonly number[];
}

const sumOver = (values: readonly number[], items: readonly number[]) =>
  items.reduce((total, k) => total + (values[k] ?? 0), 0);

/** Same as `factor: meanOfItems` etc.: the mean of the defined parts, null if none is. */
export function meanOf(parts: readonly (Composite | null)[]): Composite | null {
  const defined = parts.filter((part): part is Composite => part !== null);
  return defined.length === 0 ? null : { mean: defined };
}

/** One ratio over the items' pooled answers; null when none of them has a valid answer. */
export function pooledOf(items: readonly number[], totals: ItemTotals): Composite | null {
  const valid = items.filter((k) => (totals.valid[k] ?? 0) > 0);
  return valid.length === 0 ? null : { items: valid };
}

export function compositeValue(composite: Composite, totals: ItemTotals): number {
  if ('items' in composite) {
    // The share first: S / V is exactly 1 when S = V and never above it (S ≤ V), whereas
    // (100 × S) / V can round to 100.00000000000001.
    return (
      100 * (sumOver(totals.satisfied, composite.items) / sumOver(totals.valid, composite.items))
    );
  }
  const sum = composite.mean.reduce((total, part) => total + compositeValue(part, totals), 0);
  return sum / composite.mean.length;
}

/** The ratios of an index with their shares a_c in it. */
function ratios(composite: Composite, weight = 1): { items: readonly number[]; weight: number }[] {
  if ('items' in composite) return [{ items: composite.items, weight }];
  return composite.mean.flatMap((part) => ratios(part, weight / composite.mean.length));
}

/** φ_i(a) = α s(a) − β v(a): α = Σ_{c ∋ i} 100 a_c / V_c and β = Σ_{c ∋ i} 100 a_c p_c / V_c. */
export interface PhiCoefficients {
  readonly alpha: number;
  readonly beta: number;
}

/** α and β of φ_i for each item the composite involves, by item ordinal. */
export function compositeCoefficients(
  composite: Composite,
  totals: ItemTotals,
): Map<number, PhiCoefficients> {
  const coefficients = new Map<number, PhiCoefficients>();
  for (const c of ratios(composite)) {
    const valid = sumOver(totals.valid, c.items);
    const share = sumOver(totals.satisfied, c.items) / valid;
    const coefficient = (100 * c.weight) / valid;
    for (const k of c.items) {
      const before = coefficients.get(k) ?? { alpha: 0, beta: 0 };
      coefficients.set(k, {
        alpha: before.alpha + coefficient,
        beta: before.beta + coefficient * share,
      });
    }
  }
  return coefficients;
}

/** φ_i(a) for each item the composite involves: item ordinal → a value per answer code. */
export function compositePhi(
  composite: Composite,
  totals: ItemTotals,
  scale: AnswerScale,
): Map<number, number[]> {
  return new Map(
    [...compositeCoefficients(composite, totals)].map(([k, c]) => [k, phiOf(c, scale)]),
  );
}

/** φ(a) for every answer code a (0 for NOT_ASKED). */
export function phiOf({ alpha, beta }: PhiCoefficients, scale: AnswerScale): number[] {
  const phi = new Array<number>(ANSWER_SLOTS);
  for (let a = 0; a < ANSWER_SLOTS; a++)
    phi[a] = alpha * (scale.s[a] ?? 0) - beta * (scale.v[a] ?? 0);
  return phi;
}

/** Σ u and Σ u² over one stratum's respondents. */
export interface StratumSums {
  readonly t1: number;
  readonly t2: number;
}

/** One counter of a group: its respondents n_h and transactions N_h. */
export interface Stratum {
  readonly respondents: number;
  readonly transactions: number | null;
}

/**
 * The standard error of an index from its per-stratum sums (strata without sums contribute
 * zeros). `srs`: one stratum of all the group's respondents, no finite population correction;
 * null for fewer than two respondents. `stratified`: strata are counters with the correction
 * 1 − n_h/N_h; a counter of one respondent adds nothing (survey.lonely.psu = "certainty").
 */
export function standardError(
  sums: ReadonlyMap<number, StratumSums>,
  strata: ReadonlyMap<number, Stratum>,
  design: Design,
): number | null {
  let variance = 0;
  if (design === 'srs') {
    let n = 0;
    for (const stratum of strata.values()) n += stratum.respondents;
    if (n < 2) return null;
    let t1 = 0;
    let t2 = 0;
    for (const s of sums.values()) {
      t1 += s.t1;
      t2 += s.t2;
    }
    variance = (n / (n - 1)) * (t2 - (t1 * t1) / n);
  } else {
    for (const [id, s] of sums) {
      const stratum = strata.get(id);
      if (!stratum || stratum.respondents < 2) continue;
      const n = stratum.respondents;
      if (stratum.transactions === null) throw new Error(`stratum ${id} has no transactions`);
      const fpc = 1 - n / stratum.transactions;
      variance += ((fpc * n) / (n - 1)) * (s.t2 - (s.t1 * s.t1) / n);
    }
  }
  // Rounding can leave a zero variance a hair below 0.
  return Math.sqrt(Math.max(0, variance));
}

/** Sums of a per-respondent value over a stratum, from how many respondents gave each answer. */
export function sumsFromCounts(
  phi: readonly number[],
  counts: readonly number[],
  weight: number,
): StratumSums {
  let y1 = 0;
  let y2 = 0;
  for (let a = 0; a < ANSWER_SLOTS; a++) {
    const n = counts[a] ?? 0;
    const y = phi[a] ?? 0;
    y1 += n * y;
    y2 += n * y * y;
  }
  return { t1: weight * y1, t2: weight * weight * y2 };
}

/**
 * A set of answers to one sat5 item whose respondents the tallies cross with every other set's
 * (db migration 2026_11_22_0600, db/repositories/tally-fold.sql): `answers` has bit a set for
 * each answer a in it (0 = blank). The sets of an item are the level sets of s and of v, so
 * s(a) is the `s` weight of the item's set holding a (0 if none), and likewise v(a).
 */
export interface TallyAtom {
  /** The item's ordinal among the instrument's sat5 items. */
  readonly item: number;
  readonly answers: number;
  readonly s: number;
  readonly v: number;
}

/**
 * The answer sets of the campaign's rules, items in order. With x_r = (s_r1…s_rK, v_r1…v_rK)
 * and y_r = Σ_i α_i s_ri − β_i v_ri, Σ_r y_r² = dᵀ (Σ_r x_r x_rᵀ) d for d = (α, −β) whatever the
 * group and the index: so a counter's pairwise counts of these sets serve every score.
 * Under `share` an item has two sets (satisfied, valid); under `mean` five.
 */
export function tallyAtoms(scale: AnswerScale, items: number): TallyAtom[] {
  const levelSets = (values: readonly number[], kind: 's' | 'v') => {
    const sets = new Map<number, number>();
    values.forEach((value, a) => {
      if (value !== 0) sets.set(value, (sets.get(value) ?? 0) | (1 << a));
    });
    return [...sets].map(([value, answers]) => ({
      answers,
      s: kind === 's' ? value : 0,
      v: kind === 'v' ? value : 0,
    }));
  };
  const perItem = [...levelSets(scale.s, 's'), ...levelSets(scale.v, 'v')];
  return Array.from({ length: items }, (_, item) =>
    perItem.map((set) => ({ item, ...set })),
  ).flat();
}

/** Where the count of atoms a ≤ b sits in a tally's upper triangle of m atoms, row by row. */
export const productIndex = (m: number, a: number, b: number): number =>
  a * m - (a * (a - 1)) / 2 + (b - a);

/**
 * Σ y and Σ y² over a counter's respondents for y = Σ over the terms of α s(answer) − β v(answer),
 * from the counter's tallied products (in `tallyAtoms` order).
 */
export function sumsFromProducts(
  atoms: readonly TallyAtom[],
  products: ArrayLike<number>,
  terms: readonly ({ item: number } & PhiCoefficients)[],
): { sumY: number; sumY2: number } {
  const m = atoms.length;
  const byItem = new Map(terms.map((term) => [term.item, term]));
  const used: { atom: number; d: number }[] = [];
  atoms.forEach((atom, index) => {
    const term = byItem.get(atom.item);
    if (term) used.push({ atom: index, d: term.alpha * atom.s - term.beta * atom.v });
  });
  let sumY = 0;
  let sumY2 = 0;
  for (let i = 0; i < used.length; i++) {
    const a = used[i];
    if (!a) continue;
    const own = products[productIndex(m, a.atom, a.atom)] ?? 0;
    sumY += a.d * own;
    let cross = 0;
    for (let j = i + 1; j < used.length; j++) {
      const b = used[j];
      if (b) cross += b.d * (products[productIndex(m, a.atom, b.atom)] ?? 0);
    }
    sumY2 += a.d * (a.d * own + 2 * cross);
  }
  return { sumY, sumY2 };
}
