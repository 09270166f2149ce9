// Change between two campaigns (spec §5): per group present in both, each index's difference,
// its standard error for independent samples, its 95% interval and whether that excludes 0.
//
// The document (`sipas compare --format json`):
//   { "campaign": "BRVT-2025", "with": "BRVT-2024", "by": "unit",
//     "instruments": { "campaign": "sipas-2017", "with": "sipas-2017" },
//     "rules": { "campaign": {…}, "with": {…} },            // each campaign's scoring rules
//     "groups": [
//       { "key": { "unit": "BRVT" },
//         "respondents": { "campaign": 60, "with": 55 },
//         "items":   { "TC1": <change>, … },               // indices present in both campaigns
//         "factors": { "TC": <change>, … },
//         "blocks":  { … },                                // only when both instruments have it
//         "sipas":   <change> } ] }
// where <change> is { "campaign": index, "with": index, "change": campaign − with, "se",
// "ci": [low, high], "significant": true | false }. `change` is null when either index is,
// `se`, `ci` and `significant` when either standard error is. Groups follow the first
// campaign's order; a group or index found in only one campaign is left out.
import { z } from 'zod';
import { normalInterval } from './intervals.ts';
import { scoringRulesSchema, Z_975 } from './rules.ts';
import {
  byValues,
  groupKeySchema,
  groupLabel,
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

export const comparisonGroupSchema = z.object({
  key: groupKeySchema,
  respondents: pair(z.number().int().nonnegative()),
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
  groups: z.array(comparisonGroupSchema),
});

export type Change = z.output<typeof changeSchema>;
export type ComparisonGroup = z.output<typeof comparisonGroupSchema>;
export type ComparisonDocument = z.output<typeof comparisonDocumentSchema>;

export function change(current: IndexScore, previous: IndexScore): Change {
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
    significant: ci === null ? null : ci[0] > 0 || ci[1] < 0,
  };
}

function changes(
  current: Readonly<Record<string, IndexScore>>,
  previous: Readonly<Record<string, IndexScore>>,
): Record<string, Change> {
  return Object.fromEntries(
    Object.entries(current).flatMap(([code, score]) => {
      const before = previous[code];
      return before ? [[code, change(score, before)]] : [];
    }),
  );
}

export function compareScores(
  current: ScoresDocument,
  previous: ScoresDocument,
  by: (typeof byValues)[number],
): ComparisonDocument {
  const earlier = new Map(previous.groups.map((group) => [groupLabel(group.key), group]));
  return {
    campaign: current.campaign,
    with: previous.campaign,
    by,
    instruments: { campaign: current.instrument, with: previous.instrument },
    rules: { campaign: current.rules, with: previous.rules },
    groups: current.groups.flatMap((group): ComparisonGroup[] => {
      const before = earlier.get(groupLabel(group.key));
      if (!before) return [];
      return [
        {
          key: group.key,
          respondents: { campaign: group.respondents, with: before.respondents },
          items: changes(group.items, before.items),
          factors: changes(group.factors, before.factors),
          ...(group.blocks && before.blocks
            ? { blocks: changes(group.blocks, before.blocks) }
            : {}),
          sipas: change(group.sipas, before.sipas),
        },
      ];
    }),
  };
}
