// What the console reads from the API, parsed on arrival (interchange.md §5, §6 and the
// OpenAPI document at /api/openapi.json). Only the fields the console shows are named, and each
// schema is pinned to the API's own type, so that the API cannot rename, drop or retype a field
// the console reads without failing `npm run typecheck` here.
import * as z from 'zod/mini';
import type * as api from '../../api/contract.ts';
import { ASSESSMENT_STATES, STAGES } from '../../shared/assessment.ts';
import { TASK_STATUSES } from '../../shared/plan.ts';

/**
 * What `Schema` parses, provided that every value of the API's type `Api` passes it. When the
 * API drifts, tsc reports "does not satisfy the constraint" at the pinned type, and the field.
 */
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- Api's constraint is the check.
type Parsed<Schema extends z.ZodMiniType, Api extends z.infer<Schema>> = z.infer<Schema>;

export type { Localized, Role } from '../../api/contract.ts';

const localized = z.object({ vi: z.string(), en: z.string() });
const roleSchema = z.enum(['admin', 'surveyor', 'analyst', 'appraiser', 'unit']);

export const problemSchema = z.object({
  status: z.number(),
  detail: z.optional(z.string()),
  title: z.optional(z.string()),
  errors: z.optional(z.array(z.object({ path: z.string(), message: z.string() }))),
});
export type Problem = Parsed<typeof problemSchema, api.Problem>;

export const meSchema = z.object({
  login: z.nullable(z.string()),
  name: z.string(),
  role: roleSchema,
  unit: z.nullable(z.string()),
  csrfToken: z.nullable(z.string()),
});
export type Me = Parsed<typeof meSchema, api.Account>;

export const signedInSchema = z.object({ account: meSchema });
export type SignedIn = Parsed<typeof signedInSchema, api.SignedIn>;

export const staffAccountSchema = z.object({
  login: z.string(),
  name: z.string(),
  role: roleSchema,
  unit: z.nullable(z.string()),
  scopeNeedsReview: z.boolean(),
  scopeSuccessors: z.array(z.string()),
  hasPassword: z.boolean(),
  disabledAt: z.nullable(z.string()),
});
export type StaffAccount = Parsed<typeof staffAccountSchema, api.StaffAccount>;

export const apiTokenSchema = z.object({
  prefix: z.string(),
  name: z.string(),
  role: roleSchema,
  unit: z.nullable(z.string()),
  scopeNeedsReview: z.boolean(),
  scopeSuccessors: z.array(z.string()),
  owner: z.nullable(z.string()),
  createdAt: z.string(),
  revokedAt: z.nullable(z.string()),
  lastUsedAt: z.nullable(z.string()),
});
export type ApiToken = Parsed<typeof apiTokenSchema, api.ApiToken>;

export const createdTokenSchema = z.object({ token: z.string(), entry: apiTokenSchema });
export type CreatedToken = Parsed<typeof createdTokenSchema, api.CreatedToken>;

export const signInMethodsSchema = z.object({ singleSignOn: z.boolean() });
export type SignInMethods = Parsed<typeof signInMethodsSchema, api.SignInMethods>;

export const unitSchema = z.object({
  code: z.string(),
  name: z.string(),
  parent: z.nullable(z.string()),
});
export type Unit = Parsed<typeof unitSchema, api.Unit>;

const dated = { validFrom: z.nullable(z.string()), validTo: z.nullable(z.string()) };
const datedLink = z.object({ code: z.string(), name: z.string(), ...dated });
const lineageEdge = z.object({
  code: z.string(),
  name: z.string(),
  share: z.number(),
  on: z.string(),
});

export const unitHistorySchema = z.object({
  code: z.string(),
  units: z.array(
    z.object({
      name: z.string(),
      type: z.string(),
      ...dated,
      parents: z.array(datedLink),
      counters: z.array(datedLink),
      predecessors: z.array(lineageEdge),
      successors: z.array(lineageEdge),
    }),
  ),
});
export type UnitHistory = Parsed<typeof unitHistorySchema, api.UnitHistory>;

export const counterSchema = z.object({
  code: z.string(),
  name: z.string(),
  unit: z.string(),
  hasToken: z.boolean(),
});
export type Counter = Parsed<typeof counterSchema, api.Counter>;

export const issuedTokenSchema = z.object({
  counter: z.string(),
  token: z.string(),
  url: z.string(),
  code: z.string(),
});
export type IssuedToken = Parsed<typeof issuedTokenSchema, api.IssuedToken>;

const scaleSchema = z.object({
  code: z.string(),
  kind: z.enum(['ordinal', 'choice', 'text']),
  options: z.array(z.object({ value: z.number(), label: localized })),
});

const itemSchema = z.object({
  code: z.string(),
  text: localized,
  scale: z.string(),
  multiple: z.optional(z.boolean()),
  factor: z.optional(z.string()),
  askIf: z.optional(z.object({ item: z.string(), equals: z.number() })),
});

export const instrumentSchema = z.object({
  code: z.string(),
  name: localized,
  scales: z.array(scaleSchema),
  items: z.array(itemSchema),
  factors: z.array(z.object({ code: z.string(), name: localized, block: z.optional(z.string()) })),
  blocks: z.optional(z.array(z.object({ code: z.string(), name: localized }))),
  overallItem: z.string(),
});
export type Instrument = Parsed<typeof instrumentSchema, api.Instrument>;

export const instrumentSummarySchema = z.object({ code: z.string(), name: localized });
export type InstrumentSummary = Parsed<typeof instrumentSummarySchema, api.InstrumentSummary>;

export const rulesSchema = z.object({
  score: z.enum(['share', 'mean']),
  satisfied: z.array(z.number()),
  blanks: z.enum(['exclude', 'unsatisfied']),
  factor: z.enum(['meanOfItems', 'pooled', 'overallItem']),
  sipas: z.enum(['meanOfFactors', 'pooled', 'overallItem']),
  above: z.enum(['pooled', 'meanOfChildren']),
  design: z.enum(['srs', 'stratified']),
  confidence: z.number(),
  adequacy: z.optional(
    z.object({
      minRespondents: z.number(),
      maxIntervalWidth: z.number(),
      minItemValid: z.number(),
    }),
  ),
});
export type Rules = Parsed<typeof rulesSchema, api.ScoringRules>;

const campaignFields = {
  code: z.string(),
  name: z.string(),
  instrument: z.string(),
  startsOn: z.string(),
  endsOn: z.string(),
};

export const campaignSummarySchema = z.object({ ...campaignFields, counters: z.number() });
export type CampaignSummary = Parsed<typeof campaignSummarySchema, api.CampaignSummary>;

export const campaignSchema = z.object({
  ...campaignFields,
  rules: rulesSchema,
  counters: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      unit: z.string(),
      target: z.nullable(z.number()),
      transactions: z.nullable(z.number()),
    }),
  ),
});
export type Campaign = Parsed<typeof campaignSchema, api.Campaign>;

const modesSchema = z.record(z.string(), z.number());

const progressFigures = {
  respondents: z.number(),
  quarantined: z.number(),
  modes: modesSchema,
  target: z.nullable(z.number()),
  transactions: z.nullable(z.number()),
  responseRate: z.nullable(z.number()),
  plannedSample: z.nullable(z.number()),
  progress: z.nullable(z.number()),
};

export const progressSchema = z.object({
  campaign: z.string(),
  counters: z.array(
    z.object({ counter: z.string(), name: z.string(), unit: z.string(), ...progressFigures }),
  ),
  total: z.object(progressFigures),
});
export type Progress = Parsed<typeof progressSchema, api.CampaignProgress>;
export type ProgressFigures = Progress['total'];

const interval = z.nullable(z.tuple([z.number(), z.number()]));

const indexScoreSchema = z.object({
  index: z.nullable(z.number()),
  se: z.nullable(z.number()),
  ci: interval,
});

const itemScoreSchema = z.object({
  valid: z.number(),
  satisfied: z.number(),
  index: z.nullable(z.number()),
  se: z.nullable(z.number()),
  ci: interval,
  flags: z.array(z.string()),
});

const groupKeySchema = z.object({
  unit: z.optional(z.string()),
  counter: z.optional(z.string()),
});
export type GroupKey = Parsed<typeof groupKeySchema, api.GroupKey>;

const groupSchema = z.object({
  key: groupKeySchema,
  respondents: z.number(),
  modes: modesSchema,
  transactions: z.nullable(z.number()),
  responseRate: z.nullable(z.number()),
  items: z.record(z.string(), itemScoreSchema),
  factors: z.record(z.string(), indexScoreSchema),
  blocks: z.optional(z.record(z.string(), indexScoreSchema)),
  sipas: indexScoreSchema,
  flags: z.array(z.string()),
});
export type GroupScores = Parsed<typeof groupSchema, api.GroupScores>;

export const scoresSchema = z.object({
  campaign: z.string(),
  instrument: z.string(),
  rules: rulesSchema,
  groups: z.array(groupSchema),
});
export type Scores = Parsed<typeof scoresSchema, api.ScoresDocument>;

/**
 * The league view of a scores document (`view=league`): each group's SIPAS, respondents and
 * flags, without items and factors: by counter, a province's 1,000 counters carry 3.9 MB of
 * them, which the page took seconds to fetch and read (issue 19).
 */
export const rankingScoresSchema = z.object({
  rules: rulesSchema,
  groups: z.array(
    z.object({
      key: groupKeySchema,
      respondents: z.number(),
      sipas: indexScoreSchema,
      flags: z.array(z.string()),
    }),
  ),
});
export type RankingScores = Parsed<typeof rankingScoresSchema, api.LeagueDocument>;
export type RankedGroup = RankingScores['groups'][number];

const changeSchema = z.object({
  campaign: z.nullable(z.number()),
  with: z.nullable(z.number()),
  change: z.nullable(z.number()),
  se: z.nullable(z.number()),
  ci: interval,
  significant: z.nullable(z.boolean()),
});
export type Change = Parsed<typeof changeSchema, api.Change>;

const pair = <T>(of: z.ZodMiniType<T>) => z.object({ campaign: of, with: of });

export const comparisonSchema = z.object({
  campaign: z.string(),
  with: z.string(),
  rules: pair(rulesSchema),
  groups: z.array(
    z.object({
      key: groupKeySchema,
      respondents: pair(z.number()),
      flags: pair(z.array(z.string())),
      coverage: z.nullable(z.number()),
      items: z.record(z.string(), changeSchema),
      factors: z.record(z.string(), changeSchema),
      sipas: changeSchema,
    }),
  ),
});
export type Comparison = Parsed<typeof comparisonSchema, api.ComparisonDocument>;

const componentSchema = z.object({
  points: z.nullable(z.number()),
  max: z.number(),
  available: z.nullable(z.number()),
  change: z.nullable(z.number()),
  rank: z.nullable(z.number()),
  rankChange: z.nullable(z.number()),
});

const nodeCardSchema = z.object({
  points: z.nullable(z.number()),
  max: z.number(),
  applicableMax: z.number(),
  percent: z.nullable(z.number()),
  change: z.nullable(z.number()),
  rank: z.nullable(z.number()),
  rankChange: z.nullable(z.number()),
  target: z.nullable(z.number()),
  gapToTarget: z.nullable(z.number()),
});

export const scorecardSchema = z.object({
  framework: z.string(),
  period: z.string(),
  previous: z.nullable(z.string()),
  peers: z.string(),
  top: z.nullable(z.number()),
  target: z.nullable(z.number()),
  level: z.optional(z.enum(['total', 'field', 'criterion', 'all'])),
  rows: z.array(
    z.object({
      unit: z.string(),
      previousFrom: z.optional(z.array(z.string())),
      total: z.number(),
      change: z.nullable(z.number()),
      rank: z.number(),
      rankChange: z.nullable(z.number()),
      gapToTarget: z.nullable(z.number()),
      components: z.record(z.string(), componentSchema),
      applicableMax: z.optional(z.number()),
      percent: z.optional(z.nullable(z.number())),
      band: z.optional(z.nullable(z.string())),
      nodes: z.optional(z.record(z.string(), nodeCardSchema)),
    }),
  ),
  /** Present when the document is the latest published version (docs/par.md, "Publication"). */
  published: z.optional(
    z.object({ version: z.number(), at: z.string(), reason: z.nullable(z.string()) }),
  ),
});
export type Scorecard = Parsed<typeof scorecardSchema, api.Scorecard>;

export const publishedSchema = z.object({ version: z.number() });
export type Published = Parsed<typeof publishedSchema, api.Published>;

export const nodeSourceSchema = z.enum(['assessment', 'sipas', 'survey', 'import']);

export const frameworkTreeSchema = z.object({
  code: z.string(),
  name: z.string(),
  nodes: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      max: z.number(),
      source: z.nullable(nodeSourceSchema),
      appliesTo: z.nullable(z.array(z.string())),
      guidance: z.nullable(z.string()),
    }),
  ),
  bands: z.array(z.object({ band: z.string(), min: z.number() })),
});
export type FrameworkTree = Parsed<typeof frameworkTreeSchema, api.FrameworkTree>;

export const importReportSchema = z.object({
  stored: z.number(),
  duplicates: z.array(z.string()),
});
export type ImportReport = Parsed<typeof importReportSchema, api.ResponsesImport>;

export const storedResponseSchema = z.object({ id: z.string() });
export type StoredResponse = Parsed<typeof storedResponseSchema, api.EnteredReply>;

export const storedFormSchema = z.object({
  id: z.string(),
  responseId: z.nullable(z.string()),
  counter: z.string(),
  submittedAt: z.string(),
  mode: z.string(),
  status: z.enum(['valid', 'quarantined', 'voided', 'replaced']),
  voidReason: z.nullable(z.string()),
  replaces: z.nullable(z.string()),
  correctable: z.boolean(),
  answers: z.record(z.string(), z.unknown()),
});
export type StoredForm = Parsed<typeof storedFormSchema, api.StoredForm>;

export const replacedFormSchema = z.object({
  original: storedFormSchema,
  replacement: storedFormSchema,
});
export type ReplacedForm = Parsed<typeof replacedFormSchema, api.ReplacedForm>;

export const list = <T>(item: z.ZodMiniType<T>) => z.array(item);

export const quarantinedSchema = z.object({
  id: z.string(),
  responseId: z.nullable(z.string()),
  counter: z.string(),
  submittedAt: z.string(),
  receivedAt: z.string(),
  mode: z.string(),
  reason: z.nullable(z.string()),
});
export type Quarantined = Parsed<typeof quarantinedSchema, api.QuarantinedResponse>;
export const quarantineSchema = z.array(quarantinedSchema);

const quarantineCountSchema = z.object({ key: z.nullable(z.string()), responses: z.number() });
export const quarantineSummarySchema = z.object({
  total: z.number(),
  byReason: z.array(quarantineCountSchema),
  byCounter: z.array(z.object({ key: z.string(), responses: z.number() })),
});
export type QuarantineSummary = Parsed<typeof quarantineSummarySchema, api.QuarantineSummary>;

export const releasedSchema = z.object({ released: z.number() });

export const auditPageSchema = z.object({
  entries: z.array(
    z.object({
      id: z.string(),
      at: z.string(),
      actor: z.string(),
      actorName: z.nullable(z.string()),
      action: z.string(),
      subject: z.string(),
      detail: z.unknown(),
    }),
  ),
  next: z.nullable(z.string()),
});
export type AuditPage = Parsed<typeof auditPageSchema, api.AuditPage>;
export const auditActionsSchema = z.array(z.string());

export const peerGroupSummarySchema = z.object({
  name: z.string(),
  period: z.string(),
  units: z.number(),
});
export type PeerGroupSummary = Parsed<typeof peerGroupSummarySchema, api.PeerGroupSummary>;

export const peerGroupSchema = z.object({
  name: z.string(),
  period: z.string(),
  day: z.string(),
  units: z.array(z.object({ code: z.string(), name: z.string() })),
  outside: z.number(),
});
export type PeerGroup = Parsed<typeof peerGroupSchema, api.PeerGroup>;

export const peersImportedSchema = z.object({
  groups: z.array(
    z.object({ name: z.string(), period: z.string(), units: z.number(), replaced: z.boolean() }),
  ),
});
export type PeersImported = Parsed<typeof peersImportedSchema, api.PeersImported>;
const namedUnitSchema = z.object({ code: z.string(), name: z.string() });

/** POST /reorganisations/preview: every change, and what else the reorganisation touches. */
export const reorganisationPreviewSchema = z.object({
  on: z.string(),
  units: z.object({ before: z.number(), after: z.number() }),
  changes: z.array(
    z.union([
      z.object({
        kind: z.enum(['merge', 'split', 're-code']),
        predecessors: z.array(namedUnitSchema),
        successors: z.array(z.object({ code: z.string(), name: z.string(), created: z.boolean() })),
        edges: z.array(
          z.object({ predecessor: z.string(), successor: z.string(), share: z.number() }),
        ),
      }),
      z.object({ kind: z.literal('end'), unit: namedUnitSchema }),
      z.object({
        kind: z.literal('transfer'),
        unit: namedUnitSchema,
        from: z.nullable(namedUnitSchema),
        to: z.nullable(namedUnitSchema),
      }),
    ]),
  ),
  created: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      type: z.string(),
      parent: z.nullable(namedUnitSchema),
      predecessors: z.array(namedUnitSchema),
    }),
  ),
  counterMoves: z.array(
    z.object({
      counter: z.string(),
      from: namedUnitSchema,
      to: namedUnitSchema,
      openCampaign: z.boolean(),
    }),
  ),
  campaigns: z.array(
    z.object({ code: z.string(), name: z.string(), counters: z.array(z.string()) }),
  ),
  peerGroups: z.array(
    z.object({ name: z.string(), period: z.string(), units: z.array(z.string()) }),
  ),
});
export type ReorganisationPreview = Parsed<
  typeof reorganisationPreviewSchema,
  api.ReorganisationPreview
>;

/** POST /reorganisations: the preview of what was applied, with its id. */
export const appliedReorganisationSchema = z.extend(reorganisationPreviewSchema, {
  id: z.number(),
});
export type AppliedReorganisation = Parsed<
  typeof appliedReorganisationSchema,
  api.AppliedReorganisation
>;

// The PAR self-assessment (par-cycle.md §2): a round's overview, the appraiser's queue, one
// unit's assessment with its leaves and evidence.
const assessmentStateSchema = z.enum(ASSESSMENT_STATES);

export const assessmentOverviewSchema = z.object({
  framework: z.string(),
  period: z.string(),
  peers: z.string(),
  deadline: z.string(),
  stages: z.array(z.enum(STAGES)),
  units: z.array(
    z.object({
      unit: z.string(),
      name: z.string(),
      state: z.union([assessmentStateSchema, z.literal('not-started')]),
      stageName: z.nullable(z.enum(STAGES)),
      scored: z.number(),
      leaves: z.number(),
      returnedLeaves: z.number(),
      submittedAt: z.nullable(z.string()),
      late: z.boolean(),
    }),
  ),
});
export type AssessmentOverview = Parsed<typeof assessmentOverviewSchema, api.AssessmentOverview>;

export const assessmentQueueSchema = z.object({
  assessments: z.array(
    z.object({
      framework: z.string(),
      period: z.string(),
      unit: z.string(),
      unitName: z.string(),
      state: assessmentStateSchema,
      stageName: z.enum(STAGES),
      submittedAt: z.nullable(z.string()),
    }),
  ),
});
export type AssessmentQueue = Parsed<typeof assessmentQueueSchema, api.AppraisalQueue>;

export const evidenceSchema = z.object({
  id: z.number(),
  fileName: z.string(),
  mediaType: z.string(),
  size: z.number(),
  uploadedAt: z.string(),
  uploadedBy: z.string(),
});
export type Evidence = Parsed<typeof evidenceSchema, api.EvidenceFile>;

const documentRefSchema = z.object({ number: z.string(), date: z.string(), issuer: z.string() });
export type DocumentRef = AssessmentLeaf['documentRefs'][number];

const assessmentLeafSchema = z.object({
  selfScore: z.nullable(z.number()),
  explanation: z.nullable(z.string()),
  documentRefs: z.array(documentRefSchema),
  notApplicable: z.boolean(),
  notApplicableReason: z.nullable(z.string()),
  notApplicableAccepted: z.nullable(z.boolean()),
  appraisedScore: z.nullable(z.number()),
  appraisalReason: z.nullable(z.string()),
  returned: z.boolean(),
  returnComment: z.nullable(z.string()),
  evidence: z.array(evidenceSchema),
});
export type AssessmentLeaf = Assessment['leaves'][string];

export const assessmentSchema = z.object({
  framework: z.string(),
  period: z.string(),
  unit: z.string(),
  unitName: z.string(),
  state: assessmentStateSchema,
  stageName: z.nullable(z.enum(STAGES)),
  deadline: z.string(),
  late: z.boolean(),
  progress: z.object({ scored: z.number(), leaves: z.number() }),
  nodes: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      max: z.number(),
      /** A leaf's source (nodeSourceSchema), null on an inner node. */
      source: z.nullable(z.string()),
      guidance: z.nullable(z.string()),
      applicable: z.boolean(),
    }),
  ),
  leaves: z.record(z.string(), assessmentLeafSchema),
  may: z.object({
    edit: z.boolean(),
    submit: z.boolean(),
    reopen: z.boolean(),
    appraise: z.boolean(),
  }),
});
export type Assessment = Parsed<typeof assessmentSchema, api.Assessment>;

// The remediation plans (par-cycle.md §6, docs/plans.md): the facts of a draft, a stored plan
// with its tasks and progress reports, and a unit above's roll-up of its children's plans.
const namedSchema = z.object({ code: z.string(), name: z.string() });

const planNodeFact = {
  code: z.string(),
  name: z.string(),
  points: z.nullable(z.number()),
  max: z.number(),
  applicableMax: z.number(),
  percent: z.nullable(z.number()),
  change: z.nullable(z.number()),
  rank: z.nullable(z.number()),
  of: z.number(),
  tiedWith: z.number(),
  rankChange: z.nullable(z.number()),
  pointsLost: z.nullable(z.number()),
};
const planNodeFactSchema = z.object({ ...planNodeFact, depth: z.number() });

const planFactsSchema = z.object({
  framework: namedSchema,
  period: z.string(),
  previous: z.nullable(z.string()),
  peers: namedSchema,
  unit: namedSchema,
  parent: z.nullable(namedSchema),
  published: z.nullable(z.object({ version: z.number(), at: z.string() })),
  provisional: z.boolean(),
  total: z.object({ ...planNodeFact, band: z.nullable(z.string()) }),
  fields: z.array(planNodeFactSchema),
  weakByPointsLost: z.array(z.string()),
  weakByRank: z.array(z.string()),
  nodes: z.record(z.string(), planNodeFactSchema),
  targets: z.array(
    z.object({
      node: z.string(),
      name: z.string(),
      top: z.number(),
      target: z.nullable(z.number()),
      gap: z.nullable(z.number()),
    }),
  ),
  sipas: z.nullable(
    z.object({
      campaign: namedSchema,
      rules: z.string(),
      respondents: z.number(),
      peersRespondents: z.number(),
      sipas: indexScoreSchema,
      factors: z.array(z.object({ code: z.string(), name: z.string(), score: indexScoreSchema })),
      itemsBelowPeers: z.array(
        z.object({
          item: z.string(),
          text: z.string(),
          factor: z.string(),
          index: z.number(),
          peersIndex: z.number(),
          difference: z.number(),
          se: z.number(),
          ci: z.tuple([z.number(), z.number()]),
        }),
      ),
    }),
  ),
});
export type PlanFacts = PlanDraft['facts'];
export type PlanNodeFact = PlanFacts['fields'][number];

const planSectionsSchema = z.object({
  summary: z.string(),
  purpose: z.string(),
  organisation: z.string(),
  recipients: z.array(z.string()),
  place: z.string(),
  signerTitle: z.string(),
  signerName: z.string(),
  superiorBody: z.string(),
  issuingBody: z.string(),
});
export type PlanSections = Plan['sections'];

const taskStatusSchema = z.enum(TASK_STATUSES);
const planTaskInput = {
  content: z.string(),
  lead: z.string(),
  coordinating: z.array(z.string()),
  deadline: z.nullable(z.string()),
  expectedOutput: z.string(),
  nodes: z.array(z.string()),
  factors: z.array(z.string()),
  status: taskStatusSchema,
};

export const planDraftSchema = z.object({
  facts: planFactsSchema,
  sections: planSectionsSchema,
  tasks: z.array(z.object(planTaskInput)),
});
export type PlanDraft = Parsed<typeof planDraftSchema, api.PlanDraft>;

const planFileSchema = z.object({
  id: z.number(),
  name: z.string(),
  mediaType: z.string(),
  size: z.number(),
});
export type PlanFile = PlanTask['reports'][number]['files'][number];

const taskCounts = {
  tasks: z.number(),
  notStarted: z.number(),
  inProgress: z.number(),
  done: z.number(),
  overdue: z.number(),
};

export const planSchema = z.object({
  id: z.number(),
  unit: namedSchema,
  framework: namedSchema,
  period: z.string(),
  peers: z.string(),
  campaign: z.nullable(z.string()),
  facts: planFactsSchema,
  sections: planSectionsSchema,
  tasks: z.array(
    z.object({
      ...planTaskInput,
      id: z.number(),
      position: z.number(),
      reports: z.array(
        z.object({
          id: z.number(),
          on: z.string(),
          text: z.string(),
          by: z.string(),
          at: z.string(),
          files: z.array(planFileSchema),
        }),
      ),
    }),
  ),
  progress: z.array(z.object({ code: z.string(), name: z.string(), ...taskCounts })),
  today: z.string(),
  updatedAt: z.string(),
});
export type Plan = Parsed<typeof planSchema, api.Plan>;
export type PlanTask = Plan['tasks'][number];

export const planListSchema = z.object({
  plans: z.array(z.object({ id: z.number(), unit: namedSchema, updatedAt: z.string() })),
});
export type PlanList = Parsed<typeof planListSchema, api.PlanList>;

export const planRollUpSchema = z.object({
  unit: namedSchema,
  framework: namedSchema,
  period: z.string(),
  today: z.string(),
  plans: z.array(
    z.object({ id: z.number(), unit: namedSchema, updatedAt: z.string(), ...taskCounts }),
  ),
  withoutPlan: z.array(namedSchema),
});
export type PlanRollUp = Parsed<typeof planRollUpSchema, api.PlanRollUp>;

const rateCounts = {
  invited: z.number(),
  answered: z.number(),
  /** A share in [0, 1]; null when nobody was invited. */
  rate: z.nullable(z.number()),
};

export const officialSurveySchema = z.object({
  code: z.string(),
  name: z.string(),
  instrument: z.string(),
  framework: z.string(),
  period: z.string(),
  opensOn: z.string(),
  closesOn: z.string(),
  minGroup: z.number(),
  createdAt: z.string(),
  createdBy: z.string(),
});
export type OfficialSurvey = Parsed<typeof officialSurveySchema, api.OfficialSurvey>;

export const officialProgressSchema = z.object({
  survey: z.string(),
  ...rateCounts,
  units: z.array(
    z.object({
      unit: z.string(),
      name: z.string(),
      ...rateCounts,
      groups: z.array(z.object({ group: z.string(), ...rateCounts, revoked: z.number() })),
    }),
  ),
});
export type OfficialProgress = Parsed<typeof officialProgressSchema, api.OfficialProgress>;

const officialLeafSchema = z.object({
  leaf: z.string(),
  name: z.string(),
  max: z.number(),
  respondents: z.number(),
  meanShare: z.nullable(z.number()),
  points: z.nullable(z.number()),
  se: z.nullable(z.number()),
  interval: z.nullable(z.tuple([z.number(), z.number()])),
});
export type OfficialLeaf = Parsed<typeof officialLeafSchema, api.OfficialLeafResult>;

export const officialResultsSchema = z.object({
  survey: z.string(),
  name: z.string(),
  framework: z.string(),
  period: z.string(),
  minGroup: z.number(),
  units: z.array(
    z.object({
      unit: z.string(),
      name: z.string(),
      ...rateCounts,
      leaves: z.array(officialLeafSchema),
      groups: z.array(
        z.object({
          group: z.string(),
          ...rateCounts,
          suppressed: z.nullable(z.enum(['small', 'complementary'])),
          leaves: z.nullable(z.array(officialLeafSchema)),
        }),
      ),
    }),
  ),
});
export type OfficialResults = Parsed<typeof officialResultsSchema, api.OfficialResults>;

/** POST /official-surveys/{code}/groups */
export const officialGroupsLoadedSchema = z.object({ groups: z.number(), issued: z.number() });
export type OfficialGroupsLoaded = Parsed<
  typeof officialGroupsLoadedSchema,
  api.OfficialGroupsImported
>;
/** POST /official-surveys/{code}/invitations/{id}/reissue */
export const reissuedSchema = z.object({ number: z.number(), link: z.string() });
export type Reissued = Parsed<typeof reissuedSchema, api.OfficialReissued>;
/** POST /official-surveys/{code}/derive */
export const officialDerivedSchema = z.object({ stored: z.number(), units: z.number() });
export type OfficialDerived = Parsed<typeof officialDerivedSchema, api.OfficialDerived>;
