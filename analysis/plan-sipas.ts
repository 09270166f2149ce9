// The SIPAS items on which a unit is significantly below its peers (par-cycle.md §6,
// docs/plans.md "Items below the peers"): each sat5 item's index among the unit's respondents
// against the pooled index of all the peers' respondents (the unit's included), the difference
// as a contrast of the two ratios (svycontrast), its standard error by Taylor linearization over
// the pool's respondents under the campaign's design, and its 95% interval. From the counters'
// answer counts alone (the tallies the scores read): no response is held here.
import type { Instrument } from './instrument.ts';
import { satisfactionItems } from './instrument.ts';
import {
  ANSWER_SLOTS,
  answerScale,
  phiOf,
  standardError,
  sumsFromCounts,
  type ItemTotals,
  type Stratum,
  type StratumSums,
} from './linearization.ts';
import { Z_975, type ScoringRules } from './rules.ts';
import {
  itemTotalsOf,
  layoutOf,
  membersOf,
  stratumWeight,
  type CounterFacts,
  type Weighted,
} from './scoring.ts';

/** One sat5 item of the unit against the peers' pool. */
export interface ItemContrast {
  item: string;
  /** The item's Vietnamese text. */
  text: string;
  /** Its factor; empty for an item of none (the overall question). */
  factor: string;
  /** 100 × S_u / V_u over the unit's respondents. */
  index: number;
  /** 100 × S / V over the pool's. */
  peersIndex: number;
  difference: number;
  /** Null when the pool cannot give one (srs: fewer than two respondents). */
  se: number | null;
  ci: [number, number] | null;
  /** The interval lies wholly below 0. */
  below: boolean;
}

export interface ItemContrastRequest {
  instrument: Instrument;
  rules: ScoringRules;
  /** The counters of every peer (the unit's among them) in the campaign. */
  pool: readonly CounterFacts[];
  /** The ids of those counters that are the unit's (its subtree's on the campaign's map). */
  unit: ReadonlySet<number>;
}

/**
 * Each sat5 item with valid answers at the unit, in instrument order. With p_u = S_u / V_u and
 * p = S / V, respondent r of counter h (weight w_h) has the linearized value
 *   u_r = w_h · [1{h is the unit's} · 100 (s_r − p_u v_r) / V_u − 100 (s_r − p v_r) / V],
 * a function of r's answer alone within a counter: so each counter's sums follow from its
 * answer counts (linearization.ts `sumsFromCounts`), and the variance is the design's over the
 * pool (srs, or counters as strata with their finite population correction).
 */
export function itemContrasts(request: ItemContrastRequest): ItemContrast[] {
  const { instrument, rules } = request;
  const layout = layoutOf(instrument);
  const scale = answerScale(rules);
  const members = membersOf(request.pool, layout);
  const pool: Weighted[] = members.map((member) => ({
    member,
    weight: stratumWeight(member, rules.design),
  }));
  const mine = pool.filter(({ member }) => request.unit.has(member.counter.id));
  const unitTotals = itemTotalsOf(mine, layout, scale);
  const poolTotals = itemTotalsOf(pool, layout, scale);
  const strata = new Map<number, Stratum>(
    members.map((m) => [
      m.counter.id,
      { respondents: m.respondents, transactions: m.counter.transactions },
    ]),
  );
  const ratio = (totals: ItemTotals, k: number) => {
    const valid = totals.valid[k] ?? 0;
    return { share: (totals.satisfied[k] ?? 0) / valid, valid };
  };
  return satisfactionItems(instrument).flatMap((item, k): ItemContrast[] => {
    const unit = ratio(unitTotals, k);
    const peers = ratio(poolTotals, k);
    if (unit.valid === 0) return [];
    // φ(a) = α s(a) − β v(a), the pool's part for every counter, the unit's added on its own.
    const outside = { alpha: -100 / peers.valid, beta: (-100 * peers.share) / peers.valid };
    const inside = {
      alpha: 100 / unit.valid + outside.alpha,
      beta: (100 * unit.share) / unit.valid + outside.beta,
    };
    const phi = { inside: phiOf(inside, scale), outside: phiOf(outside, scale) };
    const sums = new Map<number, StratumSums>(
      pool.map(({ member, weight }) => [
        member.counter.id,
        sumsFromCounts(
          request.unit.has(member.counter.id) ? phi.inside : phi.outside,
          member.counts,
          weight,
          ANSWER_SLOTS * k,
        ),
      ]),
    );
    const se = standardError(sums, strata, rules.design);
    const index = 100 * unit.share;
    const peersIndex = 100 * peers.share;
    const difference = index - peersIndex;
    const ci: [number, number] | null =
      se === null ? null : [difference - Z_975 * se, difference + Z_975 * se];
    return [
      {
        item: item.code,
        text: item.text.vi,
        factor: item.factor ?? '',
        index,
        peersIndex,
        difference,
        se,
        ci,
        below: ci !== null && ci[1] < 0,
      },
    ];
  });
}
