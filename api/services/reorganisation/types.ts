// The interfaces between planning a reorganisation (plan.ts, pure) and storing it (readMapBefore
// and applyPlan): the map of the day before D in, the plan out. A code in a plan names the unit
// valid on the day before D when it is a predecessor or a `from`, and the unit valid on D
// otherwise: a successor that takes over an ending predecessor's code (spec §3) is a new unit
// under the same code, so a child re-parented to it, or a counter moved from the old unit to it,
// keeps the same code on both sides of the change.
export interface MapUnit {
  code: string;
  name: string;
  type: string;
  parentCode: string | null; // parent on the day before D
  counterCodes: string[]; // counters that are members on the day before D
}
export interface MapBefore {
  on: string; // D, ISO date (YYYY-MM-DD)
  units: ReadonlyMap<string, MapUnit>; // every unit valid on D-1, by code
  endedCodes: ReadonlySet<string>; // codes known but not valid on D-1 (already ended)
  codesInUseAfter: ReadonlySet<string>; // codes of units valid on some day >= D that are not in `units` (e.g. starting later)
  openCampaignCounters: ReadonlySet<string>; // counters in a campaign whose period has a day >= D
}
export interface ReorganisationPlan {
  on: string;
  ended: string[]; // codes ending at D (sorted)
  created: {
    code: string;
    name: string;
    type: string;
    parentCode: string | null;
    predecessors: string[];
  }[];
  lineage: { predecessor: string; successor: string; share: number }[];
  parentChanges: { unit: string; parentCode: string | null }[]; // surviving units whose parent changes at D
  counterMoves: { counter: string; from: string; to: string }[];
}
