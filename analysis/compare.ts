// Change between two campaigns (spec §5): per group present in both, each index's difference,
// its standard error for independent samples, its 95% interval and whether that excludes 0.
//
// The document (`sipas compare --format json`):
//   { "campaign": "BRVT-2025", "with": "BRVT-2024", "by": "unit",
//     "instruments": { "campaign": "sipas-2017", "with": "sipas-2017" },
//     "rules": { "campaign": {…}, "with": {…} },            // each campaign's scoring rules
//     "scope": { "campaign": {…} | null, "with": {…} | null }, // only when a document has one
//     "groups": [
//       { "key": { "unit": "BRVT" },
//         "respondents": { "campaign": 60, "with": 55 },
//         "flags": { "campaign": [], "with": ["lonely-stratum"] }, // each group's flags
//         "coverage": 0.8,      // later respondents at counters with earlier responses, share
//         "items":   { "TC1": <change>, … },               // indices present in both campaigns
//         "factors": { "TC": <change>, … },
//         "blocks":  { … },                                // only when both instruments have it
//         "sipas":   <change> } ] }
// where <change> is { "campaign": index, "with": index, "change": campaign − with, "se",
// "ci": [low, high], "significant": true | false }. `change` is null when either index is,
// `se`, `ci` and `significant` when either standard error is. `significant` is null too
// unless both groups have at least two respondents and neither is a `lonely-stratum`: a
// counter of one respondent adds no variance, and a standard error of 0 is no certainty
// (spec §5, settled details). `scope` is each scores document's (analysis/scores-document.ts),
// null for one covering its whole campaign: a comparison of parts says so, as they do. Groups follow the first campaign's order; a group or index
// found in only one campaign is left out.
//
// Across a reorganisation (docs/organisation.md): both campaigns are scored on the map of the
// later one's last day, so a unit's earlier figure comes from the earlier responses at the
// counters it holds then. Each group has `coverage`, the later campaign's respondents at
// counters with any earlier response ÷ all its later respondents (lineage.ts), and
// `reorganised` joins the earlier campaign's `flags` when that is below the threshold.
import * as z from 'zod';
import { normalInterval } from './intervals.ts';
import { compareCoverage } from './lineage.ts';
import { scoringRulesSchema, Z_975 } from './rules.ts';
import { respondentsOf, unitSubtrees, type CounterFacts, type UnitFacts } from './scoring.ts';
import {
  byValues,
  groupFlagSchema,
  groupKeySchema,
  groupLabel,
  type GroupScores,
  scoresScopeSchema,
  type IndexScore,
  type ScoresDocument,
} from './scores-document.ts';

export const changeSchema = z.object({
  campaign: z.number().nullable(),
  with: z.number().nullable(),
  change: z.number().nullable(),
  se: z.number().nonnegative().nullable(),
  ci: z.tuple([z.number(), z.number()]).nullable(),
  significant: z.boolean().nullable(),
});

const pair = <T extends z.ZodType>(of: T) => z.object({ campaign: of, with: of });

/** A group's flags, and `reorganised` on the earlier campaign's side. */
export const comparisonFlagSchema = z.enum([...groupFlagSchema.options, 'reorganised']);

export const comparisonGroupSchema = z.object({
  key: groupKeySchema,
  respondents: pair(z.number().int().nonnegative()),
  flags: pair(z.array(comparisonFlagSchema)),
  /** Null when the later campaign's group has no respondent. */
  coverage: z.number().min(0).max(1).nullable(),
  items: z.record(z.string(), changeSchema),
  factors: z.record(z.string(), changeSchema),
  blocks: z.record(z.string(), changeSchema).optional(),
  sipas: changeSchema,
});

export const comparisonDocumentSchema = z.object({
  campaign: z.string(),
  with: z.string(),
  by: z.enum(byValues),
  instruments: pair(z.string()),
  rules: pair(scoringRulesSchema),
  /** Present when either document covers part of its campaign: each one's scope, or null. */
  scope: pair(scoresScopeSchema.nullable()).optional(),
  groups: z.array(comparisonGroupSchema),
});

export type Change = z.output<typeof changeSchema>;
export type ComparisonGroup = z.output<typeof comparisonGroupSchema>;
export type ComparisonDocument = z.output<typeof comparisonDocumentSchema>;

/**
 * The change between two groups' same index. `testable`: whether their standard errors can
 * say if it is significant (`testableGroups`).
 */
export function change(current: IndexScore, previous: IndexScore, testable = true): Change {
  const difference =
    current.index === null || previous.index === null ? null : current.index - previous.index;
  const se =
    difference === null || current.se === null || previous.se === null
      ? null
      : Math.sqrt(current.se * current.se + previous.se * previous.se);
  const ci =
    difference === null || se === null ? null : normalInterval(difference, se, Z_975, false);
  return {
    campaign: current.index,
    with: previous.index,
    change: difference,
    se,
    ci,
    significant: ci === null || !testable ? null : ci[0] > 0 || ci[1] < 0,
  };
}

/** Whether a change between the two groups can be significant (spec §5, settled details). */
const testableGroups = (current: GroupScores, previous: GroupScores) =>
  [current, previous].every(
    (group) => group.respondents >= 2 && !group.flags.includes('lonely-stratum'),
  );

function changes(
  current: Readonly<Record<string, IndexScore>>,
  previous: Readonly<Record<string, IndexScore>>,
  comparable: boolean,
): Record<string, Change> {
  return Object.fromEntries(
    Object.entries(current).flatMap(([code, score]) => {
      const before = previous[code];
      return before ? [[code, change(score, before, comparable)]] : [];
    }),
  );
}

/** What a comparison knows of the later campaign's groups' counters. */
export interface CoverageFacts {
  /** The later campaign's counters, with their respondents and their unit on its last day. */
  counters: readonly CounterFacts[];
  /** Their units and ancestors on that day. */
  units: readonly UnitFacts[];
  /** Codes of the counters with any valid response in the earlier campaign. */
  earlierCounters: ReadonlySet<string>;
  /** Which campaign of the comparison is the earlier: its side takes `reorganised`. */
  earlier: 'campaign' | 'with';
  threshold: number;
}

/** Each later group's coverage and whether it is `reorganised`, by group label. */
function coverageByGroup(by: (typeof byValues)[number], facts: CoverageFacts) {
  const respondents = (counters: readonly CounterFacts[]) =>
    new Map(counters.map((c) => [c.code, respondentsOf(c)]));
  const coverage = (counters: readonly CounterFacts[]) =>
    compareCoverage(respondents(counters), facts.earlierCounters, facts.threshold);
  const groups = new Map<string, ReturnType<typeof compareCoverage>>();
  if (by === 'all') groups.set(groupLabel({}), coverage(facts.counters));
  if (by === 'counter') {
    for (const c of facts.counters) groups.set(groupLabel({ counter: c.code }), coverage([c]));
  }
  if (by === 'unit') {
    const subtrees = unitSubtrees(facts.counters, facts.units);
    for (const unit of facts.units) {
      groups.set(groupLabel({ unit: unit.code }), coverage(subtrees.get(unit.id) ?? []));
    }
  }
  return groups;
}

export function compareScores(
  current: ScoresDocument,
  previous: ScoresDocument,
  by: (typeof byValues)[number],
  facts: CoverageFacts,
): ComparisonDocument {
  const coverages = coverageByGroup(by, facts);
  const earlier = new Map(previous.groups.map((group) => [groupLabel(group.key), group]));
  return {
    campaign: current.campaign,
    with: previous.campaign,
    by,
    instruments: { campaign: current.instrument, with: previous.instrument },
    rules: { campaign: current.rules, with: previous.rules },
    ...(current.scope === undefined && previous.scope === undefined
      ? {}
      : { scope: { campaign: current.scope ?? null, with: previous.scope ?? null } }),
    groups: current.groups.flatMap((group): ComparisonGroup[] => {
      const before = earlier.get(groupLabel(group.key));
      if (!before) return [];
      const comparable = testableGroups(group, before);
      const { coverage, reorganised } = coverages.get(groupLabel(group.key)) ?? {
        coverage: null,
        reorganised: false,
      };
      const flags: ComparisonGroup['flags'] = {
        campaign: [...group.flags],
        with: [...before.flags],
      };
      if (reorganised) flags[facts.earlier].push('reorganised');
      return [
        {
          key: group.key,
          respondents: { campaign: group.respondents, with: before.respondents },
          flags,
          coverage,
          items: changes(group.items, before.items, comparable),
          factors: changes(group.factors, before.factors, comparable),
          ...(group.blocks && before.blocks
            ? { blocks: changes(group.blocks, before.blocks, comparable) }
            : {}),
          sipas: change(group.sipas, before.sipas, comparable),
        },
      ];
    }),
  };
}
