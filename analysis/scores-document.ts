// The scores document of interchange.md §5: what `sipas scores --format json` prints and
// GET /api/v1/campaigns/{campaign}/scores returns. One schema, so that the service parses
// what it returns and a client can parse what it receives.
import * as z from 'zod';
import { scoringRulesSchema } from './rules.ts';

const interval = z.tuple([z.number(), z.number()]);

/** A factor, block or SIPAS index; every figure unrounded, in percent; null when undefined. */
export const indexScoreSchema = z.object({
  index: z.number().nullable(),
  se: z.number().nonnegative().nullable(),
  ci: interval.nullable(),
});

export const itemScoreSchema = z.object({
  /** Unweighted counts of answers. */
  valid: z.number().int().nonnegative(),
  satisfied: z.number().int().nonnegative(),
  ...indexScoreSchema.shape,
  flags: z.array(z.literal('small-sample')),
});

export const groupFlagSchema = z.enum(['small-sample', 'wide-interval', 'lonely-stratum']);

export const groupKeySchema = z.union([
  z.object({ unit: z.string() }).strict(),
  z.object({ counter: z.string() }).strict(),
  z.object({}).strict(),
]);

export const groupScoresSchema = z.object({
  key: groupKeySchema,
  respondents: z.number().int().nonnegative(),
  modes: z.record(z.string(), z.number().int().positive()),
  transactions: z.number().int().nonnegative().nullable(),
  responseRate: z.number().nonnegative().nullable(),
  items: z.record(z.string(), itemScoreSchema),
  factors: z.record(z.string(), indexScoreSchema),
  /** Only for an instrument with blocks (sipas-2023). */
  blocks: z.record(z.string(), indexScoreSchema).optional(),
  sipas: indexScoreSchema,
  flags: z.array(groupFlagSchema),
});

/** What the codes of a document name, so that a download says what it is (spec §7). */
export const scoresNamesSchema = z.object({
  campaign: z.string(),
  /** Every unit of the groups, by code. */
  units: z.record(z.string(), z.string()),
  /** Every counter of the campaign, by code. */
  counters: z.record(z.string(), z.string()),
});

/**
 * Present when the document covers only some of the campaign's counters: a scoped account's
 * (`unit` its unit), or those a request named (`unit` null). Every group, `all` included, is
 * computed from these counters alone.
 */
export const scoresScopeSchema = z.object({
  unit: z.string().nullable(),
  counters: z.array(z.string()),
});

/**
 * Present when the units are those of a peer group (a league table): the group of the
 * campaign's period (the year of its last day); `groups` holds its units with respondents.
 */
export const scoresPeersSchema = z.object({
  group: z.string(),
  period: z.string(),
  /** The group's units without respondents in the campaign, by code. */
  without: z.array(z.string()),
});

export const scoresDocumentSchema = z.object({
  campaign: z.string(),
  instrument: z.string(),
  rules: scoringRulesSchema,
  scope: scoresScopeSchema.optional(),
  peers: scoresPeersSchema.optional(),
  groups: z.array(groupScoresSchema),
  names: scoresNamesSchema,
});

/**
 * A group of the league view: the group's figures without its items, factors and blocks, for a
 * table that ranks thousands of groups by SIPAS (by counter, a province's 1,000 counters carry
 * 3.9 MB of items and factors; issue 19). Every figure it keeps is the full document's.
 */
export const leagueGroupSchema = groupScoresSchema.omit({
  items: true,
  factors: true,
  blocks: true,
});

/** The scores document in its league view (`view: league`, interchange.md §5). */
export const leagueDocumentSchema = scoresDocumentSchema.extend({
  view: z.literal('league'),
  groups: z.array(leagueGroupSchema),
});

/** `full`: the scores document; `league`: its league view. */
export const viewValues = ['full', 'league'] as const;
export type View = (typeof viewValues)[number];

export type IndexScore = z.output<typeof indexScoreSchema>;
export type ItemScore = z.output<typeof itemScoreSchema>;
export type GroupFlag = z.output<typeof groupFlagSchema>;
export type GroupKey = z.output<typeof groupKeySchema>;
export type GroupScores = z.output<typeof groupScoresSchema>;
export type ScoresDocument = z.output<typeof scoresDocumentSchema>;
export type ScoresNames = z.output<typeof scoresNamesSchema>;
export type ScoresScope = z.output<typeof scoresScopeSchema>;
export type LeagueGroup = z.output<typeof leagueGroupSchema>;
export type LeagueDocument = z.output<typeof leagueDocumentSchema>;

export const byValues = ['all', 'unit', 'counter'] as const;
export type By = (typeof byValues)[number];

/** The name of a group: its unit's or counter's, or the campaign's for `all`. */
export function groupName(key: GroupKey, names: ScoresNames): string {
  if ('unit' in key) return names.units[key.unit] ?? '';
  if ('counter' in key) return names.counters[key.counter] ?? '';
  return names.campaign;
}

/** The `group` column of the CSV forms: `all`, `unit:CODE` or `counter:CODE`. */
export function groupLabel(key: GroupKey): string {
  if ('unit' in key) return `unit:${key.unit}`;
  if ('counter' in key) return `counter:${key.counter}`;
  return 'all';
}

/** The league view of a document: the same figures, each group's items and factors left out. */
export function leagueView(document: ScoresDocument): LeagueDocument {
  return {
    ...document,
    view: 'league',
    groups: document.groups.map(({ items, factors, blocks, ...group }) => group),
  };
}
