// The scores of spec §5 for the groups of interchange.md §5, from per-counter tallies that
// the database keeps (analysis/queries): no response is ever held here.
//
// A *pool* is a set of counters whose respondents are scored together: the whole campaign, a
// unit's subtree or one counter. Its item indices and their standard errors follow from how
// many respondents of each counter gave each answer; its factor, block and SIPAS indices need
// per-respondent cross-item sums, asked for every pool at once (`SumLinearized`: in
// production, from the counters' tallied products, linearization.ts `sumsFromProducts`).
// Under `above: meanOfChildren` a unit's indices are the means of its children's (child units
// and the counters directly under it), and so are their linearized values, scaled: its
// per-stratum sums come from the counters' without asking again.
import { askedWhen, keyedByCode } from '../shared/rules.ts';
import { satisfactionItems, storedItems, type Instrument, type Item } from './instrument.ts';
import { normalInterval, wilsonInterval, type Interval } from './intervals.ts';
import {
  answerScale,
  compositeCoefficients,
  compositePhi,
  compositeValue,
  meanOf,
  phiOf,
  pooledOf,
  standardError,
  sumsFromCounts,
  type AnswerScale,
  type Composite,
  type ItemTotals,
  type PhiCoefficients,
  type Stratum,
  type StratumSums,
} from './linearization.ts';
import { Z_975, type ScoringRules } from './rules.ts';
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
  unitId: number;
  /** Transactions in the campaign's period; null when not known. */
  transactions: number | null;
  /** Valid responses by collection mode. */
  modes: Readonly<Record<string, number>>;
  /**
   * answers[k][a]: valid responses that were asked the k-th sat5 item (instrument order) and
   * answered a, for a = 1 … 5, or left it blank, a = 0. The other respondents were not asked it.
   */
  answers: readonly (readonly number[])[];
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
  terms: ({ item: number; position: number; phi: readonly number[] } & PhiCoefficients)[];
}

export interface LinearizedSums {
  /** Σ y and Σ y² over the counter's valid responses. */
  sumY: number;
  sumY2: number;
}

/** Answers slots in order; a slot of a counter without responses sums to 0. */
export type SumLinearized = (slots: readonly LinearizedSlot[]) => Promise<LinearizedSums[]>;

export interface ScoreRequest {
  instrument: Instrument;
  rules: ScoringRules;
  by: By;
  /** Every counter of the campaign, and any other that has responses in it. */
  counters: readonly CounterFacts[];
  /** The units of those counters and all their ancestors. */
  units: readonly UnitFacts[];
}

const respondentsOf = (counter: CounterFacts) =>
  Object.values(counter.modes).reduce((total, n) => total + n, 0);

/** Spec §5: counters that make a stratified design impossible, with the reason. */
export function stratifiedProblems(
  counters: readonly CounterFacts[],
): { counter: string; message: string }[] {
  return counters.flatMap((counter) => {
    const n = respondentsOf(counter);
    if (n === 0) return [];
    if (counter.transactions === null) {
      return [{ counter: counter.code, message: `has ${n} respondents but no transaction count` }];
    }
    if (counter.transactions < n) {
      return [
        {
          counter: counter.code,
          message: `has ${counter.transactions} transactions, fewer than its ${n} respondents`,
        },
      ];
    }
    return [];
  });
}

interface Estimate {
  value: number | null;
  /** Per counter id. */
  sums: Map<number, StratumSums>;
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

interface Member {
  counter: CounterFacts;
  respondents: number;
  /** counts[k][a], a = 0 (blank) … 5 and NOT_ASKED. */
  counts: number[][];
}

const byCode = <T extends { code: string }>(a: T, b: T) =>
  a.code < b.code ? -1 : a.code > b.code ? 1 : 0;

const undefinedEstimate = (): Estimate => ({ value: null, sums: new Map(), share: false });

/** A value that exists by construction; its absence is a bug, not a state. */
function required<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('scoring: a value that must exist is missing');
  return value;
}

/** The structure of an instrument, in ordinals of its sat5 items. */
interface Layout {
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

function layoutOf(instrument: Instrument): Layout {
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

/**
 * The factor, block and SIPAS composites of one pool (spec §5): items without valid answers
 * drop out of a mean, and so do factors without valid items. A block is the mean of its
 * factors, or under `sipas: pooled` the pooled ratio of their items, like SIPAS itself.
 */
function composites(layout: Layout, rules: ScoringRules, totals: ItemTotals) {
  const single = (k: number): Composite | null => pooledOf([k], totals);
  const factors = layout.factors.map((factor) => {
    if (rules.factor === 'pooled') return pooledOf(factor.items, totals);
    if (rules.factor === 'overallItem') {
      return factor.overallItem === undefined ? null : single(factor.overallItem);
    }
    return meanOf(factor.items.map(single));
  });
  const blocks = layout.blocks.map((block) =>
    rules.sipas === 'pooled'
      ? pooledOf(block.items, totals)
      : meanOf(block.factors.map((f) => factors[f] ?? null)),
  );
  const sipas = {
    pooled: () =>
      pooledOf(
        layout.factors.flatMap((f) => f.items),
        totals,
      ),
    overallItem: () => single(layout.overallItem),
    meanOfFactors: () => meanOf(layout.blocks.length > 0 ? blocks : factors),
  }[rules.sipas]();
  return { factors, blocks, sipas };
}

function meanEstimate(parts: readonly Estimate[]): Estimate {
  const m = parts.filter((part) => part.value !== null).length;
  if (m === 0) return undefinedEstimate();
  const sums = new Map<number, StratumSums>();
  let sum = 0;
  for (const part of parts) {
    if (part.value === null) continue;
    sum += part.value;
    // Children hold disjoint counters, so each stratum comes from exactly one child.
    for (const [id, s] of part.sums) sums.set(id, { t1: s.t1 / m, t2: s.t2 / (m * m) });
  }
  const only = m === 1 ? parts.find((part) => part.value !== null) : undefined;
  return { value: sum / m, sums, share: only?.share === true };
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

interface Group {
  key: GroupKey;
  /** Counters of the group with respondents. */
  members: Member[];
  /** Every counter of the group in the campaign, for `transactions`. */
  counters: CounterFacts[];
  estimates: Estimates;
}

export async function scoreGroups(
  request: ScoreRequest,
  sumLinearized: SumLinearized,
): Promise<GroupScores[]> {
  const { instrument, rules, by } = request;
  const layout = layoutOf(instrument);
  const scale = answerScale(rules);
  const members = request.counters
    .map((counter): Member => {
      const respondents = respondentsOf(counter);
      const counts = layout.items.map((_, k) => {
        const asked = [0, 1, 2, 3, 4, 5].map((a) => counter.answers[k]?.[a] ?? 0);
        // The other respondents, at NOT_ASKED (6).
        return [...asked, respondents - asked.reduce((total, n) => total + n, 0)];
      });
      return { counter, respondents, counts };
    })
    .filter((member) => member.respondents > 0)
    .sort((a, b) => byCode(a.counter, b.counter));

  // The unit tree: each counter's unit and its ancestors.
  const units = new Map(request.units.map((unit) => [unit.id, unit]));
  const ancestry = (unitId: number): UnitFacts[] => {
    const chain: UnitFacts[] = [];
    for (let id: number | null = unitId; id !== null;) {
      const unit = units.get(id);
      if (!unit || chain.includes(unit)) break;
      chain.push(unit);
      id = unit.parentId;
    }
    return chain;
  };
  const subtreeOf = new Map<number, CounterFacts[]>();
  for (const counter of request.counters) {
    for (const unit of ancestry(counter.unitId)) {
      const subtree = subtreeOf.get(unit.id);
      if (subtree) subtree.push(counter);
      else subtreeOf.set(unit.id, [counter]);
    }
  }
  const scoredUnits = [...units.values()]
    .filter((unit) => (subtreeOf.get(unit.id) ?? []).some((c) => respondentsOf(c) > 0))
    .sort(byCode);
  const memberOf = new Map(members.map((member) => [member.counter, member]));
  const membersOf = (counters: readonly CounterFacts[]) =>
    counters
      .flatMap((counter) => {
        const member = memberOf.get(counter);
        return member ? [member] : [];
      })
      .sort((a, b) => byCode(a.counter, b.counter));

  // Pools, then one request for the linearized sums of all their composites.
  const slots: LinearizedSlot[] = [];
  const pending: { estimate: Estimate; counterId: number; weight: number }[] = [];
  const poolOf = (poolMembers: Member[]): Estimates => {
    const weighted = poolMembers.map((member) => ({
      member,
      weight:
        rules.design === 'stratified' ? (member.counter.transactions ?? 0) / member.respondents : 1,
    }));
    const total = (of: readonly number[]) =>
      layout.items.map((_, k) =>
        weighted.reduce(
          (sum, { member, weight }) =>
            sum + weight * (member.counts[k] ?? []).reduce((t, n, a) => t + n * (of[a] ?? 0), 0),
          0,
        ),
      );
    const totals: ItemTotals = { satisfied: total(scale.s), valid: total(scale.v) };
    const items = layout.items.map((_, k): Estimate => {
      const composite = pooledOf([k], totals);
      if (!composite) return undefinedEstimate();
      const phi = required(compositePhi(composite, totals, scale).get(k));
      return {
        value: compositeValue(composite, totals),
        share: rules.score === 'share',
        sums: new Map(
          weighted.map(({ member, weight }) => [
            member.counter.id,
            sumsFromCounts(phi, member.counts[k] ?? [], weight),
          ]),
        ),
      };
    });
    const linearized = (composite: Composite | null): Estimate => {
      if (!composite) return undefinedEstimate();
      const estimate: Estimate = {
        value: compositeValue(composite, totals),
        sums: new Map(),
        share: false,
      };
      const terms = [...compositeCoefficients(composite, totals)]
        .sort(([a], [b]) => a - b)
        .map(([k, coefficients]) => ({
          item: k,
          position: required(layout.positions[k]),
          phi: phiOf(coefficients, scale),
          ...coefficients,
        }));
      for (const { member, weight } of weighted) {
        slots.push({ counterId: member.counter.id, terms });
        pending.push({ estimate, counterId: member.counter.id, weight });
      }
      return estimate;
    };
    const parts = composites(layout, rules, totals);
    return {
      items,
      factors: parts.factors.map(linearized),
      blocks: parts.blocks.map(linearized),
      sipas: linearized(parts.sipas),
    };
  };

  // Means of children are taken once the pools' sums are in: `estimates` waits until then.
  const pooled = rules.above === 'pooled' || by === 'counter';
  const groups: (Omit<Group, 'estimates'> & { estimates: () => Estimates })[] = [];
  const group = (key: GroupKey, counters: CounterFacts[], estimates: () => Estimates) =>
    groups.push({ key, members: membersOf(counters), counters, estimates });
  if (by === 'counter') {
    for (const m of members) {
      const estimates = poolOf([m]);
      group({ counter: m.counter.code }, [m.counter], () => estimates);
    }
  } else if (pooled) {
    if (by === 'all') {
      const estimates = poolOf(members);
      group({}, [...request.counters], () => estimates);
    } else {
      for (const unit of scoredUnits) {
        const counters = subtreeOf.get(unit.id) ?? [];
        const estimates = poolOf(membersOf(counters));
        group({ unit: unit.code }, counters, () => estimates);
      }
    }
  } else {
    const counterPools = new Map(members.map((m) => [m.counter.id, poolOf([m])]));
    const scored = new Set(scoredUnits.map((unit) => unit.id));
    const childUnits = new Map<number, UnitFacts[]>();
    for (const unit of scoredUnits) {
      if (unit.parentId !== null && scored.has(unit.parentId)) {
        childUnits.set(unit.parentId, [...(childUnits.get(unit.parentId) ?? []), unit]);
      }
    }
    const unitEstimates = new Map<number, Estimates>();
    const visiting = new Set<number>();
    const estimatesOf = (unit: UnitFacts): Estimates => {
      const cached = unitEstimates.get(unit.id);
      if (cached) return cached;
      if (visiting.has(unit.id)) throw new Error(`unit ${unit.code} is its own ancestor`);
      visiting.add(unit.id);
      const children = [
        ...(childUnits.get(unit.id) ?? []).map(estimatesOf),
        ...members
          .filter((m) => m.counter.unitId === unit.id)
          .map((m) => required(counterPools.get(m.counter.id))),
      ];
      const estimates = meanEstimates(children);
      unitEstimates.set(unit.id, estimates);
      return estimates;
    };
    if (by === 'all') {
      const roots = scoredUnits.filter((u) => u.parentId === null || !scored.has(u.parentId));
      group({}, [...request.counters], () => meanEstimates(roots.map(estimatesOf)));
    } else {
      for (const unit of scoredUnits) {
        group({ unit: unit.code }, subtreeOf.get(unit.id) ?? [], () => estimatesOf(unit));
      }
    }
  }

  if (slots.length > 0) {
    const sums = await sumLinearized(slots);
    if (sums.length !== slots.length) throw new Error('linearized sums do not match their slots');
    pending.forEach(({ estimate, counterId, weight }, i) => {
      const { sumY, sumY2 } = required(sums[i]);
      estimate.sums.set(counterId, { t1: weight * sumY, t2: weight * weight * sumY2 });
    });
  }
  return groups.map((g) =>
    groupScores({ ...g, estimates: g.estimates() }, layout, instrument, rules, scale),
  );
}

function groupScores(
  group: Group,
  layout: Layout,
  instrument: Instrument,
  rules: ScoringRules,
  scale: AnswerScale,
): GroupScores {
  const strata = new Map<number, Stratum>(
    group.members.map((m) => [
      m.counter.id,
      { respondents: m.respondents, transactions: m.counter.transactions },
    ]),
  );
  const respondents = group.members.reduce((total, m) => total + m.respondents, 0);
  const se = (estimate: Estimate) =>
    estimate.value === null ? null : standardError(estimate.sums, strata, rules.design);
  const indexScore = (estimate: Estimate): IndexScore => {
    const error = se(estimate);
    return {
      index: estimate.value,
      se: error,
      ci:
        estimate.value === null || error === null
          ? null
          : normalInterval(estimate.value, error, Z_975, false),
    };
  };

  const { adequacy } = rules;
  const items: Record<string, ItemScore> = {};
  layout.items.forEach((code, k) => {
    const count = (of: (a: number) => boolean) =>
      group.members.reduce(
        (total, m) => total + (m.counts[k] ?? []).reduce((sum, n, a) => sum + (of(a) ? n : 0), 0),
        0,
      );
    const valid = count((a) => scale.v[a] === 1);
    const satisfied = count((a) => scale.satisfied[a] === true);
    const estimate = group.estimates.items[k] ?? undefinedEstimate();
    const error = se(estimate);
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
  });

  const named = (codes: readonly { code: string }[], estimates: readonly Estimate[]) =>
    Object.fromEntries(
      codes.map(({ code }, i) => [code, indexScore(estimates[i] ?? undefinedEstimate())]),
    );
  const sipas = indexScore(group.estimates.sipas);

  const modes: Record<string, number> = {};
  for (const m of group.members) {
    for (const [mode, n] of Object.entries(m.counter.modes)) {
      if (n > 0) modes[mode] = (modes[mode] ?? 0) + n;
    }
  }
  const counted = group.counters.filter((c) => c.transactions !== null);
  const transactions =
    counted.length === 0 ? null : counted.reduce((total, c) => total + (c.transactions ?? 0), 0);
  const countedRespondents = group.members
    .filter((m) => m.counter.transactions !== null)
    .reduce((total, m) => total + m.respondents, 0);

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
    factors: named(layout.factors, group.estimates.factors),
    ...(instrument.blocks.length > 0
      ? { blocks: named(layout.blocks, group.estimates.blocks) }
      : {}),
    sipas,
    flags,
  };
}
