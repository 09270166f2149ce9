// Standard errors by Taylor linearization (spec §5), as R's survey package computes them for
// svydesign(ids = ~1[, strata = ~counter, fpc = ~transactions]) and svycontrast of an index.
//
// Every index is a linear combination of ratios: I = Σ_c a_c · 100 · S_c / V_c, where a
// ratio c pools the satisfied (S) and valid (V) weighted totals of a set of items (one item
// for an item index or a mean of items; several for a pooled rule). Its linearized value for
// respondent r is u_r = w_r · y_r with y_r = Σ_i φ_i(answer_ri), where
// φ_i(a) = Σ_{c ∋ i} (100 a_c / V_c) (s(a) − p_c v(a)) and p_c = S_c / V_c. Because y_r
// depends only on the answers, a stratum's contribution needs only n_h, ȳ and Σ (y − ȳ)²; and
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
export const ANSWER_SLOTS = NOT_ASKED + 1;

/**
 * The answer codes a tally counts per sat5 item, 0 (asked, left blank) to 5: those not asked
 * follow from the counter's respondents.
 */
export const TALLIED_ANSWERS = NOT_ASKED;

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

/** Σ values[k] over the items, in their order (a loop: scorings by counter ask it often). */
function sumOver(values: readonly number[], items: readonly number[]): number {
  let total = 0;
  for (const k of items) total += values[k] ?? 0;
  return total;
}

/** Same as `factor: meanOfItems` etc.: the mean of the defined parts, null if none is. */
export function meanOf(parts: readonly (Composite | null)[]): Composite | null {
  const defined = parts.filter((part): part is Composite => part !== null);
  return defined.length === 0 ? null : { mean: defined };
}

const hasValid = (totals: ItemTotals, k: number): boolean => (totals.valid[k] ?? 0) > 0;

/** One ratio over the items' pooled answers; null when none of them has a valid answer. */
export function pooledOf(
  items: readonly number[],
  totals: ItemTotals,
): { readonly items: readonly number[] } | null {
  // Most often every item has valid answers: the ratio is then over the items as given, no
  // copy. A loop and no closure: by counter, a scoring asks this for every index of every pool.
  let all = true;
  for (const k of items) {
    if (!hasValid(totals, k)) {
      all = false;
      break;
    }
  }
  const valid = all ? items : items.filter((k) => hasValid(totals, k));
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
  // A loop, in the order of a reduce from 0.
  let sum = 0;
  for (const part of composite.mean) sum += compositeValue(part, totals);
  return sum / composite.mean.length;
}

/** φ_i(a) = α s(a) − β v(a): α = Σ_{c ∋ i} 100 a_c / V_c and β = Σ_{c ∋ i} 100 a_c p_c / V_c. */
export interface PhiCoefficients {
  readonly alpha: number;
  readonly beta: number;
}

/**
 * What one ratio c, of share a_c = `weight` in its index, adds to α and β of φ_i for each of its
 * items. An item's own index is one ratio of weight 1, whose coefficients these are: read
 * directly, without `compositeTerms`' sums by item (by counter, a scoring asks them for every
 * item of a thousand pools).
 */
export function ratioCoefficients(
  items: readonly number[],
  totals: ItemTotals,
  weight = 1,
): PhiCoefficients {
  const valid = sumOver(totals.valid, items);
  const share = sumOver(totals.satisfied, items) / valid;
  const coefficient = (100 * weight) / valid;
  return { alpha: coefficient, beta: coefficient * share };
}

/** `compositeTerms`' sums by item, kept between calls and grown as needed. */
let termSums = { alphas: new Float64Array(0), betas: new Float64Array(0), used: new Uint8Array(0) };

/**
 * Adds into `termSums` what each ratio of `composite` adds to α and β of its items, ratios in
 * the order of the tree. `weight` is the share of `composite` in the index, so a ratio's share
 * a_c is `weight` times its share in `composite`.
 */
function addRatioCoefficients(composite: Composite, totals: ItemTotals, weight: number): void {
  if ('items' in composite) {
    const { alpha, beta } = ratioCoefficients(composite.items, totals, weight);
    const { alphas, betas, used } = termSums;
    for (const k of composite.items) {
      alphas[k] = (alphas[k] ?? 0) + alpha;
      betas[k] = (betas[k] ?? 0) + beta;
      used[k] = 1;
    }
    return;
  }
  for (const part of composite.mean) {
    addRatioCoefficients(part, totals, weight / composite.mean.length);
  }
}

/**
 * The terms of an index: α and β of φ_i for each item it involves, in item order, each the sum
 * of what its ratios add in their order. Sums in buffers kept between calls rather than arrays
 * and objects a call: a scoring by counter asks this for every factor of a thousand pools.
 */
export function compositeTerms(composite: Composite, totals: ItemTotals): Terms {
  const items = totals.valid.length;
  if (termSums.used.length < items) {
    termSums = {
      alphas: new Float64Array(items),
      betas: new Float64Array(items),
      used: new Uint8Array(items),
    };
  }
  const { alphas, betas, used } = termSums;
  alphas.fill(0, 0, items);
  betas.fill(0, 0, items);
  used.fill(0, 0, items);
  addRatioCoefficients(composite, totals, 1);
  const terms: ({ item: number } & PhiCoefficients)[] = [];
  for (let k = 0; k < items; k++) {
    if (used[k] === 1) terms.push({ item: k, alpha: alphas[k] ?? 0, beta: betas[k] ?? 0 });
  }
  return terms;
}

/** φ(a) for every answer code a (0 for NOT_ASKED), in `into` when given. */
export function phiOf(coefficients: PhiCoefficients, scale: AnswerScale): number[];
export function phiOf(
  coefficients: PhiCoefficients,
  scale: AnswerScale,
  into: Float64Array,
): Float64Array;
export function phiOf(
  { alpha, beta }: PhiCoefficients,
  scale: AnswerScale,
  into: number[] | Float64Array = new Array<number>(ANSWER_SLOTS),
): number[] | Float64Array {
  for (let a = 0; a < ANSWER_SLOTS; a++)
    into[a] = alpha * (scale.s[a] ?? 0) - beta * (scale.v[a] ?? 0);
  return into;
}

/**
 * A stratum's respondents' values u: their mean and Σ (u − ū)². Centred sums, and not Σ u and
 * Σ u²: Σ u² − (Σ u)² / n loses to rounding all the digits the two terms share, so that a
 * variance of exactly 0 came out as the square of a rounding residue (a standard error of
 * about 1e-7).
 */
export interface StratumSums {
  readonly mean: number;
  readonly ss: number;
}

/** One counter of a group: its respondents n_h and transactions N_h. */
export interface Stratum {
  readonly respondents: number;
  readonly transactions: number | null;
}

/** Linearized sums over some of a group's respondents, weighted: a counter's, or a pool's. */
export interface PartSums extends StratumSums {
  readonly respondents: number;
}

/**
 * What an index's variance is made of over a set of a group's respondents. `srs`: the sums of
 * its parts (a pool, or each counter), whose means pooling them needs. `stratified`: the
 * strata's Σ_h g_h ss_h (`stratumFactor`), which add up as they are.
 */
export type Spread = { readonly parts: readonly PartSums[] } | { readonly variance: number };

/**
 * g_h of a stratified variance Σ_h g_h ss_h: the finite population correction 1 − n_h/N_h
 * times n_h/(n_h − 1); 0 for a counter of one respondent (survey.lonely.psu = "certainty").
 */
export function stratumFactor(stratum: Stratum, id: number): number {
  const n = stratum.respondents;
  if (n < 2) return 0;
  if (stratum.transactions === null) throw new Error(`stratum ${id} has no transactions`);
  return ((1 - n / stratum.transactions) * n) / (n - 1);
}

/**
 * The standard error of an index from its spread over a group of `respondents`. `srs`: one
 * stratum of all of them, no finite population correction, null for fewer than two; the
 * respondents in no part have u = 0. `stratified`: strata are counters.
 */
export function spreadError(spread: Spread, respondents: number): number | null {
  let variance: number;
  if ('parts' in spread) {
    const n = respondents;
    if (n < 2) return null;
    // Σ (u − ū)² over the pool: the parts' own, and Σ n_p (ū_p − ū)² between them, taken
    // about the first part's mean r so that parts of equal means add exactly 0.
    // No closure for a part's step: a scoring by counter asks this tens of thousands of times.
    let within = 0;
    let reference: number | null = null;
    let shift = 0;
    let shifted2 = 0;
    let counted = 0;
    for (const part of spread.parts) {
      if (part.respondents === 0) continue;
      within += part.ss;
      counted += part.respondents;
      reference ??= part.mean;
      const delta = part.mean - reference;
      shift += part.respondents * delta;
      shifted2 += part.respondents * delta * delta;
    }
    // The respondents in no part, at u = 0.
    if (counted < n) {
      const delta = 0 - (reference ?? 0);
      shift += (n - counted) * delta;
      shifted2 += (n - counted) * delta * delta;
    }
    variance = (n / (n - 1)) * (within + shifted2 - (shift * shift) / n);
  } else {
    variance = spread.variance;
  }
  // Rounding can leave a zero variance a hair below 0.
  return Math.sqrt(Math.max(0, variance));
}

/** The spread of an index under `design` from each stratum's weighted sums. */
export function spreadOf(
  sums: ReadonlyMap<number, StratumSums>,
  strata: ReadonlyMap<number, Stratum>,
  design: Design,
): Spread {
  if (design === 'srs') {
    const parts: PartSums[] = [];
    for (const [id, stratum] of strata) {
      if (stratum.respondents === 0) continue;
      parts.push({ respondents: stratum.respondents, ...(sums.get(id) ?? { mean: 0, ss: 0 }) });
    }
    return { parts };
  }
  let variance = 0;
  for (const [id, s] of sums) {
    const stratum = strata.get(id);
    if (stratum) variance += stratumFactor(stratum, id) * s.ss;
  }
  return { variance };
}

/**
 * The standard error of an index from its per-stratum sums (strata without sums contribute
 * zeros), under `design` (`spreadError`).
 */
export function standardError(
  sums: ReadonlyMap<number, StratumSums>,
  strata: ReadonlyMap<number, Stratum>,
  design: Design,
): number | null {
  let respondents = 0;
  for (const stratum of strata.values()) respondents += stratum.respondents;
  return spreadError(spreadOf(sums, strata, design), respondents);
}

/**
 * Sums of a per-respondent value over a stratum, from how many respondents gave each answer
 * code (NOT_ASKED included), counts[at + a]. Σ (y − ȳ)² is taken as Σ_{a<b} n_a n_b (φ_a −
 * φ_b)² / n: exactly 0 when every respondent's φ is the same number.
 */
export function sumsFromCounts(
  phi: ArrayLike<number>,
  counts: ArrayLike<number>,
  weight: number,
  at = 0,
): StratumSums {
  let n = 0;
  for (let a = 0; a < ANSWER_SLOTS; a++) n += counts[at + a] ?? 0;
  if (n === 0) return { mean: 0, ss: 0 };
  let mean = 0;
  let pairs = 0;
  for (let a = 0; a < ANSWER_SLOTS; a++) {
    const na = counts[at + a] ?? 0;
    if (na === 0) continue;
    const y = phi[a] ?? 0;
    mean += (na / n) * y;
    for (let b = a + 1; b < ANSWER_SLOTS; b++) {
      const gap = y - (phi[b] ?? 0);
      pairs += na * (counts[at + b] ?? 0) * gap * gap;
    }
  }
  return { mean: weight * mean, ss: (weight * weight * pairs) / n };
}

/**
 * A set of answers to one sat5 item whose respondents the tallies cross with every other set's
 * (db migration 2026_11_22_0600, db/repositories/tally-fold.sql): `answers` has bit a set for
 * each answer a in it (0 = blank). An item's sets are disjoint, and every answer in a set has
 * the set's s(a) and v(a); an answer in none has s = v = 0.
 */
export interface TallyAtom {
  /** The item's ordinal among the instrument's sat5 items. */
  readonly item: number;
  readonly answers: number;
  readonly s: number;
  readonly v: number;
}

/**
 * The answer sets of the campaign's rules, items in order: for each item, the answers of each
 * value of s ≠ 0 (`share`: the satisfied set; `mean`: 2, 3, 4 and 5, one set each), then the
 * valid answers of s = 0. With x_r the respondent's membership of each set and d_a = α s_a − β
 * v_a, y_r = Σ_i α_i s_ri − β_i v_ri = dᵀ x_r and Σ_r y_r² = dᵀ (Σ_r x_r x_rᵀ) d whatever the
 * group and the index: so a counter's pairwise counts of these sets serve every score.
 * Disjoint sets, not the level sets of s and v (the valid set holding the satisfied one): over
 * nested sets a satisfied answer weighed α s on its set and −β on the valid one, and where an
 * index is 100 (α = β) the variance cancelled two large terms, leaving a rounding residue where
 * it is 0; here each answer weighs φ itself, in one set (issue 19: until 2026_12_10_0100 the
 * tallies were kept over nested sets, and every scoring restated each counter's over these).
 */
export function tallyAtoms(scale: AnswerScale, items: number): TallyAtom[] {
  const sets: { answers: number; s: number; v: number }[] = [];
  const into = (a: number, s: number, v: number) => {
    const set = sets.find((one) => one.s === s && one.v === v);
    if (set) set.answers |= 1 << a;
    else sets.push({ answers: 1 << a, s, v });
  };
  const answers = Array.from({ length: ANSWER_SLOTS }, (_, a) => a);
  for (const a of answers) {
    const s = scale.s[a] ?? 0;
    if (s === 0) continue;
    if ((scale.v[a] ?? 0) === 0) throw new Error(`answer ${a} is satisfied but not valid`);
    into(a, s, scale.v[a] ?? 0);
  }
  for (const a of answers) {
    const v = scale.v[a] ?? 0;
    if ((scale.s[a] ?? 0) === 0 && v !== 0) into(a, 0, v);
  }
  return Array.from({ length: items }, (_, item) => sets.map((set) => ({ item, ...set }))).flat();
}

/** Where the count of atoms a ≤ b sits in a tally's upper triangle of m atoms, row by row. */
export const productIndex = (m: number, a: number, b: number): number =>
  a * m - (a * (a - 1)) / 2 + (b - a);

/** A counter's (or a pool's) tally: the pairwise counts of its answer sets, `productIndex`. */
export interface Tally {
  readonly atoms: readonly TallyAtom[];
  readonly products: ArrayLike<number>;
}

/** The terms of an index: α and β of φ for each item it involves. */
export type Terms = readonly ({ item: number } & PhiCoefficients)[];

/** `termWeights`' buffers (and the atoms' counts for `sumsFromProducts`), grown as needed. */
let scratch = { used: new Int32Array(0), d: new Float64Array(0), counts: new Float64Array(0) };

/**
 * The atoms of the terms' items, in order, with d_a = α s_a − β v_a of each, in buffers kept
 * between calls (a scoring makes thousands): valid until the next call.
 */
function termWeights(atoms: readonly TallyAtom[], terms: Terms) {
  const m = atoms.length;
  // The last term of an item stands, as a map by item would keep it.
  const byItem: (PhiCoefficients | undefined)[] = [];
  for (const term of terms) byItem[term.item] = term;
  if (scratch.used.length < m) {
    scratch = { used: new Int32Array(m), d: new Float64Array(m), counts: new Float64Array(m) };
  }
  const { used, d, counts } = scratch;
  let size = 0;
  for (let index = 0; index < m; index++) {
    const atom = atoms[index];
    const term = atom === undefined ? undefined : byItem[atom.item];
    if (atom === undefined || term === undefined) continue;
    used[size] = index;
    d[size] = term.alpha * atom.s - term.beta * atom.v;
    size++;
  }
  return { used, d, counts, size };
}

/**
 * The mean of y and Σ (y − ȳ)² over a counter's n respondents for y = Σ over the terms of
 * α s(answer) − β v(answer), from the counter's tally. With c_a the
 * respondents in set a and P_ab those in both, n Σ (y − ȳ)² = Σ_ab d_a d_b (n P_ab − c_a c_b):
 * the centred counts are exact integers, so that respondents all alike give exactly 0.
 */
export function sumsFromProducts(
  tally: Tally,
  respondents: number,
  terms: Terms,
): { mean: number; ss: number } {
  const { atoms, products } = tally;
  if (respondents === 0) return { mean: 0, ss: 0 };
  const m = atoms.length;
  const n = respondents;
  const { used, d, counts, size } = termWeights(atoms, terms);
  for (let i = 0; i < size; i++) {
    const a = used[i] ?? 0;
    counts[i] = products[productIndex(m, a, a)] ?? 0;
  }
  let mean = 0;
  let centred = 0;
  for (let i = 0; i < size; i++) {
    const da = d[i] ?? 0;
    const ca = counts[i] ?? 0;
    // productIndex(m, a, b) for this atom a and any b ≥ a.
    const row = productIndex(m, used[i] ?? 0, 0);
    mean += da * (ca / n);
    let cross = 0;
    for (let j = i + 1; j < size; j++) {
      const cb = counts[j] ?? 0;
      cross += (d[j] ?? 0) * (n * (products[row + (used[j] ?? 0)] ?? 0) - ca * cb);
    }
    centred += da * (da * (n * ca - ca * ca) + 2 * cross);
  }
  return { mean, ss: centred / n };
}

/** dᵀ M d for the terms' d over the atoms, M symmetric, its upper triangle row by row. */
function quadraticForm(atoms: readonly TallyAtom[], matrix: Float64Array, terms: Terms): number {
  const m = atoms.length;
  const { used, d, size } = termWeights(atoms, terms);
  let form = 0;
  for (let i = 0; i < size; i++) {
    const da = d[i] ?? 0;
    const row = productIndex(m, used[i] ?? 0, 0);
    let cross = 0;
    for (let j = i + 1; j < size; j++) cross += (d[j] ?? 0) * (matrix[row + (used[j] ?? 0)] ?? 0);
    form += da * (da * (matrix[row + (used[i] ?? 0)] ?? 0) + 2 * cross);
  }
  return form;
}

/** One counter of a pool: its respondents n_h, transactions N_h and weight w_h. */
export interface PoolStratum extends Stratum {
  readonly id: number;
  readonly weight: number;
}

/**
 * The spreads of indices over pools of counters from their tallies (`productsOf`: a counter's
 * products over `atoms`, none for a counter without respondents), worked out once a pool so that
 * each index of it costs one pass over its atom pairs, not one a counter (issue 19: a campaign
 * scored by all made a thousand for each index).
 * `srs`: every respondent weighs 1, so the pool is one part whose tally is the sum of its
 * counters' (whole numbers: exact). `stratified`: Σ_h g_h ss_h = dᵀ M d with
 * M = Σ_h g_h w_h² (n_h P_h − c_h c_hᵀ) / n_h, each counter's bracket exact integers as in
 * `sumsFromProducts`, so that respondents all alike still give exactly 0. A pool's spreads
 * hold until the next pool is asked.
 */
export function talliedSpreads(
  atoms: readonly TallyAtom[],
  productsOf: (counterId: number) => ArrayLike<number> | undefined,
): (pool: readonly PoolStratum[], design: Design) => (terms: Terms) => Spread {
  const m = atoms.length;
  const diagonal = Int32Array.from({ length: m }, (_, a) => productIndex(m, a, a));
  // A pool's sums, in a buffer kept from one pool to the next: a scoring by counter prepares a
  // thousand pools, and a buffer each was 9 MB to collect.
  const sums = new Float64Array((m * (m + 1)) / 2);
  return (pool, design) => {
    if (design === 'srs') {
      let respondents = 0;
      for (const stratum of pool) respondents += stratum.respondents;
      // A pool of one counter (each pool by counter) reads its own products, not a copy.
      const alone = pool.length === 1 && pool[0] ? productsOf(pool[0].id) : undefined;
      if (alone === undefined) {
        sums.fill(0);
        for (const stratum of pool) {
          const products = productsOf(stratum.id);
          if (products === undefined) continue;
          for (let at = 0; at < sums.length; at++) sums[at] = (sums[at] ?? 0) + (products[at] ?? 0);
        }
      }
      const tally = { atoms, products: alone ?? sums };
      return (terms) => {
        const { mean, ss } = sumsFromProducts(tally, respondents, terms);
        return { parts: [{ respondents, mean, ss }] };
      };
    }
    sums.fill(0);
    for (const stratum of pool) {
      const factor = stratumFactor(stratum, stratum.id);
      const products = productsOf(stratum.id);
      if (factor === 0 || products === undefined) continue;
      const n = stratum.respondents;
      const scale = (factor * stratum.weight * stratum.weight) / n;
      for (let a = 0; a < m; a++) {
        const row = productIndex(m, a, 0);
        const ca = products[diagonal[a] ?? 0] ?? 0;
        for (let b = a; b < m; b++) {
          const centred = n * (products[row + b] ?? 0) - ca * (products[diagonal[b] ?? 0] ?? 0);
          sums[row + b] = (sums[row + b] ?? 0) + scale * centred;
        }
      }
    }
    return (terms) => ({ variance: quadraticForm(atoms, sums, terms) });
  };
}
