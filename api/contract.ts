// The API's request and response types, the one file the browser code (survey-app) may import,
// and with `import type` only (eslint.config.js): the console and the survey page parse what
// they read at run time, and their parsers are pinned to these types, so that an API change
// the browser depends on fails `npm run typecheck` instead of a browser test.
import type * as z from 'zod';
import type { instrumentSummaries } from './services/instruments.ts';
import type {
  apiTokenSchema,
  createdTokenSchema,
  meSchema,
  newAccountSchema,
  newTokenSchema,
  staffAccountSchema,
} from './routes/account/index.ts';
import type { signedInSchema } from './routes/session/index.ts';
import type { signInMethodsSchema } from './routes/session/oidc.ts';
import type { transactionsSchema } from './services/campaigns/index.ts';
import type { issuedTokenSchema } from './routes/counters/schemas.ts';
import type { scorecardSchema } from './routes/par/schemas.ts';
import type { publishedSchema } from './routes/par/publication-schemas.ts';
import type { peersImported } from './routes/peers/schemas.ts';
import type {
  frameworkImportedSchema,
  frameworkTreeDocument,
} from './routes/frameworks/schemas.ts';
import type { importResultSchema, releaseSchema } from './routes/responses/schemas.ts';
import type { replacedSchema, replaceSchema } from './services/corrections.ts';
import type { enteredResponseSchema } from './services/responses.ts';
import type { submissionSchema } from './services/submissions.ts';

export type { Instrument, Item, Scale } from '../analysis/instrument.ts';
export type { ScoringRules } from '../analysis/rules.ts';
export type {
  GroupKey,
  GroupScores,
  IndexScore,
  ItemScore,
  LeagueDocument,
  LeagueGroup,
  ScoresDocument,
} from '../analysis/scores-document.ts';
export type { Change, ComparisonDocument } from '../analysis/compare.ts';
export type { Problem, ProblemFieldError as FieldError } from './routes/problem.ts';
export type { Embedded } from './routes/static.ts';
export type { EnteredReply, QuarantinedResponse, QuarantineSummary } from './services/responses.ts';
export type { AuditPage } from './services/audit.ts';
/** POST …/leaves/{node}/evidence; each of an assessment leaf's `evidence` */
export type { EvidenceFile } from './services/evidence.ts';
/** The assessment routes (docs/assessment.md): their replies and bodies. */
export type {
  AppraisalInput,
  AppraisalQueue,
  AssessmentDocument as Assessment,
  AssessmentOverview,
  LeafInput as AssessmentLeafInput,
  ReturnInput as AssessmentReturn,
  Round as AssessmentRound,
} from './services/assessments.ts';
/** The plan routes (docs/plans.md): their replies and bodies. */
export type {
  Plan,
  PlanDraft,
  PlanFacts,
  PlanRollUp,
  PlanSections,
  PlanTask,
  PlanTaskInput,
} from '../analysis/plan-document.ts';
export type {
  PlanList,
  ReportInput as ProgressReportInput,
  SectionsPatch as PlanSectionsPatch,
  TaskInput as PlanTaskBody,
  TaskPatch as PlanTaskPatch,
} from './services/plans.ts';
/** POST /plans */
export type { PlanDraftRequest } from './services/plan-facts.ts';
/** The officials' survey: GET /official-surveys/{code}, …/progress, …/results */
export type {
  OfficialGroupResult,
  OfficialLeafResult,
  OfficialProgress,
  OfficialResults,
  OfficialSurvey,
} from '../analysis/official-document.ts';
/** The officials' survey's staff routes (docs/officials.md, Running a survey). */
export type {
  OfficialGroupsImported,
  OfficialReissued,
  OfficialSurveyInput,
  OfficialSurveyPatch,
  ReissueInput as OfficialReissueInput,
} from './services/official-surveys/index.ts';
/** GET /official-instruments/{code} */
export type { OfficialInstrument } from '../analysis/official-instrument.ts';
/** POST /official-surveys/{code}/derive */
export type { OfficialDerived } from './services/official-results.ts';
/** GET /peer-groups, each; GET /peer-groups/{name}/{period} */
export type { PeerGroup, PeerGroupSummary } from './services/peers.ts';
/** POST /peer-groups/import */
export type PeersImported = z.output<typeof peersImported>;
export type { AppliedReorganisation, ReorganisationPreview } from './services/reorganisations.ts';
export type { StoredResponse as StoredForm } from './services/corrections.ts';
export type { NewUnit, UnitChange, UnitHistory, UnitView as Unit } from './services/units.ts';
export type { CounterChange, CounterView as Counter, NewCounter } from './services/counters.ts';
export type {
  CampaignChange,
  CampaignInput as NewCampaign,
  CampaignProgress,
  CampaignSummary,
  CampaignView as Campaign,
} from './services/campaigns/index.ts';
export type { SubmissionReply, SurveyPayload } from './services/submissions.ts';
/** An official's single-use link: GET /o/{token}, POST /o/{token}/responses, the /o/ page's data. */
export type { OfficialEmbedded } from './routes/static.ts';
export type {
  LinkRefusal,
  OfficialPage,
  OfficialReply,
  OfficialSubmission,
} from './services/official-answers.ts';

/** GET /me */
export type Account = z.output<typeof meSchema>;
export type Role = Account['role'];
/** POST /session, POST /setup */
export type SignedIn = z.output<typeof signedInSchema>;
/** GET /accounts, each */
export type StaffAccount = z.output<typeof staffAccountSchema>;
/** POST /accounts */
export type NewStaffAccount = z.input<typeof newAccountSchema>;
/** GET /tokens, each */
export type ApiToken = z.output<typeof apiTokenSchema>;
/** POST /tokens */
export type NewApiToken = z.input<typeof newTokenSchema>;
/** POST /tokens: the reply */
export type CreatedToken = z.output<typeof createdTokenSchema>;
/** What the sign-in page offers besides the password form. */
export type SignInMethods = z.output<typeof signInMethodsSchema>;
/** Text in Vietnamese and English, as instruments carry it. */
export type Localized = InstrumentSummary['name'];
/** GET /instruments, each */
export type InstrumentSummary = Awaited<ReturnType<typeof instrumentSummaries>>[number];

export type IssuedToken = z.output<typeof issuedTokenSchema>;
export type Transactions = z.input<typeof transactionsSchema>;

/** POST /campaigns/{campaign}/responses: one paper form keyed in */
export type EnteredResponse = z.input<typeof enteredResponseSchema>;
/** POST /campaigns/{campaign}/responses/{id}/replace */
export type Replacement = z.input<typeof replaceSchema>;
/** POST /campaigns/{campaign}/responses/{id}/replace: the reply */
export type ReplacedForm = z.output<typeof replacedSchema>;
/** POST /campaigns/{campaign}/responses/import */
export type ResponsesImport = z.output<typeof importResultSchema>;

export type Scorecard = z.output<typeof scorecardSchema>;
/** POST /par/{framework}/publications */
export type Published = z.output<typeof publishedSchema>;

/** GET /frameworks/{code}: a framework version as a tree */
export type FrameworkTree = z.output<typeof frameworkTreeDocument>;
/** POST /frameworks/{code}/import */
export type FrameworkImported = z.output<typeof frameworkImportedSchema>;

/** POST /quarantine/release */
export type QuarantineRelease = z.input<typeof releaseSchema>;

/** POST /s/{token}/responses */
export type Submission = z.input<typeof submissionSchema>;
