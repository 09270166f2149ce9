// Standard errors by Taylor linearization (spec §5), as R's survey package computes them for
// svydesign(ids = ~1[, strata = ~counter, fpc = ~transactions]) and svycontrast of an index.
//
// Every index is a linear combination of ratios: I = Σ_c a_c · 100 · S_c / V_c, where a
// ratio c pools the satisfied (S) and valid (V) weighted totals of a set of items (one item
// for an item index or a mean of items; several for a pooled rule). Its linearized value for
// respondent r is u_r = w_r · y_r with y_r = Σ_i φ_i(answer_ri), where
// φ_i(a) = Σ_{c ∋ i} (100 a_c / V_c) (s(a) − p_c v(a)) and p_c = S_c / V_c. Because y_r
// depends only on the answers, a stratum's contribution needs only n_h, Σ y and Σ y²; the
// database computes those (analysis/queries/linearized-sums.sql) without sending a response.
import type { Design, ScoringRules } from './rules.ts';

/** Stored answers to a sat5 item run 0 (blank) to 5: every lookup table has six entries. */
const ANSWER_SLOTS = 6;

/** What the rules make of each answer a = 0 (blank) … 5. */
export interface AnswerScale {
  /** s(a): how satisfied; 0 or 1 under `share`, (a − 1) / 4 under `mean`. */
  readonly s: readonly number[];
  /** v(a): 1 when the answer counts as valid. */
  readonly v: readonly number[];
  /** Whether a is in the satisfied set (for the unweighted `satisfied` count). */
  readonly satisfied: readonly boolean[];
}

export function answerScale(rules: ScoringRules): AnswerScale {
  const answers = [0, 1, 2, 3, 4, 5];
  const satisfied = answers.map((a) => a > 0 && rules.satisfied.includes(a));
  return {
    s: answers.map((a) => {
      if (a === 0) return 0;
      if (rules.score === 'mean') return (a - 1) / 4;
      return satisfied[a] ? 1 : 0;
    }),
    v: answers.map((a) => (a > 0 || rules.blanks === 'unsatisfied' ? 1 : 0)),
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
    return (
      (100 * sumOver(totals.satisfied, composite.items)) / sumOver(totals.valid, composite.items)
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

/** φ_i(a) for each item the composite involves: item ordinal → six values (a = 0 … 5). */
export function compositePhi(
  composite: Composite,
  totals: ItemTotals,
  scale: AnswerScale,
): Map<number, number[]> {
  const phi = new Map<number, number[]>();
  for (const c of ratios(composite)) {
    const valid = sumOver(totals.valid, c.items);
    const share = sumOver(totals.satisfied, c.items) / valid;
    const coefficient = (100 * c.weight) / valid;
    for (const k of c.items) {
      const before = phi.get(k) ?? new Array<number>(ANSWER_SLOTS).fill(0);
      phi.set(
        k,
        before.map(
          (value, a) => value + coefficient * ((scale.s[a] ?? 0) - share * (scale.v[a] ?? 0)),
        ),
      );
    }
  }
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
