// What a reorganisation will do, shown before it is applied (organisation.md §3): every unit
// that ends, starts or changes parent, every counter that moves, and the open campaigns'
// counters it touches, with names; and the kind of each change (merge, split, re-code, end,
// transfer), which follows from the lineage edges. Pure, over the plan and the map it was
// checked against.
import type { MapBefore, MapUnit, ReorganisationPlan } from './types.ts';

/** A unit as the preview names it. */
export interface NamedUnit {
  code: string;
  name: string;
}

/**
 * One change of a reorganisation: a connected group of lineage edges (a merge: several
 * predecessors, one successor; a split: a predecessor with several successors, or a part of
 * one; a re-code: one whole predecessor, one successor, whether the code, name, parent or type
 * changes), a unit ending without a successor, or a unit moving to another parent (a transfer).
 */
export type PlanChange =
  | {
      kind: 'merge' | 'split' | 're-code';
      predecessors: NamedUnit[];
      successors: (NamedUnit & { created: boolean })[];
      edges: { predecessor: string; successor: string; share: number }[];
    }
  | { kind: 'end'; unit: NamedUnit }
  | { kind: 'transfer'; unit: NamedUnit; from: NamedUnit | null; to: NamedUnit | null };

export interface PlanPreview {
  on: string;
  /** Units valid on the day before D and on D. */
  units: { before: number; after: number };
  changes: PlanChange[];
  ended: (NamedUnit & { type: string })[];
  created: (NamedUnit & { type: string; parent: NamedUnit | null; predecessors: NamedUnit[] })[];
  reparented: { unit: NamedUnit; from: NamedUnit | null; to: NamedUnit | null }[];
  counterMoves: { counter: string; from: NamedUnit; to: NamedUnit; openCampaign: boolean }[];
  /** Counters of a campaign open on or after D that the reorganisation moves (sorted). */
  openCampaignCounters: string[];
}

/** The units valid on D, by code: those of the day before that do not end, and those created. */
export function unitsOn(plan: ReorganisationPlan, map: MapBefore): Map<string, MapUnit> {
  const ended = new Set(plan.ended);
  const parents = new Map(plan.parentChanges.map((change) => [change.unit, change.parentCode]));
  const moves = new Map(plan.counterMoves.map((move) => [move.counter, move.to]));
  const after = new Map<string, MapUnit>();
  for (const unit of map.units.values()) {
    if (ended.has(unit.code)) continue;
    const parentCode = parents.has(unit.code) ? (parents.get(unit.code) ?? null) : unit.parentCode;
    after.set(unit.code, { ...unit, parentCode, counterCodes: [] });
  }
  for (const { code, name, type, parentCode } of plan.created) {
    after.set(code, { code, name, type, parentCode, counterCodes: [] });
  }
  for (const unit of map.units.values()) {
    for (const counter of unit.counterCodes) {
      after.get(moves.get(counter) ?? unit.code)?.counterCodes.push(counter);
    }
  }
  for (const unit of after.values()) unit.counterCodes.sort(byCode);
  return after;
}

const byCode = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The preview of `plan`, checked against `map`. */
export function describePlan(plan: ReorganisationPlan, map: MapBefore): PlanPreview {
  const after = unitsOn(plan, map);
  // A code names the old unit on the predecessor's side, the new one on the successor's.
  const before = (code: string): NamedUnit => ({ code, name: map.units.get(code)?.name ?? code });
  const on = (code: string): NamedUnit => ({ code, name: after.get(code)?.name ?? code });
  const onOrNull = (code: string | null) => (code === null ? null : on(code));
  const created = new Set(plan.created.map((unit) => unit.code));

  const moves = plan.counterMoves.map((move) => ({
    counter: move.counter,
    from: before(move.from),
    to: on(move.to),
    openCampaign: map.openCampaignCounters.has(move.counter),
  }));
  const reparented = plan.parentChanges.map((change) => ({
    unit: on(change.unit),
    from: onlyBefore(map, change.unit),
    to: onOrNull(change.parentCode),
  }));

  return {
    on: plan.on,
    units: { before: map.units.size, after: after.size },
    changes: [
      ...lineageChanges(plan, before, (code) => ({ ...on(code), created: created.has(code) })),
      ...plan.ended
        .filter((code) => !plan.lineage.some((edge) => edge.predecessor === code))
        .map((code) => ({ kind: 'end' as const, unit: before(code) })),
      ...reparented.map((change) => ({ kind: 'transfer' as const, ...change })),
    ],
    ended: plan.ended.map((code) => ({
      ...before(code),
      type: map.units.get(code)?.type ?? '',
    })),
    created: plan.created.map((unit) => ({
      code: unit.code,
      name: unit.name,
      type: unit.type,
      parent: onOrNull(unit.parentCode),
      predecessors: unit.predecessors.map(before),
    })),
    reparented,
    counterMoves: moves,
    openCampaignCounters: moves.filter((move) => move.openCampaign).map((move) => move.counter),
  };
}

/** A unit's parent on the day before D, named as it was then. */
function onlyBefore(map: MapBefore, code: string): NamedUnit | null {
  const parent = map.units.get(code)?.parentCode ?? null;
  return parent === null ? null : { code: parent, name: map.units.get(parent)?.name ?? parent };
}

/** The lineage edges in connected groups, each with its kind, in the order of their first edge. */
function lineageChanges(
  plan: ReorganisationPlan,
  before: (code: string) => NamedUnit,
  successor: (code: string) => NamedUnit & { created: boolean },
): PlanChange[] {
  // Predecessors and successors are apart (a code taken over is on both sides, as two units):
  // the groups are found over `p:` and `s:` keys, joined by the edges.
  const root = new Map<string, string>();
  const find = (key: string): string => {
    const up = root.get(key) ?? key;
    if (up === key) return key;
    const top = find(up);
    root.set(key, top);
    return top;
  };
  for (const edge of plan.lineage) {
    root.set(find(`p:${edge.predecessor}`), find(`s:${edge.successor}`));
  }
  const groups = new Map<string, ReorganisationPlan['lineage']>();
  for (const edge of plan.lineage) {
    const key = find(`s:${edge.successor}`);
    groups.set(key, [...(groups.get(key) ?? []), edge]);
  }
  return [...groups.values()].map((edges) => {
    const predecessors = unique(edges.map((edge) => edge.predecessor));
    const successors = unique(edges.map((edge) => edge.successor));
    const whole = edges.every(
      (edge) =>
        edge.share === 1 && edges.filter((e) => e.predecessor === edge.predecessor).length === 1,
    );
    const kind = !whole ? 'split' : predecessors.length > 1 ? 'merge' : 're-code';
    return {
      kind,
      predecessors: predecessors.map(before),
      successors: successors.map(successor),
      edges,
    };
  });
}

const unique = (codes: readonly string[]) => [...new Set(codes)].sort(byCode);
