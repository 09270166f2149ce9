// The scores of spec §5 for the groups of interchange.md §5, from per-counter tallies that
// the database keeps (analysis/queries): no response is ever held here.
//
// A *pool* is a set of counters whose respondents are scored together: the whole campaign, a
// unit's subtree or one counter. Its item indices and their standard errors follow from how
// many respondents of each counter gave each answer; its factor, block and SIPAS indices need
// per-respondent cross-item sums, asked once a pool (`PoolSpreads`: in production, from the sum
// of its counters' tallied products, linearization.ts `talliedSpreads`; in tests, from each
// counter's `SumLinearized`).
// Under `above: meanOfChildren` a unit's indices are the means of its children's (child units
// and the counters directly under it), and so are their linearized values, scaled: its
// per-stratum sums come from the counters' without asking again.
import { text, type Text } from '../shared/text.ts';
import { askedWhen, keyedByCode } from '../shared/rules.ts';
import { satisfactionItems, storedItems, type Instrument, type Item } from './instrument.ts';
import { normalInterval, wilsonInterval, type Interval } from './intervals.ts';
import {
  ANSWER_SLOTS,
  answerScale,
  compositeTerms,
  compositeValue,
  meanOf,
  phiOf,
  pooledOf,
  ratioCoefficients,
  spreadError,
  spreadOf,
  stratumFactor,
  sumsFromCounts,
  TALLIED_ANSWERS,
  type AnswerScale,
  type Composite,
  type ItemTotals,
  type PhiCoefficients,
  type PartSums,
  type PoolStratum,
  type Spread,
  type StratumSums,
  type Terms,
} from './linearization.ts';
import { Z_975, type Design, type ScoringRules } from './rules.ts';
import type {
  By,
  GroupFlag,
  GroupKey,
  GroupScores,
  IndexScore,
  ItemScore,
} from './scores-document.ts';

/** What the campaign's queries say about one of its counters. */
export interface CounterFacts {
  id: number;
  code: string;
  /** Its unit on the map scored; null when it belongs to none that day (no unit group has it). */
  unitId: number | null;
  /** Transactions in the campaign's period; null when not known. */
  transactions: number | null;
  /** Valid responses by collection mode. */
  modes: Readonly<Record<string, number>>;
  /**
   * answers[TALLIED_ANSWERS × k + a]: valid responses that were asked the k-th sat5 item
   * (instrument order) and answered a, for a = 1 … 5, or left it blank, a = 0. The other
   * respondents were not asked it. One flat array: a scoring by counter reads a thousand.
   */
  answers: ArrayLike<number>;
}

export interface UnitFacts {
  id: number;
  code: string;
  parentId: number | null;
}

/**
 * Per respondent of the counter: y = Σ over terms of phi[answer at position] (blank = 0), where
 * phi[a] = alpha s(a) − beta v(a) for the term's sat5 item (ordinal `item`).
 */
export interface LinearizedSlot {
  counterId: number;
  /** The counter's respondents in the campaign, those not asked an item included. */
  respondents: number;
  terms: ({ item: number; position: number; phi: readonly number[] } & PhiCoefficients)[];
}

export interface LinearizedSums {
  /** ȳ and Σ (y − ȳ)² over the counter's valid responses (linearization.ts, StratumSums). */
  mean: number;
  ss: number;
}

/** Answers a slot; a slot of a counter without responses sums to 0. */
export type SumLinearized = (slot: LinearizedSlot) => LinearizedSums;

/**
 * The spreads of a pool's factor, block and SIPAS indices under a design, asked once a pool and
 * then once an index with its terms, until the next pool is asked: in production from the
 * pool's tallies at once (linearization.ts `talliedSpreads`), or from each counter's
 * `SumLinearized` (`perCounter`).
 */
export type PoolSpreads = (
  pool: readonly PoolStratum[],
  design: Design,
) => (terms: Terms) => Spread;

/**
 * Spreads from each counter's linearized sums, asked a counter and an index at a time, each
 * term with its item's answer position and φ (`layout`'s positions, under `scale`).
 */
export function perCounter(
  sumLinearized: SumLinearized,
  layout: Layout,
  scale: AnswerScale,
): PoolSpreads {
  return (pool, design) => {
    const strata = new Map(pool.map((stratum) => [stratum.id, stratum]));
    return (indexTerms) => {
      const terms = indexTerms.map((term) => ({
        ...term,
        position: required(layout.positions[term.item]),
        phi: phiOf(term, scale),
      }));
      const sums = new Map<number, StratumSums>();
      for (const { id, respondents, weight } of pool) {
        const { mean, ss } = sumLinearized({ counterId: id, respondents, terms });
        sums.set(id, { mean: weight * mean, ss: weight * weight * ss });
      }
      return spreadOf(sums, strata, design);
    };
  };
}

export interface ScoreRequest {
  instrument: Instrument;
  rules: ScoringRules;
  by: By;
  /** Every counter of the campaign, and any other that has responses in it. */
  counters: readonly CounterFacts[];
  /** The units of those counters and all their ancestors. */
  units: readonly UnitFacts[];
}

export const respondentsOf = (counter: CounterFacts) =>
  Object.values(counter.modes).reduce((total, n) => total + n, 0);

/** Spec §5: counters that make a stratified design impossible, with the reason. */
export function stratifiedProblems(
  counters: readonly CounterFacts[],
): { counter: string; message: Text }[] {
  return counters.flatMap((counter) => {
    const n = respondentsOf(counter);
    if (n === 0) return [];
    if (counter.transactions === null) {
      return [
        {
          counter: counter.code,
          message: text(
            `có ${n} người trả lời nhưng chưa có số lượt giao dịch`,
            `has ${n} respondents but no transaction count`,
          ),
        },
      ];
    }
    if (counter.transactions < n) {
      return [
        {
          counter: counter.code,
          message: text(
            `có ${counter.transactions} lượt giao dịch, ít hơn ${n} người trả lời`,
            `has ${counter.transactions} transactions, fewer than its ${n} respondents`,
          ),
        },
      ];
    }
    return [];
  });
}

interface Estimate {
  value: number | null;
  /** What its variance is made of over the group's respondents. */
  spread: Spread;
  /**
   * The value is 100 × satisfied / valid answers of the group (an item under `score: share`,
   * pooled, or the mean of a single such child): the Wilson interval applies under srs.
   */
  share: boolean;
}

interface Estimates {
  items: Estimate[];
  factors: Estimate[];
  blocks: Estimate[];
  sipas: Estimate;
}

export interface Member {
  counter: CounterFacts;
  respondents: number;
  /**
   * counts[ANSWER_SLOTS × k + a]: respondents who gave item k answer a, a = 0 (blank) … 5 and
   * NOT_ASKED; one array a counter, not one an item (a scoring by counter made 23,000).
   */
  counts: number[];
}

const byCode = <T extends { code: string }>(a: T, b: T) =>
  a.code < b.code ? -1 : a.code > b.code ? 1 : 0;

const undefinedEstimate = (): Estimate => ({ value: null, spread: { variance: 0 }, share: false });

/** A value that exists by construction; its absence is a bug, not a state. */
function required<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('scoring: a value that must exist is missing');
  return value;
}

/** The structure of an instrument, in ordinals of its sat5 items. */
export interface Layout {
  items: string[];
  positions: number[];
  factors: { code: string; items: number[]; overallItem: number | undefined }[];
  blocks: { code: string; factors: number[]; items: number[] }[];
  overallItem: number;
}

/** Where each sat5 item's answer sits in the stored answers array (1-based, as in SQL). */
export function answerPositions(instrument: Instrument): number[] {
  const stored = storedItems(instrument);
  return satisfactionItems(instrument).map((item) => stored.indexOf(item) + 1);
}

/** A condition of a skip rule: the stored answer at `position` (1-based) is `equals`. */
export interface AskedWhen {
  position: number;
  equals: number;
}

/** A sat5 item's answer in the stored answers array and the conditions under which it was asked. */
export interface AnswerSlot {
  position: number;
  /**
   * Empty for an item always asked; null for one never asked, whose skip rule reads an item
   * that stores no answer (free text), which no answer can equal (api/services/answers.ts).
   */
  askedWhen: AskedWhen[] | null;
}

/**
 * Each sat5 item's answer slot: the conditions of its skip rule's chain (shared/rules.ts,
 * `askedWhen`), each read at the stored position of the item it reads.
 */
export function answerSlots(instrument: Instrument): AnswerSlot[] {
  const stored = storedItems(instrument);
  const itemsByCode = keyedByCode(instrument.items);
  const conditions = (item: Item): AskedWhen[] | null => {
    const rules = askedWhen(item, itemsByCode);
    if (rules === null) throw new Error(`${item.code}'s skip rule reads no earlier item`);
    const read = rules.map((rule) => ({
      position: stored.findIndex((source) => source.code === rule.item) + 1,
      equals: rule.equals,
    }));
    return read.some((condition) => condition.position === 0) ? null : read;
  };
  const positions = answerPositions(instrument);
  return satisfactionItems(instrument).map((item, k) => ({
    position: required(positions[k]),
    askedWhen: conditions(item),
  }));
}

/** The instrument's sat5 items, factors and blocks in ordinals of its sat5 items. */
export function layoutOf(instrument: Instrument): Layout {
  const sat5 = satisfactionItems(instrument);
  const ordinal = new Map(sat5.map((item, k) => [item.code, k]));
  const ordinalOf = (code: string) => {
    const k = ordinal.get(code);
    if (k === undefined) throw new Error(`${code} is not a sat5 item of ${instrument.code}`);
    return k;
  };
  const factors = instrument.factors.map((factor) => ({
    code: factor.code,
    items: sat5.flatMap((item, k) => (item.factor === factor.code ? [k] : [])),
    overallItem: factor.overallItem === undefined ? undefined : ordinalOf(factor.overallItem),
  }));
  return {
    items: sat5.map((item) => item.code),
    positions: answerPositions(instrument),
    factors,
    blocks: instrument.blocks.map((block) => {
      const members = instrument.factors.flatMap((factor, f) =>
        factor.block === block.code ? [f] : [],
      );
      return {
        code: block.code,
        factors: members,
        items: members.flatMap((f) => factors[f]?.items ?? []),
      };
    }),
    overallItem: ordinalOf(instrument.overallItem),
  };
}

/** Item k's own index: one ratio over its answers. */
function single(singles: Scoring['singles'], k: number, totals: ItemTotals) {
  return pooledOf(required(singles[k]), totals);
}

/**
 * The factor, block and SIPAS composites of one pool (spec §5): items without valid answers
 * drop out of a mean, and so do factors without valid items. A block is the mean of its
 * factors, or under `sipas: pooled` the pooled ratio of their items, like SIPAS itself.
 */
function composites(
  layout: Layout,
  rules: ScoringRules,
  totals: ItemTotals,
  singles: Scoring['singles'],
) {
  const factors = layout.factors.map((factor) => {
    if (rules.factor === 'pooled') return pooledOf(factor.items, totals);
    if (rules.factor === 'overallItem') {
      return factor.overallItem === undefined ? null : single(singles, factor.overallItem, totals);
    }
    return meanOf(factor.items.map((k) => single(singles, k, totals)));
  });
  const blocks = layout.blocks.map((block) =>
    rules.sipas === 'pooled'
      ? pooledOf(block.items, totals)
      : meanOf(block.factors.map((f) => factors[f] ?? null)),
  );
  let sipas: Composite | null;
  switch (rules.sipas) {
    case 'pooled':
      sipas = pooledOf(
        layout.factors.flatMap((f) => f.items),
        totals,
      );
      break;
    case 'overallItem':
      sipas = single(singles, layout.overallItem, totals);
      break;
    case 'meanOfFactors':
      sipas = meanOf(layout.blocks.length > 0 ? blocks : factors);
      break;
  }
  return { factors, blocks, sipas };
}

function meanEstimate(parts: readonly Estimate[]): Estimate {
  const m = parts.filter((part) => part.value !== null).length;
  if (m === 0) return undefinedEstimate();
  // Children hold disjoint counters, so their parts, or their strata's variances, add up;
  // each respondent's u is its child's over m.
  const pooled: PartSums[] = [];
  let variance = 0;
  let sum = 0;
  for (const part of parts) {
    if (part.value === null) continue;
    sum += part.value;
    const { spread } = part;
    if ('parts' in spread) {
      for (const p of spread.parts) {
        pooled.push({ respondents: p.respondents, mean: p.mean / m, ss: p.ss / (m * m) });
      }
    } else {
      variance += spread.variance / (m * m);
    }
  }
  const only = m === 1 ? parts.find((part) => part.value !== null) : undefined;
  const spread = parts.some((part) => part.value !== null && 'parts' in part.spread)
    ? { parts: pooled }
    : { variance };
  return { value: sum / m, spread, share: only?.share === true };
}

function meanEstimates(children: readonly Estimates[]): Estimates {
  const mean = (pick: (e: Estimates) => readonly Estimate[], at: number) =>
    meanEstimate(children.map((e) => pick(e)[at] ?? undefinedEstimate()));
  const first = children[0];
  return {
    items: (first?.items ?? []).map((_, k) => mean((e) => e.items, k)),
    factors: (first?.factors ?? []).map((_, f) => mean((e) => e.factors, f)),
    blocks: (first?.blocks ?? []).map((_, b) => mean((e) => e.blocks, b)),
    sipas: meanEstimate(children.map((e) => e.sipas)),
  };
}

/** A group with its estimates. */
type Group = Grouping & { estimates: Estimates };

/** What every step of one scoring reads. */
interface Scoring {
  layout: Layout;
  rules: ScoringRules;
  scale: AnswerScale;
  spreads: PoolSpreads;
  /** [k] for each item k: made once, not for every item of every pool. */
  singles: readonly (readonly number[])[];
}

/** itemEstimate's working arrays, one slot an answer code, reused from call to call. */
const itemScratch = {
  phi: new Float64Array(ANSWER_SLOTS),
  counts: new Float64Array(ANSWER_SLOTS),
};

/** The counters with respondents, in code order, with how many gave each answer to each item. */
export function membersOf(counters: readonly CounterFacts[], layout: Layout): Member[] {
  return counters
    .map((counter): Member => {
      const respondents = respondentsOf(counter);
      const counts: number[] = [];
      for (let k = 0; k < layout.items.length; k++) {
        let asked = 0;
        for (let a = 0; a < TALLIED_ANSWERS; a++) {
          const n = counter.answers[TALLIED_ANSWERS * k + a] ?? 0;
          counts.push(n);
          asked += n;
        }
        // NOT_ASKED: the other respondents.
        counts.push(respondents - asked);
      }
      return { counter, respondents, counts };
    })
    .filter((member) => member.respondents > 0)
    .sort((a, b) => byCode(a.counter, b.counter));
}

/** The members among `counters`, in code order. */
function membersAmong(members: readonly Member[], counters: readonly CounterFacts[]): Member[] {
  const among = new Set(counters);
  return members.filter((member) => among.has(member.counter));
}

/** The units that hold respondents, and how they nest. */
interface UnitTree {
  /** Units with respondents in their subtree, in code order. */
  scored: UnitFacts[];
  /** Scored units whose parent is not scored. */
  roots: UnitFacts[];
  /** Each scored unit's scored child units, in code order. */
  children: Map<number, UnitFacts[]>;
  /** Each unit's counters and its descendants'. */
  subtree: Map<number, CounterFacts[]>;
}

/** A unit and its ancestors, nearest first; a unit met twice ends the chain. */
function ancestry(units: ReadonlyMap<number, UnitFacts>, unitId: number | null): UnitFacts[] {
  const chain: UnitFacts[] = [];
  for (let id: number | null = unitId; id !== null;) {
    const unit = units.get(id);
    if (!unit || chain.includes(unit)) break;
    chain.push(unit);
    id = unit.parentId;
  }
  return chain;
}

/** Each unit's counters and its descendants', by unit id. */
export function unitSubtrees(
  counters: readonly CounterFacts[],
  unitList: readonly UnitFacts[],
): Map<number, CounterFacts[]> {
  const units = new Map(unitList.map((unit) => [unit.id, unit]));
  const subtree = new Map<number, CounterFacts[]>();
  for (const counter of counters) {
    for (const unit of ancestry(units, counter.unitId)) {
      const held = subtree.get(unit.id);
      if (held) held.push(counter);
      else subtree.set(unit.id, [counter]);
    }
  }
  return subtree;
}

function unitTreeOf(request: ScoreRequest): UnitTree {
  const units = new Map(request.units.map((unit) => [unit.id, unit]));
  const subtree = unitSubtrees(request.counters, request.units);
  const scored = [...units.values()]
    .filter((unit) => (subtree.get(unit.id) ?? []).some((c) => respondentsOf(c) > 0))
    .sort(byCode);
  const isScored = new Set(scored.map((unit) => unit.id));
  const children = new Map<number, UnitFacts[]>();
  for (const unit of scored) {
    if (unit.parentId !== null && isScored.has(unit.parentId)) {
      children.set(unit.parentId, [...(children.get(unit.parentId) ?? []), unit]);
    }
  }
  const roots = scored.filter((u) => u.parentId === null || !isScored.has(u.parentId));
  return { scored, roots, children, subtree };
}

/** A group of interchange.md §5 before its estimates; `unit` is set for `by: unit`. */
interface Grouping {
  key: GroupKey;
  /** Counters of the group with respondents. */
  members: Member[];
  /** Every counter of the group in the campaign, for `transactions`. */
  counters: CounterFacts[];
  unit?: UnitFacts;
}

/** The groups of a `by`: the whole campaign, each scored unit's subtree, or each counter. */
function groupingsOf(
  request: ScoreRequest,
  members: readonly Member[],
  tree: UnitTree,
): Grouping[] {
  switch (request.by) {
    case 'all':
      return [{ key: {}, members: [...members], counters: [...request.counters] }];
    case 'unit':
      return tree.scored.map((unit) => {
        const counters = tree.subtree.get(unit.id) ?? [];
        return {
          key: { unit: unit.code },
          members: membersAmong(members, counters),
          counters,
          unit,
        };
      });
    case 'counter':
      return members.map((member) => ({
        key: { counter: member.counter.code },
        members: [member],
        counters: [member.counter],
      }));
  }
}

/**
 * The weight w_r of each respondent of a counter (spec sipas.md §5): 1 under `srs`; under
 * `stratified`, N_h / n_h, where counter h had N_h transactions and n_h respondents, so that
 * each respondent stands for as many transactions of its counter.
 */
export function stratumWeight(member: Member, design: Design): number {
  return design === 'stratified' ? (member.counter.transactions ?? 0) / member.respondents : 1;
}

export interface Weighted {
  member: Member;
  weight: number;
}

/** S_i and V_i of spec §5 for each item: the weighted satisfied and valid answers of a pool. */
export function itemTotalsOf(
  pool: readonly Weighted[],
  layout: Layout,
  scale: AnswerScale,
): ItemTotals {
  const items = layout.items.length;
  return {
    satisfied: weightedTotals(pool, items, scale.s),
    valid: weightedTotals(pool, items, scale.v),
  };
}

/**
 * Σ over the pool of w × Σ_a counts(a) × of(a), for each of `items` items. Loops, in the order a
 * reduce over the pool and then the answers would take, and no closure a call: a scoring by
 * counter asks this twice for each of a thousand pools.
 */
function weightedTotals(pool: readonly Weighted[], items: number, of: readonly number[]): number[] {
  const totals = new Array<number>(items);
  for (let k = 0; k < items; k++) {
    const at = ANSWER_SLOTS * k;
    let sum = 0;
    for (const { member, weight } of pool) {
      let t = 0;
      for (let a = 0; a < ANSWER_SLOTS; a++) t += (member.counts[at + a] ?? 0) * (of[a] ?? 0);
      sum += weight * t;
    }
    totals[k] = sum;
  }
  return totals;
}

/** An item's index in a pool; its linearized sums follow from its answer counts alone. */
function itemEstimate(
  k: number,
  pool: readonly Weighted[],
  strata: readonly PoolStratum[],
  totals: ItemTotals,
  { rules, scale, singles }: Scoring,
): Estimate {
  const composite = single(singles, k, totals);
  if (!composite) return undefinedEstimate();
  // One ratio of weight 1: its coefficients are φ's, as compositeTerms would add them to 0.
  const phi = phiOf(ratioCoefficients(composite.items, totals), scale, itemScratch.phi);
  // Loops and reused arrays rather than maps of entries: by counter, a scoring asks this for
  // every item of each of a thousand pools, and what it allocated was most of its collector's
  // work (issue 19).
  let spread: Spread;
  if (rules.design === 'srs') {
    // Every respondent weighs 1: the pool is one part, of its counters' counts added up (as
    // `talliedSpreads` adds their products), and asks one sum, not one a counter.
    const { counts } = itemScratch;
    counts.fill(0);
    let respondents = 0;
    const at = ANSWER_SLOTS * k;
    for (const { member } of pool) {
      respondents += member.respondents;
      for (let a = 0; a < ANSWER_SLOTS; a++) {
        counts[a] = (counts[a] ?? 0) + (member.counts[at + a] ?? 0);
      }
    }
    const { mean, ss } = sumsFromCounts(phi, counts, 1);
    spread = { parts: [{ respondents, mean, ss }] };
  } else {
    let variance = 0;
    for (let h = 0; h < pool.length; h++) {
      const { member, weight } = required(pool[h]);
      const stratum = required(strata[h]);
      const factor = stratumFactor(stratum, stratum.id);
      if (factor !== 0) {
        variance += factor * sumsFromCounts(phi, member.counts, weight, ANSWER_SLOTS * k).ss;
      }
    }
    spread = { variance };
  }
  return { value: compositeValue(composite, totals), share: rules.score === 'share', spread };
}

/** A factor, block or SIPAS index in a pool; its linearized sums cross items, so they are asked. */
function compositeEstimate(
  composite: Composite | null,
  spreads: ReturnType<PoolSpreads>,
  totals: ItemTotals,
): Estimate {
  if (!composite) return undefinedEstimate();
  const spread = spreads(compositeTerms(composite, totals));
  return { value: compositeValue(composite, totals), share: false, spread };
}

/** The estimates of a pool: its members' respondents scored together. */
function poolEstimates(members: readonly Member[], scoring: Scoring): Estimates {
  const { layout, rules } = scoring;
  const pool = members.map((member) => ({ member, weight: stratumWeight(member, rules.design) }));
  const strata = pool.map(({ member, weight }): PoolStratum => ({
    id: member.counter.id,
    respondents: member.respondents,
    transactions: member.counter.transactions,
    weight,
  }));
  const totals = itemTotalsOf(pool, layout, scoring.scale);
  const parts = composites(layout, rules, totals, scoring.singles);
  const spreads = scoring.spreads(strata, rules.design);
  // Loops rather than closures a pool: by counter, a scoring estimates a thousand pools.
  const items: Estimate[] = [];
  for (let k = 0; k < layout.items.length; k++) {
    items.push(itemEstimate(k, pool, strata, totals, scoring));
  }
  const factors: Estimate[] = [];
  for (const c of parts.factors) factors.push(compositeEstimate(c, spreads, totals));
  const blocks: Estimate[] = [];
  for (const c of parts.blocks) blocks.push(compositeEstimate(c, spreads, totals));
  return { items, factors, blocks, sipas: compositeEstimate(parts.sipas, spreads, totals) };
}

/**
 * Estimates under `above: meanOfChildren`: a unit's are the means of its children's (its scored
 * child units and the counters directly under it, each counter a pool); the campaign's, the
 * means of its root units'. Each unit is estimated once however many groups read it.
 */
function childMeans(
  members: readonly Member[],
  tree: UnitTree,
  scoring: Scoring,
): (grouping: Grouping) => Estimates {
  const counterPools = new Map(members.map((m) => [m.counter.id, poolEstimates([m], scoring)]));
  const done = new Map<number, Estimates>();
  const visiting = new Set<number>();
  const ofUnit = (unit: UnitFacts): Estimates => {
    const cached = done.get(unit.id);
    if (cached) return cached;
    if (visiting.has(unit.id)) throw new Error(`unit ${unit.code} is its own ancestor`);
    visiting.add(unit.id);
    const estimates = meanEstimates([
      ...(tree.children.get(unit.id) ?? []).map(ofUnit),
      ...members
        .filter((m) => m.counter.unitId === unit.id)
        .map((m) => required(counterPools.get(m.counter.id))),
    ]);
    done.set(unit.id, estimates);
    return estimates;
  };
  return (grouping) =>
    grouping.unit ? ofUnit(grouping.unit) : meanEstimates(tree.roots.map(ofUnit));
}

/** Each group of `request.by`, scored under the campaign's rules (spec §5). */
export function scoreGroups(request: ScoreRequest, sumLinearized: SumLinearized): GroupScores[] {
  const spreads = perCounter(
    sumLinearized,
    layoutOf(request.instrument),
    answerScale(request.rules),
  );
  return scoreGroupsOver(request, spreads);
}

/** `scoreGroups`, with the spreads of each pool's factor, block and SIPAS indices. */
export function scoreGroupsOver(request: ScoreRequest, spreads: PoolSpreads): GroupScores[] {
  const { instrument, rules, by } = request;
  const layout = layoutOf(instrument);
  const scoring: Scoring = {
    layout,
    rules,
    scale: answerScale(rules),
    spreads,
    singles: layout.items.map((_, k) => [k]),
  };
  const members = membersOf(request.counters, layout);
  const tree = unitTreeOf(request);
  const estimatesOf =
    rules.above === 'pooled' || by === 'counter'
      ? (grouping: Grouping) => poolEstimates(grouping.members, scoring)
      : childMeans(members, tree, scoring);
  return groupingsOf(request, members, tree).map((grouping) =>
    groupScores(
      { ...grouping, estimates: estimatesOf(grouping) },
      layout,
      instrument,
      rules,
      scoring.scale,
    ),
  );
}

/** An index's standard error over a group of `respondents`; null where the index is. */
function standardErrorOf(estimate: Estimate, respondents: number): number | null {
  return estimate.value === null ? null : spreadError(estimate.spread, respondents);
}

function indexScore(estimate: Estimate, respondents: number): IndexScore {
  const error = standardErrorOf(estimate, respondents);
  return {
    index: estimate.value,
    se: error,
    ci:
      estimate.value === null || error === null
        ? null
        : normalInterval(estimate.value, error, Z_975, false),
  };
}

/** Factors' or blocks' scores by code. */
function namedScores(
  codes: readonly { code: string }[],
  estimates: readonly Estimate[],
  respondents: number,
): Record<string, IndexScore> {
  const scores: Record<string, IndexScore> = {};
  for (let i = 0; i < codes.length; i++) {
    scores[required(codes[i]).code] = indexScore(estimates[i] ?? undefinedEstimate(), respondents);
  }
  return scores;
}

/** Each layout's item codes, in order, as the keys of an object whose values come later. */
const itemKeys = new WeakMap<Layout, Readonly<Record<string, null>>>();

/**
 * An object for a group's item scores, every item's key already in place. Adding 23 keys one by
 * one to an empty object turned each of a scoring's thousands into a hash table (V8 keeps only
 * about a dozen properties added that way in its fast layout), slower to fill and to read.
 * Every key is assigned before the object is read (`groupScores`).
 */
function itemsOf(layout: Layout): Record<string, ItemScore> {
  let keys = itemKeys.get(layout);
  if (!keys) {
    keys = Object.fromEntries(layout.items.map((code) => [code, null]));
    itemKeys.set(layout, keys);
  }
  return { ...keys } as unknown as Record<string, ItemScore>;
}

function groupScores(
  group: Group,
  layout: Layout,
  instrument: Instrument,
  rules: ScoringRules,
  scale: AnswerScale,
): GroupScores {
  let respondents = 0;
  for (const m of group.members) respondents += m.respondents;
  const { adequacy } = rules;
  const items = itemsOf(layout);
  // Loops, and helpers declared once rather than closures a group: by counter, a scoring
  // scores a thousand groups.
  for (let k = 0; k < layout.items.length; k++) {
    const code = required(layout.items[k]);
    // Whole numbers: the order of the sums changes nothing.
    let valid = 0;
    let satisfied = 0;
    const at = ANSWER_SLOTS * k;
    for (const m of group.members) {
      for (let a = 0; a < ANSWER_SLOTS; a++) {
        const n = m.counts[at + a] ?? 0;
        if (scale.v[a] === 1) valid += n;
        if (scale.satisfied[a] === true) satisfied += n;
      }
    }
    const estimate = group.estimates.items[k] ?? undefinedEstimate();
    const error = standardErrorOf(estimate, respondents);
    let ci: Interval | null = null;
    if (estimate.value !== null && error !== null) {
      ci =
        rules.design === 'srs' && estimate.share
          ? wilsonInterval(satisfied / valid, valid, Z_975)
          : normalInterval(estimate.value, error, Z_975, true);
    }
    items[code] = {
      valid,
      satisfied,
      index: estimate.value,
      se: error,
      ci,
      flags: valid < adequacy.minItemValid ? ['small-sample'] : [],
    };
  }

  const sipas = indexScore(group.estimates.sipas, respondents);

  const modes: Record<string, number> = {};
  for (const m of group.members) {
    for (const [mode, n] of Object.entries(m.counter.modes)) {
      if (n > 0) modes[mode] = (modes[mode] ?? 0) + n;
    }
  }
  // Loops, in the order of the reduces they stand for.
  let transactions: number | null = null;
  for (const c of group.counters) {
    if (c.transactions !== null) transactions = (transactions ?? 0) + c.transactions;
  }
  let countedRespondents = 0;
  for (const m of group.members) {
    if (m.counter.transactions !== null) countedRespondents += m.respondents;
  }

  const flags: GroupFlag[] = [];
  if (respondents < adequacy.minRespondents) flags.push('small-sample');
  if (sipas.ci && sipas.ci[1] - sipas.ci[0] > adequacy.maxIntervalWidth) {
    flags.push('wide-interval');
  }
  if (rules.design === 'stratified' && group.members.some((m) => m.respondents === 1)) {
    flags.push('lonely-stratum');
  }

  return {
    key: group.key,
    respondents,
    modes: Object.fromEntries(Object.entries(modes).sort(([a], [b]) => (a < b ? -1 : 1))),
    transactions,
    responseRate:
      transactions === null || transactions === 0
        ? null
        : (100 * countedRespondents) / transactions,
    items,
    factors: namedScores(layout.factors, group.estimates.factors, respondents),
    ...(instrument.blocks.length > 0
      ? { blocks: namedScores(layout.blocks, group.estimates.blocks, respondents) }
      : {}),
    sipas,
    flags,
  };
}
