// The hand-written shape of the schema that db/migrations creates. db/schema.test.ts
// migrates a fresh database and compares its columns with these, so the two cannot drift.
import type {
  ColumnType,
  Generated,
  GeneratedAlways,
  Insertable,
  Kysely,
  Selectable,
  Transaction,
} from 'kysely';
import type { AssessmentState } from '../shared/assessment.ts';
import type { TaskStatus } from '../shared/plan.ts';
import type { Mode } from '../shared/rules.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** A `date` column: read as a YYYY-MM-DD string (see db/connect.ts type parsers). */
type DateColumn = ColumnType<string, string, string>;
/** A jsonb document (never SQL null), written as JSON text and validated with zod when read. */
type JsonDocument = ColumnType<{ [key: string]: unknown } | unknown[], string, string>;
/** A JSON document a row may leave out (null, the default). */
type OptionalJsonDocument = ColumnType<
  { [key: string]: unknown } | unknown[] | null,
  string | null | undefined,
  string | null
>;

export interface UnitTable {
  id: Generated<number>;
  code: string;
  name: string;
  /** The parent on the latest map (the link with no end); the dated links are unit_parent. */
  parent_id: number | null;
  created_at: Timestamp;
  /** province, department, district, commune, centre, other, or another lower-case word. */
  type: Generated<string>;
  /** Inclusive; null: since always. */
  valid_from: DateColumn | null;
  /** Exclusive; null: still valid. */
  valid_to: DateColumn | null;
}

/** A dated link: valid from `valid_from` (inclusive, null: always) to `valid_to` (exclusive). */
interface Dated {
  id: Generated<number>;
  valid_from: DateColumn | null;
  valid_to: DateColumn | null;
}

export interface UnitParentTable extends Dated {
  unit_id: number;
  parent_id: number;
}

export interface CounterUnitTable extends Dated {
  counter_id: number;
  unit_id: number;
}

export interface ReorganisationTable {
  id: Generated<number>;
  effective_on: DateColumn;
  applied_at: Timestamp;
  applied_by: string;
  /** The ReorganisationPlan as applied (api/services/reorganisation/types.ts). */
  plan: JsonDocument;
}

export interface UnitLineageTable {
  reorganisation_id: number;
  predecessor_id: number;
  successor_id: number;
  share: number;
}

export interface PeerGroupTable {
  id: Generated<number>;
  name: string;
  period: string;
  created_at: Timestamp;
}

export interface PeerGroupUnitTable {
  peer_group_id: number;
  unit_id: number;
}

export interface CounterTable {
  id: Generated<number>;
  code: string;
  /** The unit on the latest map (the membership with no end); the dated ones are counter_unit. */
  unit_id: number;
  name: string;
  created_at: Timestamp;
}

export interface CounterTokenTable {
  id: Generated<number>;
  counter_id: number;
  token_hash: Buffer;
  /** `qr`: the token in the QR code; `code`: the short code printed under it. */
  kind: Generated<CounterTokenKind>;
  created_at: Timestamp;
  revoked_at: Date | null;
}

export type CounterTokenKind = 'qr' | 'code';

export interface InstrumentTable {
  id: Generated<number>;
  code: string;
  /** An analysis/instrument.ts `Instrument`, validated on the way in and out. */
  definition: JsonDocument;
  created_at: Timestamp;
}

export interface CampaignTable {
  id: Generated<number>;
  code: string;
  name: string;
  instrument_id: number;
  starts_on: DateColumn;
  ends_on: DateColumn;
  /** An analysis/rules.ts `ScoringRules`, validated on the way in and out. */
  rules: JsonDocument;
  created_at: Timestamp;
}

export interface CampaignCounterTable {
  campaign_id: number;
  counter_id: number;
  target: number | null;
  transactions: number | null;
}

export type ResponseMode = Mode;
/** `voided` and `replaced` are out of the scores; a replaced one has a corrected copy. */
export type ResponseStatus = 'valid' | 'quarantined' | 'voided' | 'replaced';
export type QuarantineReason =
  'honeypot' | 'too-fast' | 'outside-period' | 'unverifiable' | 'revoked-token' | 'rate-limit';

/** A bigint identity: int8 is read as a number (db/connect.ts), exact below 2^53. */
type BigIdentity = ColumnType<number, never, never>;

export interface ResponseTable {
  id: BigIdentity;
  online_id: string | null;
  source_id: string | null;
  campaign_id: number;
  counter_id: number;
  instrument_id: number;
  mode: ResponseMode;
  submitted_at: Timestamp;
  received_at: Timestamp;
  service_area: string | null;
  /** One entry per instrument item, in item order; null is a blank. */
  answers: (number | null)[];
  texts: ColumnType<unknown, string | null, string | null> | null;
  status: ResponseStatus;
  reason: QuarantineReason | null;
  released_at: Date | null;
  /**
   * The transaction that made the response valid (xid8, as text): a fold counts it once the
   * snapshot of the campaign's last fold could not see it (db/repositories/tally-fold.sql).
   */
  fold_xid: Generated<string>;
  /** When a voided or replaced response left the scores, and why. */
  voided_at: Date | null;
  void_reason: string | null;
  /** The response this one is the corrected copy of. */
  replaces: number | null;
}

/**
 * Sums over a counter's tallied responses in a campaign (see the migration for the arrays'
 * layout). bigint[] is read as text by the drivers: analysis/queries reads it cast to float8[],
 * exact for every count below 2^53.
 */
export interface ResponseTallyTable {
  campaign_id: number;
  counter_id: number;
  modes: number[];
  answers: number[];
  products: number[];
  /** The three arrays' text, '{1,2,3}', kept by PostgreSQL (migration 2026_12_09_0100). */
  modes_text: GeneratedAlways<string>;
  answers_text: GeneratedAlways<string>;
  products_text: GeneratedAlways<string>;
}

/** The snapshot (pg_snapshot, as text) of each campaign's last fold into response_tally. */
export interface TallyFoldTable {
  campaign_id: number;
  snapshot: string | null;
  target: string | null;
  position_counter: number | null;
  position_xid: string | null;
  position_id: number | null;
}

/** Every role an account may have (api/services/access.ts says what each may do). */
export const ROLES = ['admin', 'surveyor', 'analyst', 'appraiser', 'unit'] as const;
export type Role = (typeof ROLES)[number];

export interface AccountTable {
  id: Generated<number>;
  /** The display name (a token's account: its `--name`). */
  name: string;
  role: Role;
  unit_id: number | null;
  created_at: Timestamp;
  /** A staff account's sign-in name, unique whatever its case; null: an API token's account. */
  login: string | null;
  /** `scrypt$N$r$p$salt$hash` (api/services/passwords.ts); null: no password sign-in. */
  password_hash: string | null;
  disabled_at: Date | null;
  changed_at: Timestamp;
}

/** An identity at an OpenID Connect provider that signs in as the account (single sign-on). */
export interface AccountIdentityTable {
  issuer: string;
  subject: string;
  account_id: number;
  linked_at: Timestamp;
}

export interface ApiTokenTable {
  id: Generated<number>;
  account_id: number;
  token_hash: Buffer;
  created_at: Timestamp;
  revoked_at: Date | null;
  last_used_at: Date | null;
  /** The staff account that created it; null: the command line. */
  owner_id: number | null;
}

/** A browser session: only the SHA-256 digest of the cookie's secret is stored. */
export interface SessionTable {
  id: Generated<number>;
  account_id: number;
  secret_hash: Buffer;
  csrf_token: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  /** The absolute end, however active the session is. */
  expires_at: Date;
}

/** A one-time link that lets the first admin account be created. */
export interface SetupTokenTable {
  id: Generated<number>;
  token_hash: Buffer;
  created_at: Timestamp;
  expires_at: Date;
  used_at: Date | null;
}

export interface AuditLogTable {
  id: BigIdentity;
  at: Timestamp;
  actor: string;
  action: string;
  subject: string;
  detail: ColumnType<unknown, string | null, string | null> | null;
}

export interface ParFrameworkTable {
  id: Generated<number>;
  code: string;
  name: string;
  /** An analysis/par.ts component list, validated on the way in and out. */
  components: JsonDocument;
  created_at: Timestamp;
  /**
   * An analysis/par-tree.ts node list; null on a flat framework, a tree of depth one from its
   * components.
   */
  nodes: OptionalJsonDocument;
  /** Its bands, highest first; null for the default bands (A 90, B 80, C 70, D 0). */
  bands: OptionalJsonDocument;
}

export interface ParPointsTable {
  framework_id: number;
  unit_id: number;
  period: string;
  component: string;
  /** Null: the unit marked the leaf not applicable (and, from an assessment, it was accepted). */
  points: number | null;
  source: string;
}

export interface AssessmentRoundTable {
  id: Generated<number>;
  framework_id: number;
  period: string;
  /** Who is assessed: a peer group's code, or a unit's code for its children (as a scorecard). */
  peers: string;
  /** The last day (Vietnam time) a unit may submit; after it only an appraiser reopens. */
  deadline: DateColumn;
  /** The appraisal stages in order (shared/assessment.ts `Stage`), validated when read. */
  stages: JsonDocument;
  created_at: Timestamp;
}

export interface AssessmentTable {
  id: Generated<number>;
  round_id: number;
  unit_id: number;
  state: Generated<AssessmentState>;
  /** The index in the round's stages of the stage that appraises (or will appraise) next. */
  stage: Generated<number>;
  submitted_at: Date | null;
  updated_at: Timestamp;
}

export interface AssessmentLeafTable {
  assessment_id: number;
  node: string;
  self_score: number | null;
  explanation: string | null;
  /** Document references: [{ number, date, issuer }], validated when read. */
  document_refs: ColumnType<unknown[], string | undefined, string>;
  not_applicable: Generated<boolean>;
  not_applicable_reason: string | null;
  /** The appraisal's verdict on a not-applicable mark; null until it gives one. */
  not_applicable_accepted: boolean | null;
  appraised_score: number | null;
  appraisal_reason: string | null;
  returned: Generated<boolean>;
  return_comment: string | null;
  updated_at: Timestamp;
}

export interface EvidenceTable {
  id: Generated<number>;
  assessment_id: number;
  node: string;
  file_name: string;
  media_type: string;
  size: number;
  sha256: string;
  content: Uint8Array;
  uploaded_by: string;
  uploaded_at: Timestamp;
  removed_at: Date | null;
}

export interface ParPublicationTable {
  id: Generated<number>;
  framework_id: number;
  period: string;
  /** As a scorecard names them: a peer group's code, or a unit's code for its children. */
  peers: string;
  /** 1, then 2, 3… for each correction. */
  version: number;
  /** Why a correction was published; required from version 2 on. */
  reason: string | null;
  source: 'service' | 'import';
  /** Where imported results were published (`--source`); null for the service's own. */
  origin: string | null;
  /** The scorecard at level `all` as published (analysis/par.ts `Scorecard`), validated when read. */
  document: JsonDocument;
  published_at: Timestamp;
  published_by: string;
}

export interface PlanTable {
  id: Generated<number>;
  unit_id: number;
  framework_id: number;
  period: string;
  /** As a scorecard names them: a peer group's code, or a unit's code for its children. */
  peers: string;
  /** The campaign whose SIPAS figures the facts state; null when none was named. */
  campaign_id: number | null;
  /** The facts as drafted (analysis/plan.ts `PlanFacts`), validated when read; never changed. */
  facts: JsonDocument;
  /** The plan's editable texts (analysis/plan.ts `PlanSections`), validated when read. */
  sections: JsonDocument;
  drafted_at: Timestamp;
  drafted_by: string;
  updated_at: Timestamp;
}

export interface PlanTaskTable {
  id: Generated<number>;
  plan_id: number;
  /** STT: the task's place in the plan's table, from 1. */
  position: number;
  content: string;
  /** Chủ trì: the lead unit as the plan writes it. */
  lead: string;
  /** Phối hợp: the coordinating units as the plan writes them, a JSON array of strings. */
  coordinating: ColumnType<unknown[], string | undefined, string>;
  /** The last day (Vietnam time) to finish it; null for an ongoing task ("Thường xuyên"). */
  deadline: DateColumn | null;
  expected_output: string;
  /** The framework nodes it answers, a JSON array of codes. */
  nodes: ColumnType<unknown[], string | undefined, string>;
  /** The SIPAS factors it answers, a JSON array of codes. */
  factors: ColumnType<unknown[], string | undefined, string>;
  status: Generated<TaskStatus>;
  /** When it was taken off the plan; the row and its progress reports stay. */
  removed_at: Date | null;
  updated_at: Timestamp;
}

export interface PlanProgressTable {
  id: Generated<number>;
  task_id: number;
  /** The day the report is for. */
  reported_on: DateColumn;
  text: string;
  reported_by: string;
  reported_at: Timestamp;
}

export interface PlanEvidenceTable {
  id: Generated<number>;
  progress_id: number;
  file_name: string;
  media_type: string;
  size: number;
  sha256: string;
  content: Uint8Array;
  uploaded_by: string;
  uploaded_at: Timestamp;
  removed_at: Date | null;
}

/** An officials' survey instrument (analysis/official-instrument.ts), validated on the way in and out. */
export interface OfficialInstrumentTable {
  id: Generated<number>;
  code: string;
  definition: JsonDocument;
  created_at: Timestamp;
}

export interface OfficialSurveyTable {
  id: Generated<number>;
  code: string;
  name: string;
  instrument_id: number;
  /** The framework whose `survey` leaves the instrument's items score, and the period. */
  framework_id: number;
  period: string;
  opens_on: DateColumn;
  /** Answers are taken through this day (Vietnam's time); later ones are refused. */
  closes_on: DateColumn;
  /** Group-level results of fewer respondents than this are suppressed. */
  min_group: Generated<number>;
  created_by: string;
  created_at: Timestamp;
}

/** Respondents invited in one unit: a group's name and how many; never a person. */
export interface OfficialGroupTable {
  id: Generated<number>;
  survey_id: number;
  unit_id: number;
  name: string;
  invited: number;
}

/** One single-use link. Nothing here names the answer it carried (docs/officials.md). */
export interface OfficialInvitationTable {
  id: Generated<number>;
  group_id: number;
  token: string;
  issued_at: Timestamp;
  used: Generated<boolean>;
  /** The submitting phone's key: its retry is told "stored", another's "already used". */
  submission_key: string | null;
  revoked_at: Date | null;
  revoke_reason: string | null;
  /** The revoked invitation this one was issued in place of. */
  replaces: number | null;
}

/**
 * One official's answers: the option chosen for each item, by position in the instrument's
 * items (0 for its first option). A random key and no time, so that no order joins it to an
 * invitation.
 */
export interface OfficialResponseTable {
  id: Generated<string>;
  group_id: number;
  answers: number[];
}

export interface Database {
  unit: UnitTable;
  unit_parent: UnitParentTable;
  counter: CounterTable;
  counter_unit: CounterUnitTable;
  reorganisation: ReorganisationTable;
  unit_lineage: UnitLineageTable;
  peer_group: PeerGroupTable;
  peer_group_unit: PeerGroupUnitTable;
  counter_token: CounterTokenTable;
  instrument: InstrumentTable;
  campaign: CampaignTable;
  campaign_counter: CampaignCounterTable;
  response: ResponseTable;
  response_tally: ResponseTallyTable;
  tally_fold: TallyFoldTable;
  account: AccountTable;
  account_identity: AccountIdentityTable;
  api_token: ApiTokenTable;
  session: SessionTable;
  setup_token: SetupTokenTable;
  audit_log: AuditLogTable;
  par_framework: ParFrameworkTable;
  par_points: ParPointsTable;
  assessment_round: AssessmentRoundTable;
  assessment: AssessmentTable;
  assessment_leaf: AssessmentLeafTable;
  evidence: EvidenceTable;
  par_publication: ParPublicationTable;
  plan: PlanTable;
  plan_task: PlanTaskTable;
  plan_progress: PlanProgressTable;
  plan_evidence: PlanEvidenceTable;
  official_instrument: OfficialInstrumentTable;
  official_survey: OfficialSurveyTable;
  official_group: OfficialGroupTable;
  official_invitation: OfficialInvitationTable;
  official_response: OfficialResponseTable;
}

export type UnitRow = Selectable<UnitTable>;
export type CounterRow = Selectable<CounterTable>;
export type CampaignRow = Selectable<CampaignTable>;
export type ResponseRow = Selectable<ResponseTable>;
export type NewResponse = Insertable<ResponseTable>;

/** The database, or a transaction the caller opened on it. */
export type Db = Kysely<Database> | Transaction<Database>;
