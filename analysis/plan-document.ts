// The remediation plan's documents (par-cycle.md §6, docs/plans.md): the facts a draft states,
// the plan's editable sections, and the plan as the API serves it. One schema each, so that
// the service parses what it stores and returns and the console parses what it receives.
import * as z from 'zod';
import { TASK_STATUSES } from '../shared/plan.ts';
import { indexScoreSchema } from './scores-document.ts';

const named = z.object({ code: z.string(), name: z.string() });
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** A target "top K" of the total or a node, and the points still missing to reach it. */
export const planTargetSchema = z.object({
  /** A node's code, or `total`. */
  node: z.string(),
  name: z.string(),
  top: z.number().int().positive(),
  /** The points of the K-th unit now (a node's: its percent of the applicable maximum). */
  target: z.number().nullable(),
  /** What the unit lacks to reach it; 0 when it is there already. */
  gap: z.number().nullable(),
});

/** One node of the framework (or the total) as the unit scored on it, among its peers. */
export const planNodeFactSchema = z.object({
  code: z.string(),
  name: z.string(),
  /** 1 for a field (the first level), 2 for a criterion, and so on. */
  depth: z.number().int().positive(),
  points: z.number().nullable(),
  max: z.number(),
  applicableMax: z.number(),
  percent: z.number().nullable(),
  change: z.number().nullable(),
  /** Among the peers with points on the node; equal scores share a rank ("đồng hạng"). */
  rank: z.number().int().positive().nullable(),
  /** How many peers were ranked on the node. */
  of: z.number().int().nonnegative(),
  /** How many other peers share the unit's rank. */
  tiedWith: z.number().int().nonnegative(),
  rankChange: z.number().int().nullable(),
  /** The applicable maximum less the points: what the unit lost on the node. */
  pointsLost: z.number().nullable(),
});

/** A SIPAS item whose index is significantly below the peers' pooled index. */
export const itemBelowPeersSchema = z.object({
  item: z.string(),
  text: z.string(),
  factor: z.string(),
  index: z.number(),
  peersIndex: z.number(),
  /** The unit's index less the peers' pooled index, its SE and 95% interval (excludes 0). */
  difference: z.number(),
  se: z.number().nonnegative(),
  ci: z.tuple([z.number(), z.number()]),
});

/** The SIPAS figures of the campaign named, for the unit and its peers pooled. */
export const planSipasSchema = z.object({
  campaign: named,
  /** Which rules made the figures (sipas.md §5: every output says so). */
  rules: z.string(),
  respondents: z.number().int().nonnegative(),
  peersRespondents: z.number().int().nonnegative(),
  sipas: indexScoreSchema,
  factors: z.array(named.extend({ score: indexScoreSchema })),
  itemsBelowPeers: z.array(itemBelowPeersSchema),
});

/** The facts of a draft, as they stood when it was drafted; stored and never changed. */
export const planFactsSchema = z.object({
  framework: named,
  period: z.string(),
  /** The period the changes are on, null when there is none. */
  previous: z.string().nullable(),
  peers: named,
  unit: named,
  /** The unit's parent on the period's map (the issuing body's superior), null at the top. */
  parent: named.nullable(),
  /** The publication the figures are read from; null when they are the figures of now. */
  published: z.object({ version: z.number().int().positive(), at: z.string() }).nullable(),
  /** True when some points are self-scores not yet appraised. */
  provisional: z.boolean(),
  /** The whole framework as the unit scored on it (`code` `total`), with its band. */
  total: planNodeFactSchema.omit({ depth: true }).extend({ band: z.string().nullable() }),
  /** The first level of the framework (for a flat framework, its components). */
  fields: z.array(planNodeFactSchema),
  /** Every node that lost points, ranked by points lost (most first), then by rank (worst first). */
  weakByPointsLost: z.array(z.string()),
  /** The same nodes ranked by rank among the peers (worst first), then by points lost. */
  weakByRank: z.array(z.string()),
  /** Every node of the framework, by code, for the lists above. */
  nodes: z.record(z.string(), planNodeFactSchema),
  targets: z.array(planTargetSchema),
  sipas: planSipasSchema.nullable(),
});

/** A task as drafted or written; `overdue` is added when served (shared/plan.ts). */
export const planTaskInputSchema = z.object({
  content: z.string(),
  lead: z.string(),
  coordinating: z.array(z.string()),
  deadline: day.nullable(),
  expectedOutput: z.string(),
  nodes: z.array(z.string()),
  factors: z.array(z.string()),
  status: z.enum(TASK_STATUSES),
});

/** The plan's texts that its authors edit; the draft proposes each. */
export const planSectionsSchema = z.object({
  /** Trích yếu: the line under "KẾ HOẠCH". */
  summary: z.string(),
  /** I. MỤC ĐÍCH, YÊU CẦU. */
  purpose: z.string(),
  /** III. TỔ CHỨC THỰC HIỆN. */
  organisation: z.string(),
  /** Nơi nhận, one recipient a line. */
  recipients: z.array(z.string()),
  /**
   * The heading's superior body (cơ quan chủ quản, e.g. "UBND tỉnh Bà Rịa - Vũng Tàu") and
   * issuing body, as the plan writes them (upper case in the document). Drafted from the unit's
   * parent and the unit: a parent that is a grouping of units rather than a body is corrected
   * here. An empty superior body leaves the line out.
   */
  superiorBody: z.string(),
  issuingBody: z.string(),
  /** Where the plan is issued ("Bà Rịa - Vũng Tàu"); empty leaves a blank to fill. */
  place: z.string(),
  /** The signature block: title (e.g. "GIÁM ĐỐC") and name; empty leaves blanks. */
  signerTitle: z.string(),
  signerName: z.string(),
});

/** What a draft proposes before it is stored: the facts, the sections and one task a weak node. */
export const planDraftSchema = z.object({
  facts: planFactsSchema,
  sections: planSectionsSchema,
  tasks: z.array(planTaskInputSchema),
});

export const planFileSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  mediaType: z.string(),
  size: z.number().int().positive(),
  sha256: z.string(),
});

export const progressReportSchema = z.object({
  id: z.number().int(),
  on: day,
  text: z.string(),
  by: z.string(),
  at: z.string(),
  files: z.array(planFileSchema),
});

export const planTaskSchema = planTaskInputSchema.extend({
  id: z.number().int(),
  position: z.number().int().positive(),
  overdue: z.boolean(),
  reports: z.array(progressReportSchema),
});

/** Tasks by status for one node or factor (or a whole plan in a roll-up). */
export const taskCountsSchema = z.object({
  tasks: z.number().int().nonnegative(),
  notStarted: z.number().int().nonnegative(),
  inProgress: z.number().int().nonnegative(),
  done: z.number().int().nonnegative(),
  overdue: z.number().int().nonnegative(),
});

/** A stored plan as GET /api/v1/plans/{id} serves it. */
export const planSchema = z.object({
  id: z.number().int(),
  unit: named,
  framework: named,
  period: z.string(),
  peers: z.string(),
  campaign: z.string().nullable(),
  facts: planFactsSchema,
  sections: planSectionsSchema,
  tasks: z.array(planTaskSchema),
  /** Progress by the node (or factor) the tasks answer. */
  progress: z.array(named.extend(taskCountsSchema.shape)),
  /** The day (Vietnam time) `overdue` was computed for. */
  today: day,
  draftedAt: z.string(),
  draftedBy: z.string(),
  updatedAt: z.string(),
});

/** A unit above's view of its children's plans for a framework's period. */
export const planRollUpSchema = z.object({
  unit: named,
  framework: named,
  period: z.string(),
  today: day,
  plans: z.array(
    z
      .object({ id: z.number().int(), unit: named, updatedAt: z.string() })
      .extend(taskCountsSchema.shape),
  ),
  /** Children with no plan yet. */
  withoutPlan: z.array(named),
});

export type PlanTarget = z.output<typeof planTargetSchema>;
export type PlanNodeFact = z.output<typeof planNodeFactSchema>;
export type ItemBelowPeers = z.output<typeof itemBelowPeersSchema>;
export type PlanSipas = z.output<typeof planSipasSchema>;
export type PlanFacts = z.output<typeof planFactsSchema>;
export type PlanTaskInput = z.output<typeof planTaskInputSchema>;
export type PlanSections = z.output<typeof planSectionsSchema>;
export type PlanDraft = z.output<typeof planDraftSchema>;
export type PlanTask = z.output<typeof planTaskSchema>;
export type Plan = z.output<typeof planSchema>;
export type PlanRollUp = z.output<typeof planRollUpSchema>;
