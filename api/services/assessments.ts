// PAR self-assessment and appraisal (par-cycle.md §2, docs/assessment.md): a round opens a
// framework's period for its peers; each unit scores its `assessment` leaves and submits; the
// appraiser of each stage (the unit's parent on the period's map, then the top of the map)
// appraises leaf by leaf, returns leaves with a comment, and finishes the stage; the last stage
// leaves the assessment `appraised`. Every move is checked against shared/assessment.ts, made
// in one transaction and audited with the leaf and its old and new values; the unit's points
// (par_points) follow its submission (self-assessed) and its appraisal (appraised).
import type { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import * as z from 'zod';
import { innerCodes, type FrameworkNode, type FrameworkTree } from '../../analysis/par-tree.ts';
import type { Database, Db } from '../../db/database.ts';
import * as repo from '../../db/repositories/assessments.ts';
import * as audit from '../../db/repositories/audit.ts';
import * as frameworks from '../../db/repositories/frameworks.ts';
import * as par from '../../db/repositories/par.ts';
import * as units from '../../db/repositories/units.ts';
import {
  APPRAISER_WORKS,
  appraiserWorks,
  ASSESSMENT_STATES,
  STAGES,
  unitEdits,
  type AssessmentState,
  type Stage,
} from '../../shared/assessment.ts';
import { periodLastDay } from '../../shared/periods.ts';
import {
  alsoOnLine,
  conflict,
  DomainError,
  invalid,
  notFound,
  parseInput,
  required,
  says,
  text,
  unknown,
  type FieldError,
  type Text,
} from '../errors.ts';
import { operator, READERS, unitIdsInScope, type Principal } from './access.ts';
import { assertReadsAssessmentOf, scoresFor } from './assessment-access.ts';
import { frameworkTree } from './frameworks.ts';
import { periodSchema } from './par.ts';
import { at, ImportProblems, POINTS_CELL, readTable } from './csv.ts';
import { scorecardPeers } from './peers.ts';
import { formatVietnamTime, isCalendarDate, vietnamDate } from './vietnam-time.ts';

// ---------------------------------------------------------------------------------------------
// Requests and documents

/** A calendar day written YYYY-MM-DD. */
export const daySchema = z
  .string()
  .refine(isCalendarDate, says(text('một ngày YYYY-MM-DD', 'a date YYYY-MM-DD')));

const stagesSchema = z
  .array(z.enum(STAGES))
  .min(1)
  .refine(
    (stages) => stages.at(-1) === 'top' && new Set(stages).size === stages.length,
    says(
      text(
        'top, hoặc parent,top: các cấp thẩm định theo thứ tự, kết thúc ở top',
        'top, or parent,top: the appraisal stages in order, the last top',
      ),
    ),
  );

export const roundInputSchema = z.strictObject({
  framework: z.string().min(1).max(100),
  period: periodSchema,
  /** A peer group of the period, or a unit whose children on the period's map assess. */
  peers: z.string().min(1).max(200),
  /** The last day (Vietnam time) to submit. */
  deadline: daySchema,
  stages: stagesSchema.default(['top']),
});

export const roundSchema = z.object({
  framework: z.string(),
  period: z.string(),
  peers: z.string(),
  deadline: z.string(),
  stages: z.array(z.enum(STAGES)),
  /** The units expected to assess, by code. */
  units: z.array(z.string()),
});

export const documentRefSchema = z.strictObject({
  number: z.string().trim().min(1).max(100),
  date: daySchema,
  issuer: z.string().trim().min(1).max(300),
});

export const leafInputSchema = z.strictObject({
  selfScore: z.number().finite().nullable().optional(),
  explanation: z.string().max(4000).nullable().optional(),
  documentRefs: z.array(documentRefSchema).max(50).optional(),
  notApplicable: z.boolean().optional(),
  notApplicableReason: z.string().max(2000).nullable().optional(),
});

export const appraisalInputSchema = z.strictObject({
  /** Null only where the appraisal accepts the unit's not-applicable mark. */
  score: z.number().finite().nullable(),
  reason: z.string().max(4000).nullable().optional(),
  notApplicableAccepted: z.boolean().optional(),
});

const comment = z.string().trim().min(1).max(4000);

export const returnInputSchema = z.strictObject({
  leaves: z
    .array(z.strictObject({ node: z.string().min(1).max(300), comment }))
    .min(1)
    .optional(),
  /** The whole assessment: every applicable leaf returned with this comment. */
  comment: comment.optional(),
});

const stateOrNotStarted = z.enum([...ASSESSMENT_STATES, 'not-started']);

export const evidenceSchema = z.object({
  id: z.number().int(),
  fileName: z.string(),
  mediaType: z.string(),
  size: z.number().int(),
  sha256: z.string(),
  uploadedAt: z.string(),
  uploadedBy: z.string(),
});

export const leafDocumentSchema = z.object({
  selfScore: z.number().nullable(),
  explanation: z.string().nullable(),
  documentRefs: z.array(documentRefSchema),
  notApplicable: z.boolean(),
  notApplicableReason: z.string().nullable(),
  notApplicableAccepted: z.boolean().nullable(),
  appraisedScore: z.number().nullable(),
  appraisalReason: z.string().nullable(),
  returned: z.boolean(),
  returnComment: z.string().nullable(),
  evidence: z.array(evidenceSchema),
});

export const assessmentDocumentSchema = z.object({
  framework: z.string(),
  period: z.string(),
  unit: z.string(),
  unitName: z.string(),
  unitType: z.string(),
  state: z.enum(ASSESSMENT_STATES),
  /** The index in `stages` of the stage that appraises, or will appraise, next. */
  stage: z.number().int(),
  stages: z.array(z.enum(STAGES)),
  /** The stage appraising now (submitted to appraised), null otherwise. */
  stageName: z.enum(STAGES).nullable(),
  deadline: z.string(),
  /** Never submitted and past the deadline, or submitted after it. */
  late: z.boolean(),
  progress: z.object({ scored: z.number().int(), leaves: z.number().int() }),
  nodes: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      max: z.number(),
      source: z.string().nullable(),
      guidance: z.string().nullable(),
      /** Applies to the unit's type (an inner node: some leaf under it does). */
      applicable: z.boolean(),
    }),
  ),
  /** Each applicable `assessment` leaf, keyed by node code. */
  leaves: z.record(z.string(), leafDocumentSchema),
  /** What the caller may do now. */
  may: z.object({
    edit: z.boolean(),
    submit: z.boolean(),
    reopen: z.boolean(),
    appraise: z.boolean(),
  }),
});

export const overviewSchema = z.object({
  framework: z.string(),
  period: z.string(),
  peers: z.string(),
  deadline: z.string(),
  stages: z.array(z.enum(STAGES)),
  units: z.array(
    z.object({
      unit: z.string(),
      name: z.string(),
      state: stateOrNotStarted,
      stage: z.number().int().nullable(),
      stageName: z.enum(STAGES).nullable(),
      scored: z.number().int(),
      leaves: z.number().int(),
      returnedLeaves: z.number().int(),
      submittedAt: z.string().nullable(),
      late: z.boolean(),
    }),
  ),
});

export const queueSchema = z.object({
  assessments: z.array(
    z.object({
      framework: z.string(),
      period: z.string(),
      unit: z.string(),
      unitName: z.string(),
      state: z.enum(ASSESSMENT_STATES),
      stage: z.number().int(),
      stageName: z.enum(STAGES),
      submittedAt: z.string().nullable(),
    }),
  ),
});

export type Round = z.output<typeof roundSchema>;
export type AssessmentDocument = z.output<typeof assessmentDocumentSchema>;
export type AssessmentOverview = z.output<typeof overviewSchema>;
export type AppraisalQueue = z.output<typeof queueSchema>;
export type LeafInput = z.input<typeof leafInputSchema>;
export type AppraisalInput = z.input<typeof appraisalInputSchema>;
export type ReturnInput = z.input<typeof returnInputSchema>;

/** One unit's assessment in a framework's period. */
export interface AssessmentTarget {
  framework: string;
  period: string;
  unit: string;
}

// ---------------------------------------------------------------------------------------------
// The round, the unit, its leaves and who appraises it

interface OpenRound {
  id: number;
  frameworkId: number;
  tree: FrameworkTree;
  inner: Set<string>;
  period: string;
  peers: string;
  deadline: string;
  stages: Stage[];
  peerIds: number[];
}

interface AssessedUnit {
  id: number;
  code: string;
  name: string;
  type: string;
}

type AssessmentRow = NonNullable<Awaited<ReturnType<typeof repo.findAssessment>>>;
type LeafRow = Awaited<ReturnType<typeof repo.findLeaves>>[number];

const noRound = (framework: string, period: string) =>
  notFound(
    text(
      `Chưa mở đợt tự đánh giá khung ${framework} kỳ ${period}.`,
      `No assessment round of ${framework} for period ${period}.`,
    ),
  );

async function loadRound(trx: Db, framework: string, period: string): Promise<OpenRound> {
  const row = await frameworks.findFrameworkRow(trx, framework);
  if (!row) throw unknown('framework', framework);
  const round = await repo.findRound(trx, row.id, period);
  if (!round) throw noRound(framework, period);
  const tree = await frameworkTree(trx, framework);
  // The units expected to assess, as the scorecard takes them; the caller's own reach is
  // checked on the unit it asks about.
  const peers = await scorecardPeers(trx, operator(), { peers: round.peers, period });
  return {
    id: round.id,
    frameworkId: row.id,
    tree,
    inner: innerCodes(tree.nodes),
    period,
    peers: round.peers,
    deadline: round.deadline,
    stages: stagesSchema.parse(round.stages),
    peerIds: peers.unitIds,
  };
}

async function assessedUnit(trx: Db, round: OpenRound, code: string): Promise<AssessedUnit> {
  const unit = await units.findUnitByCode(trx, code);
  if (!unit) throw unknown('unit', code);
  if (!round.peerIds.includes(unit.id)) {
    throw notFound(
      text(
        `Đơn vị ${code} không thuộc đợt tự đánh giá ${round.tree.code} kỳ ${round.period}.`,
        `Unit ${code} is not assessed in the round of ${round.tree.code} for ${round.period}.`,
      ),
    );
  }
  return { id: unit.id, code: unit.code, name: unit.name, type: unit.type };
}

const applies = (node: FrameworkNode, type: string) =>
  node.appliesTo === null || node.appliesTo.includes(type);

/** The `assessment` leaves that apply to the unit's type: the ones it scores. */
function scoredLeaves(round: OpenRound, unit: AssessedUnit): FrameworkNode[] {
  return round.tree.nodes.filter(
    (node) =>
      !round.inner.has(node.code) && node.source === 'assessment' && applies(node, unit.type),
  );
}

/** The leaf the request names, or 404 (unknown) or 422 (not one the unit scores). */
function scoredLeaf(round: OpenRound, unit: AssessedUnit, code: string): FrameworkNode {
  const node = round.tree.nodes.find((n) => n.code === code);
  if (!node) {
    throw notFound(
      text(`${round.tree.code} không có mục ${code}.`, `No node ${code} in ${round.tree.code}.`),
    );
  }
  const problem = round.inner.has(code)
    ? text(
        `${code} có mục con: điểm ghi cho các mục lá của nó`,
        `${code} has sub-nodes: scores go on its leaves`,
      )
    : node.source !== 'assessment'
      ? text(
          `${code} lấy điểm từ nguồn ${node.source ?? ''}, không tự đánh giá`,
          `${code} takes its points from ${node.source ?? ''}, not from an assessment`,
        )
      : !applies(node, unit.type)
        ? text(
            `${code} không áp dụng cho loại đơn vị ${unit.type}`,
            `${code} does not apply to units of type ${unit.type}`,
          )
        : null;
  if (problem) {
    throw invalid(text(`Không chấm điểm mục ${code}.`, `Node ${code} is not scored.`), [
      { path: 'node', message: problem },
    ]);
  }
  return node;
}

/** The stage's appraisers: an appraiser of `unitId`, or for `top` an admin too. */
interface StageOf {
  index: number;
  stage: Stage;
  unitId: number;
}

/**
 * The round's stages that appraise the unit, on the period's map: `parent`, its parent's
 * appraisers, skipped when the parent is the top of the map (or it has none); `top`, the top's.
 */
async function stagesFor(trx: Db, round: OpenRound, unitId: number): Promise<StageOf[]> {
  const ancestors = await repo.findAncestorsOn(trx, unitId, periodLastDay(round.period));
  const top = ancestors.at(-1) ?? unitId;
  const parent = ancestors[1];
  return round.stages.flatMap((stage, index): StageOf[] => {
    if (stage === 'top') return [{ index, stage, unitId: top }];
    return parent === undefined || parent === top ? [] : [{ index, stage, unitId: parent }];
  });
}

const isOperator = (principal: Principal) =>
  principal.role === 'admin' && principal.accountId === null;

/**
 * Whether the principal appraises at the stage: an appraiser scoped to the stage's unit (for
 * `top` an admin too), never of its own unit; the operator at the command line, who keys in
 * an appraisal made on paper, at any stage.
 */
function appraisesAt(principal: Principal, stage: StageOf | undefined, unitId: number): boolean {
  if (isOperator(principal)) return true;
  if (!stage || principal.unitId === unitId) return false;
  if (stage.stage === 'top' && principal.role === 'admin') return true;
  return principal.role === 'appraiser' && principal.unitId === stage.unitId;
}

async function assertAppraises(
  trx: Db,
  principal: Principal,
  round: OpenRound,
  unit: AssessedUnit,
  row: AssessmentRow | undefined,
): Promise<StageOf> {
  const stages = await stagesFor(trx, round, unit.id);
  const stage = stages.find((s) => s.index === (row?.stage ?? 0)) ?? stages[0];
  if (stage && appraisesAt(principal, stage, unit.id)) return stage;
  const own = principal.unitId === unit.id;
  throw new DomainError(
    'forbidden',
    own
      ? text(
          `Không ai thẩm định đơn vị của chính mình (${unit.code}).`,
          `Nobody appraises their own unit (${unit.code}).`,
        )
      : text(
          `Tài khoản không phải người thẩm định cấp ${stage?.stage ?? ''} của đơn vị ${unit.code}.`,
          `This account is not the ${stage?.stage ?? ''} stage's appraiser of unit ${unit.code}.`,
        ),
  );
}

function assertScores(principal: Principal, unit: AssessedUnit): void {
  if (scoresFor(principal, unit.id)) return;
  throw new DomainError(
    'forbidden',
    text(
      `Chỉ tài khoản của đơn vị ${unit.code} tự chấm điểm và nộp bản tự đánh giá của đơn vị.`,
      `Only unit ${unit.code}'s own accounts score and submit its self-assessment.`,
    ),
  );
}

const stateNames: Record<AssessmentState, Text> = {
  draft: text('đang soạn', 'a draft'),
  submitted: text('đã nộp', 'submitted'),
  'in-appraisal': text('đang thẩm định', 'in appraisal'),
  returned: text('bị trả lại', 'returned'),
  resubmitted: text('đã nộp lại', 'resubmitted'),
  appraised: text('đã thẩm định', 'appraised'),
  published: text('đã công bố', 'published'),
};

const wrongState = (unit: AssessedUnit, state: AssessmentState, what: Text) =>
  conflict(
    text(
      `Bản tự đánh giá của đơn vị ${unit.code} ${stateNames[state].vi}: ${what.vi}.`,
      `The self-assessment of unit ${unit.code} is ${stateNames[state].en}: ${what.en}.`,
    ),
  );

const today = () => vietnamDate(new Date());

function isLate(deadline: string, submittedAt: Date | null): boolean {
  return (submittedAt === null ? today() : vietnamDate(submittedAt)) > deadline;
}

const subject = (round: OpenRound, unit: AssessedUnit) =>
  `${round.tree.code}/${round.period}/${unit.code}`;

const EMPTY_LEAF: repo.LeafValues = {
  self_score: null,
  explanation: null,
  document_refs: [],
  not_applicable: false,
  not_applicable_reason: null,
  not_applicable_accepted: null,
  appraised_score: null,
  appraisal_reason: null,
  returned: false,
  return_comment: null,
};

const leafValues = (row: LeafRow | undefined): repo.LeafValues =>
  row ? { ...row, document_refs: row.document_refs } : { ...EMPTY_LEAF };

/** The fields that differ, old and new: what the audit keeps of a change to a leaf. */
function changes(before: repo.LeafValues, after: repo.LeafValues) {
  const keys = (Object.keys(after) as (keyof repo.LeafValues)[]).filter(
    (key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]),
  );
  return {
    old: Object.fromEntries(keys.map((key) => [key, before[key]])),
    new: Object.fromEntries(keys.map((key) => [key, after[key]])),
  };
}

const scored = (leaf: { self_score: number | null; not_applicable: boolean } | undefined) =>
  leaf !== undefined && (leaf.self_score !== null || leaf.not_applicable);

// ---------------------------------------------------------------------------------------------
// The document

async function documentOf(
  trx: Db,
  principal: Principal,
  round: OpenRound,
  unit: AssessedUnit,
  row: AssessmentRow | undefined,
): Promise<AssessmentDocument> {
  const state = row?.state ?? 'draft';
  const leaves = row ? await repo.findLeaves(trx, row.id) : [];
  const evidence = row ? await repo.listEvidence(trx, row.id) : [];
  const byNode = new Map(leaves.map((leaf) => [leaf.node, leaf]));
  const mine = scoredLeaves(round, unit);
  const stages = await stagesFor(trx, round, unit.id);
  const stage = row?.stage ?? stages[0]?.index ?? 0;
  const appraiser = appraisesAt(
    principal,
    stages.find((s) => s.index === stage),
    unit.id,
  );
  const unitScores = scoresFor(principal, unit.id);
  const beforeDeadline = today() <= round.deadline;
  const applicable = (node: FrameworkNode) =>
    round.inner.has(node.code)
      ? round.tree.nodes.some(
          (leaf) =>
            !round.inner.has(leaf.code) &&
            leaf.code.startsWith(`${node.code}.`) &&
            applies(leaf, unit.type),
        )
      : applies(node, unit.type);
  return {
    framework: round.tree.code,
    period: round.period,
    unit: unit.code,
    unitName: unit.name,
    unitType: unit.type,
    state,
    stage,
    stages: round.stages,
    stageName: appraiserWorks(state) || state === 'returned' ? (round.stages[stage] ?? null) : null,
    deadline: round.deadline,
    late: isLate(round.deadline, row?.submitted_at ?? null),
    progress: {
      scored: mine.filter((n) => scored(byNode.get(n.code))).length,
      leaves: mine.length,
    },
    nodes: round.tree.nodes.map((node) => ({
      code: node.code,
      name: node.name,
      max: node.max,
      source: node.source,
      guidance: node.guidance,
      applicable: applicable(node),
    })),
    leaves: Object.fromEntries(
      mine.map((node) => {
        const leaf = leafValues(byNode.get(node.code));
        return [
          node.code,
          {
            selfScore: leaf.self_score,
            explanation: leaf.explanation,
            documentRefs: z.array(documentRefSchema).parse(leaf.document_refs),
            notApplicable: leaf.not_applicable,
            notApplicableReason: leaf.not_applicable_reason,
            notApplicableAccepted: leaf.not_applicable_accepted,
            appraisedScore: leaf.appraised_score,
            appraisalReason: leaf.appraisal_reason,
            returned: leaf.returned,
            returnComment: leaf.return_comment,
            evidence: evidence
              .filter((file) => file.node === node.code)
              .map((file) => ({
                id: file.id,
                fileName: file.file_name,
                mediaType: file.media_type,
                size: file.size,
                sha256: file.sha256,
                uploadedAt: formatVietnamTime(file.uploaded_at),
                uploadedBy: file.uploaded_by,
              })),
          },
        ];
      }),
    ),
    may: {
      edit: unitScores && unitEdits(state),
      submit: unitScores && unitEdits(state),
      reopen:
        (unitScores && beforeDeadline && (state === 'submitted' || state === 'resubmitted')) ||
        (appraiser && (appraiserWorks(state) || state === 'returned')),
      appraise: appraiser && appraiserWorks(state),
    },
  };
}

/** The round, the unit and its assessment row (locked), after the caller may read it. */
async function opened(trx: Db, principal: Principal, target: AssessmentTarget) {
  const round = await loadRound(trx, target.framework, target.period);
  const unit = await assessedUnit(trx, round, target.unit);
  await assertReadsAssessmentOf(trx, principal, unit);
  const row = await repo.findAssessment(trx, round.id, unit.id);
  return { round, unit, row };
}

/** GET …/{framework}/{period}/{unit}: a unit without an assessment yet reads as an empty draft. */
export async function assessmentDocument(
  db: Kysely<Database>,
  principal: Principal,
  target: AssessmentTarget,
): Promise<AssessmentDocument> {
  return db.transaction().execute(async (trx) => {
    const { round, unit, row } = await opened(trx, principal, target);
    return documentOf(trx, principal, round, unit, row);
  });
}

// ---------------------------------------------------------------------------------------------
// The round

/** `sipas assessment open`, POST /assessments/rounds: an admin's. */
export async function openRound(
  db: Kysely<Database>,
  principal: Principal,
  input: z.input<typeof roundInputSchema>,
): Promise<Round> {
  if (principal.role !== 'admin') {
    throw new DomainError(
      'forbidden',
      text('Chỉ quản trị viên mở đợt tự đánh giá.', 'Only an admin opens an assessment round.'),
    );
  }
  const request = parseInput(
    roundInputSchema,
    input,
    text('Đợt tự đánh giá không hợp lệ.', 'The assessment round is not valid.'),
  );
  return db.transaction().execute(async (trx) => {
    const row = await frameworks.findFrameworkRow(trx, request.framework);
    if (!row) throw unknown('framework', request.framework);
    const tree = await frameworkTree(trx, request.framework);
    if (!tree.nodes.some((node) => node.source === 'assessment')) {
      const none = text(
        `${tree.code} không có mục lá nào tự đánh giá (nguồn assessment)`,
        `${tree.code} has no leaf scored by assessment (source assessment)`,
      );
      throw invalid(none, [{ path: 'framework', message: none }]);
    }
    const peers = await scorecardPeers(trx, principal, {
      peers: request.peers,
      period: request.period,
    });
    if (peers.unitIds.length === 0) {
      const none = text(
        `${request.peers} không có đơn vị nào trong kỳ ${request.period}`,
        `${request.peers} holds no unit in period ${request.period}`,
      );
      throw invalid(none, [{ path: 'peers', message: none }]);
    }
    const id = await repo.insertRound(trx, {
      frameworkId: row.id,
      period: request.period,
      peers: request.peers,
      deadline: request.deadline,
      stages: request.stages,
    });
    if (id === undefined) {
      throw conflict(
        text(
          `Đã mở đợt tự đánh giá khung ${tree.code} kỳ ${request.period}.`,
          `An assessment round of ${tree.code} for ${request.period} is open already.`,
        ),
      );
    }
    const round: Round = {
      framework: tree.code,
      period: request.period,
      peers: request.peers,
      deadline: request.deadline,
      stages: request.stages,
      units: [...peers.codes].sort(),
    };
    await audit.recordAudit(trx, {
      actor: principal.actor.id,
      action: 'assessment.round',
      subject: `${tree.code}/${request.period}`,
      detail: round,
    });
    return round;
  });
}

// ---------------------------------------------------------------------------------------------
// The unit: scores, submits, reopens

const leafNotValid = (node: string) =>
  text(
    `Điểm tự đánh giá mục ${node} không hợp lệ.`,
    `The self-assessment of ${node} is not valid.`,
  );

/**
 * The leaf after the unit's input, or its problems by field: a score within [0, max], a
 * not-applicable mark with its reason and without a score.
 */
export function leafAfterInput(
  node: FrameworkNode,
  before: repo.LeafValues,
  input: z.output<typeof leafInputSchema>,
): { leaf: repo.LeafValues; problems: FieldError[] } {
  const problems: FieldError[] = [];
  const notApplicable = input.notApplicable ?? before.not_applicable;
  const reason = notApplicable
    ? (input.notApplicableReason === undefined
        ? before.not_applicable_reason
        : input.notApplicableReason
      )?.trim() || null
    : null;
  // Marking a leaf not applicable takes its score away.
  const selfScore =
    input.selfScore !== undefined
      ? input.selfScore
      : input.notApplicable === true
        ? null
        : before.self_score;
  if (input.selfScore !== undefined && input.selfScore !== null) {
    if (input.selfScore < 0 || input.selfScore > node.max) {
      problems.push({
        path: 'selfScore',
        message: text(
          `${input.selfScore} nằm ngoài [0, ${node.max}]`,
          `${input.selfScore} is outside [0, ${node.max}]`,
        ),
      });
    } else if (notApplicable) {
      problems.push({
        path: 'selfScore',
        message: text(
          'mục đánh dấu không áp dụng thì không có điểm',
          'a leaf marked not applicable has no score',
        ),
      });
    }
  }
  if (notApplicable && reason === null) {
    problems.push({
      path: 'notApplicableReason',
      message: text(
        'bắt buộc khi đánh dấu mục không áp dụng',
        'required when the leaf is marked not applicable',
      ),
    });
  }
  const explanation =
    input.explanation === undefined ? before.explanation : input.explanation?.trim() || null;
  return {
    leaf: {
      ...before,
      self_score: selfScore,
      explanation,
      document_refs: input.documentRefs ?? before.document_refs,
      not_applicable: notApplicable,
      not_applicable_reason: reason,
      // A changed mark waits for a new verdict.
      not_applicable_accepted:
        notApplicable === before.not_applicable ? before.not_applicable_accepted : null,
    },
    problems,
  };
}

/** Writes the unit's input on one leaf in a draft or returned assessment, creating it. */
async function scoreLeaf(
  trx: Db,
  principal: Principal,
  at: { round: OpenRound; unit: AssessedUnit; row: AssessmentRow | undefined },
  node: FrameworkNode,
  input: z.output<typeof leafInputSchema>,
): Promise<AssessmentRow> {
  const row = await assessmentOf(trx, at);
  const leaves = await repo.findLeaves(trx, row.id);
  const before = leafValues(leaves.find((leaf) => leaf.node === node.code));
  const { leaf, problems } = leafAfterInput(node, before, input);
  if (problems.length > 0) {
    throw invalid(leafNotValid(node.code), problems);
  }
  await repo.saveLeaf(trx, row.id, node.code, leaf);
  await audit.recordAudit(trx, {
    actor: principal.actor.id,
    action: 'assessment.score',
    subject: subject(at.round, at.unit),
    detail: { node: node.code, ...changes(before, leaf) },
  });
  return row;
}

function assertUnitEdits(unit: AssessedUnit, row: AssessmentRow | undefined): void {
  const state = row?.state ?? 'draft';
  if (!unitEdits(state)) {
    throw wrongState(
      unit,
      state,
      text(
        'đơn vị chỉ sửa khi đang soạn hoặc bị trả lại',
        'the unit edits it only as a draft or when returned',
      ),
    );
  }
}

/**
 * The leaf a unit writes on, checked: the writer is the unit's own account, the assessment is
 * a draft or returned, the leaf an `assessment` leaf that applies to the unit. A score and an
 * evidence file (api/services/evidence.ts) go through the same checks. The assessment row, if
 * any, is locked until the transaction ends.
 */
export async function unitLeaf(
  trx: Db,
  principal: Principal,
  target: AssessmentTarget & { node: string },
) {
  const at = await opened(trx, principal, target);
  assertScores(principal, at.unit);
  assertUnitEdits(at.unit, at.row);
  return {
    ...at,
    node: scoredLeaf(at.round, at.unit, target.node),
    subject: subject(at.round, at.unit),
  };
}

/** The unit's assessment, made a draft on its first write. */
export async function assessmentOf(
  trx: Db,
  at: { round: OpenRound; unit: AssessedUnit; row: AssessmentRow | undefined },
): Promise<AssessmentRow> {
  return at.row ?? (await repo.insertAssessment(trx, at.round.id, at.unit.id));
}

/** PUT …/leaves/{node}: the unit's self-score, explanation, references or not-applicable mark. */
export async function setLeaf(
  db: Kysely<Database>,
  principal: Principal,
  target: AssessmentTarget & { node: string },
  input: LeafInput,
): Promise<AssessmentDocument> {
  const body = parseInput(leafInputSchema, input, leafNotValid(target.node));
  return db.transaction().execute(async (trx) => {
    const at = await unitLeaf(trx, principal, target);
    const row = await scoreLeaf(trx, principal, at, at.node, body);
    return documentOf(trx, principal, at.round, at.unit, row);
  });
}

/**
 * The problems that hold a submission back, by leaf: an applicable leaf with neither a score
 * nor a not-applicable mark; a positive score with no evidence file, no document reference and
 * no explanation.
 */
async function submissionProblems(
  trx: Db,
  round: OpenRound,
  unit: AssessedUnit,
  row: AssessmentRow,
): Promise<{ problems: FieldError[]; leaves: Map<string, LeafRow> }> {
  const leaves = new Map((await repo.findLeaves(trx, row.id)).map((leaf) => [leaf.node, leaf]));
  const withEvidence = new Set((await repo.listEvidence(trx, row.id)).map((file) => file.node));
  const problems: FieldError[] = [];
  for (const node of scoredLeaves(round, unit)) {
    const leaf = leaves.get(node.code);
    if (!leaf || !scored(leaf)) {
      problems.push({
        path: `leaves.${node.code}.selfScore`,
        message: text(
          'bắt buộc: chấm điểm hoặc đánh dấu không áp dụng',
          'required: a score, or a not-applicable mark',
        ),
      });
    } else if (
      (leaf.self_score ?? 0) > 0 &&
      !withEvidence.has(node.code) &&
      leaf.document_refs.length === 0 &&
      (leaf.explanation ?? '') === ''
    ) {
      problems.push({
        path: `leaves.${node.code}.explanation`,
        message: text(
          'bắt buộc khi điểm lớn hơn 0 mà không có tài liệu kiểm chứng hay văn bản dẫn chứng',
          'required when a positive score has no evidence and no document reference',
        ),
      });
    }
  }
  return { problems, leaves };
}

/** Submits (or resubmits) the row, writing the self-assessed points; the caller checked it. */
async function submitRow(
  trx: Db,
  principal: Principal,
  round: OpenRound,
  unit: AssessedUnit,
  row: AssessmentRow,
): Promise<void> {
  const { problems, leaves } = await submissionProblems(trx, round, unit, row);
  if (problems.length > 0) {
    throw invalid(
      text(
        `Bản tự đánh giá của đơn vị ${unit.code} chưa nộp được.`,
        `The self-assessment of unit ${unit.code} cannot be submitted yet.`,
      ),
      problems,
    );
  }
  const state: AssessmentState = row.state === 'returned' ? 'resubmitted' : 'submitted';
  const stages = await stagesFor(trx, round, unit.id);
  const stage = row.state === 'returned' ? row.stage : (stages[0]?.index ?? 0);
  const submittedAt = new Date();
  await repo.updateAssessment(trx, row.id, { state, stage, submittedAt });
  await par.upsertPoints(
    trx,
    round.frameworkId,
    round.period,
    scoredLeaves(round, unit).map((node) => {
      const leaf = leaves.get(node.code);
      return {
        unitId: unit.id,
        component: node.code,
        points: leaf?.not_applicable ? null : (leaf?.self_score ?? 0),
        source: 'self-assessed',
      };
    }),
  );
  await audit.recordAudit(trx, {
    actor: principal.actor.id,
    action: 'assessment.submit',
    subject: subject(round, unit),
    detail: {
      old: row.state,
      new: state,
      stage: round.stages[stage],
      late: vietnamDate(submittedAt) > round.deadline,
    },
  });
}

/** POST …/submit: draft → submitted, returned → resubmitted; late is allowed and flagged. */
export async function submitAssessment(
  db: Kysely<Database>,
  principal: Principal,
  target: AssessmentTarget,
): Promise<AssessmentDocument> {
  return db.transaction().execute(async (trx) => {
    const at = await opened(trx, principal, target);
    assertScores(principal, at.unit);
    assertUnitEdits(at.unit, at.row);
    if (!at.row) {
      throw invalid(
        text(
          `Đơn vị ${at.unit.code} chưa chấm điểm mục nào.`,
          `Unit ${at.unit.code} has not scored any leaf yet.`,
        ),
        [{ path: 'leaves', message: required }],
      );
    }
    await submitRow(trx, principal, at.round, at.unit, at.row);
    return documentOf(trx, principal, at.round, at.unit, await reread(trx, at));
  });
}

async function reread(trx: Db, at: { round: OpenRound; unit: AssessedUnit }) {
  return repo.findAssessment(trx, at.round.id, at.unit.id);
}

/**
 * POST …/reopen: back to a draft, its stages from the first; the unit itself until the
 * deadline while nobody appraises it yet, the stage's appraiser at any time.
 */
export async function reopenAssessment(
  db: Kysely<Database>,
  principal: Principal,
  target: AssessmentTarget,
): Promise<AssessmentDocument> {
  return db.transaction().execute(async (trx) => {
    const at = await opened(trx, principal, target);
    const { round, unit, row } = at;
    const state = row?.state ?? 'draft';
    if (scoresFor(principal, unit.id)) {
      if (state !== 'submitted' && state !== 'resubmitted') {
        throw wrongState(
          unit,
          state,
          text(
            'đơn vị chỉ mở lại bản đã nộp mà chưa được thẩm định',
            'the unit reopens only what it submitted and nobody appraises yet',
          ),
        );
      }
      if (today() > round.deadline) {
        throw conflict(
          text(
            `Đã quá hạn ${round.deadline}: chỉ người thẩm định mở lại được bản tự đánh giá.`,
            `The deadline ${round.deadline} has passed: only an appraiser reopens the self-assessment.`,
          ),
        );
      }
    } else {
      await assertAppraises(trx, principal, round, unit, row);
      if (!row || !(appraiserWorks(state) || state === 'returned')) {
        throw wrongState(
          unit,
          state,
          text(
            'chỉ mở lại bản đã nộp, đang thẩm định hoặc bị trả lại',
            'only a submitted, returned or appraising one is reopened',
          ),
        );
      }
    }
    if (!row) throw wrongState(unit, state, text('chưa nộp', 'it was never submitted'));
    await repo.updateAssessment(trx, row.id, { state: 'draft', stage: 0 });
    await audit.recordAudit(trx, {
      actor: principal.actor.id,
      action: 'assessment.reopen',
      subject: subject(round, unit),
      detail: { old: state, new: 'draft' },
    });
    return documentOf(trx, principal, round, unit, await reread(trx, at));
  });
}

// ---------------------------------------------------------------------------------------------
// The appraiser: appraises leaves, returns them, finishes the stage

function assertAppraisable(unit: AssessedUnit, row: AssessmentRow | undefined): AssessmentRow {
  const state = row?.state ?? 'draft';
  if (!row || !appraiserWorks(state)) {
    throw wrongState(
      unit,
      state,
      text(
        'chỉ thẩm định bản đã nộp hoặc đã nộp lại',
        'only a submitted or resubmitted one is appraised',
      ),
    );
  }
  return row;
}

const appraisalNotValid = (node: string) =>
  text(`Kết quả thẩm định mục ${node} không hợp lệ.`, `The appraisal of ${node} is not valid.`);

/**
 * The leaf after the appraisal, or its problems by field: a score within [0, max] (none where
 * the not-applicable mark is accepted), a verdict on a not-applicable mark, and a reason where
 * the score differs from the self-score.
 */
export function leafAfterAppraisal(
  node: FrameworkNode,
  before: repo.LeafValues,
  input: z.output<typeof appraisalInputSchema>,
): { leaf: repo.LeafValues; problems: FieldError[] } {
  const problems: FieldError[] = [];
  const problem = (path: string, message: Text) => problems.push({ path, message });
  const accepted = input.notApplicableAccepted ?? null;
  if (before.not_applicable && accepted === null) {
    problem(
      'notApplicableAccepted',
      text(
        'bắt buộc: đơn vị đánh dấu mục này không áp dụng',
        'required: the unit marked this leaf not applicable',
      ),
    );
  } else if (!before.not_applicable && accepted !== null) {
    problem(
      'notApplicableAccepted',
      text(
        'đơn vị không đánh dấu mục này không áp dụng',
        'the unit did not mark this leaf not applicable',
      ),
    );
  }
  const score = input.score;
  if (accepted === true && score !== null) {
    problem(
      'score',
      text(
        'mục được chấp nhận không áp dụng thì không có điểm',
        'a leaf accepted as not applicable has no score',
      ),
    );
  } else if (accepted !== true && score === null && !(before.not_applicable && accepted === null)) {
    problem('score', required);
  } else if (score !== null && (score < 0 || score > node.max)) {
    problem(
      'score',
      text(`${score} nằm ngoài [0, ${node.max}]`, `${score} is outside [0, ${node.max}]`),
    );
  }
  const reason = input.reason?.trim() || null;
  if (accepted !== true && score !== null && score !== before.self_score && reason === null) {
    problem(
      'reason',
      text(
        `bắt buộc khi điểm thẩm định khác điểm tự chấm (${before.self_score ?? 'không áp dụng'})`,
        `required when the appraised score differs from the self-score (${before.self_score ?? 'not applicable'})`,
      ),
    );
  }
  return {
    leaf: {
      ...before,
      appraised_score: accepted === true ? null : score,
      appraisal_reason: reason,
      not_applicable_accepted: before.not_applicable ? accepted : null,
    },
    problems,
  };
}

async function appraiseOne(
  trx: Db,
  principal: Principal,
  at: { round: OpenRound; unit: AssessedUnit },
  row: AssessmentRow,
  stage: StageOf,
  node: FrameworkNode,
  input: z.output<typeof appraisalInputSchema>,
): Promise<void> {
  const leaves = await repo.findLeaves(trx, row.id);
  const before = leafValues(leaves.find((leaf) => leaf.node === node.code));
  const { leaf, problems } = leafAfterAppraisal(node, before, input);
  if (problems.length > 0) {
    throw invalid(appraisalNotValid(node.code), problems);
  }
  await repo.saveLeaf(trx, row.id, node.code, leaf);
  if (row.state !== 'in-appraisal') {
    await repo.updateAssessment(trx, row.id, { state: 'in-appraisal' });
  }
  await audit.recordAudit(trx, {
    actor: principal.actor.id,
    action: 'assessment.appraise',
    subject: subject(at.round, at.unit),
    detail: {
      node: node.code,
      stage: stage.stage,
      ...changes(before, leaf),
      ...(row.state === 'in-appraisal' ? {} : { state: { old: row.state, new: 'in-appraisal' } }),
    },
  });
}

/** PUT …/leaves/{node}/appraisal: the stage's appraiser scores one leaf; → in-appraisal. */
export async function appraiseLeaf(
  db: Kysely<Database>,
  principal: Principal,
  target: AssessmentTarget & { node: string },
  input: AppraisalInput,
): Promise<AssessmentDocument> {
  const body = parseInput(appraisalInputSchema, input, appraisalNotValid(target.node));
  return db.transaction().execute(async (trx) => {
    const at = await opened(trx, principal, target);
    const stage = await assertAppraises(trx, principal, at.round, at.unit, at.row);
    const row = assertAppraisable(at.unit, at.row);
    const node = scoredLeaf(at.round, at.unit, target.node);
    await appraiseOne(trx, principal, at, row, stage, node, body);
    return documentOf(trx, principal, at.round, at.unit, await reread(trx, at));
  });
}

/** POST …/return: leaves (or the whole, every leaf) back to the unit with a comment. */
export async function returnAssessment(
  db: Kysely<Database>,
  principal: Principal,
  target: AssessmentTarget,
  input: ReturnInput,
): Promise<AssessmentDocument> {
  const notValid = text('Yêu cầu trả lại không hợp lệ.', 'The return is not valid.');
  const body = parseInput(returnInputSchema, input, notValid);
  return db.transaction().execute(async (trx) => {
    const at = await opened(trx, principal, target);
    const { round, unit } = at;
    const stage = await assertAppraises(trx, principal, round, unit, at.row);
    const row = assertAppraisable(unit, at.row);
    const mine = scoredLeaves(round, unit);
    const problems: FieldError[] = [];
    if ((body.leaves === undefined) === (body.comment === undefined)) {
      const either = text(
        'ghi leaves (từng mục với nhận xét) hoặc comment (cả bản), không cả hai',
        'give leaves (each with a comment) or comment (the whole), not both',
      );
      problems.push({ path: 'leaves', message: either });
    }
    const returned = (
      body.leaves ?? mine.map((node) => ({ node: node.code, comment: body.comment ?? '' }))
    ).flatMap(({ node, comment }, i) => {
      const leaf = mine.find((n) => n.code === node);
      if (!leaf) {
        problems.push({
          path: `leaves.${i}.node`,
          message: text(
            `${node} không phải mục đơn vị tự chấm điểm`,
            `${node} is not a leaf the unit scores`,
          ),
        });
        return [];
      }
      return [{ node, comment }];
    });
    if (problems.length > 0) throw invalid(notValid, problems);
    const leaves = await repo.findLeaves(trx, row.id);
    await repo.clearReturns(trx, row.id);
    for (const { node, comment } of returned) {
      const before = leafValues(leaves.find((leaf) => leaf.node === node));
      await repo.saveLeaf(trx, row.id, node, {
        ...before,
        returned: true,
        return_comment: comment,
      });
    }
    await repo.updateAssessment(trx, row.id, { state: 'returned' });
    await audit.recordAudit(trx, {
      actor: principal.actor.id,
      action: 'assessment.return',
      subject: subject(round, unit),
      detail: { stage: stage.stage, old: row.state, new: 'returned', leaves: returned },
    });
    return documentOf(trx, principal, round, unit, await reread(trx, at));
  });
}

/** Finishes the row's stage; the caller checked the appraiser and the state. */
async function finishRow(
  trx: Db,
  principal: Principal,
  round: OpenRound,
  unit: AssessedUnit,
  row: AssessmentRow,
  stage: StageOf,
): Promise<AssessmentState> {
  const leaves = new Map((await repo.findLeaves(trx, row.id)).map((leaf) => [leaf.node, leaf]));
  const mine = scoredLeaves(round, unit);
  const problems = mine.flatMap((node): FieldError[] => {
    const leaf = leaves.get(node.code);
    const done =
      leaf !== undefined &&
      (leaf.not_applicable_accepted === true || leaf.appraised_score !== null);
    return done
      ? []
      : [
          {
            path: `leaves.${node.code}.appraisedScore`,
            message: text('chưa thẩm định', 'not appraised yet'),
          },
        ];
  });
  if (problems.length > 0) {
    throw invalid(
      text(
        `Cấp ${stage.stage} chưa thẩm định xong bản tự đánh giá của đơn vị ${unit.code}.`,
        `The ${stage.stage} stage has not appraised every leaf of unit ${unit.code} yet.`,
      ),
      problems,
    );
  }
  const next = (await stagesFor(trx, round, unit.id)).find((s) => s.index > stage.index);
  const state: AssessmentState = next ? 'submitted' : 'appraised';
  await repo.clearReturns(trx, row.id);
  await repo.updateAssessment(trx, row.id, { state, stage: next?.index ?? stage.index });
  if (!next) {
    await par.upsertPoints(
      trx,
      round.frameworkId,
      round.period,
      mine.map((node) => {
        const leaf = leaves.get(node.code);
        return {
          unitId: unit.id,
          component: node.code,
          points: leaf?.not_applicable_accepted === true ? null : (leaf?.appraised_score ?? 0),
          source: 'appraised',
        };
      }),
    );
  }
  await audit.recordAudit(trx, {
    actor: principal.actor.id,
    action: 'assessment.finish',
    subject: subject(round, unit),
    detail: { stage: stage.stage, old: row.state, new: state, next: next?.stage ?? null },
  });
  return state;
}

/** POST …/appraise: the stage is done; the next stage's turn, or `appraised` with its points. */
export async function finishStage(
  db: Kysely<Database>,
  principal: Principal,
  target: AssessmentTarget,
): Promise<AssessmentDocument> {
  return db.transaction().execute(async (trx) => {
    const at = await opened(trx, principal, target);
    const stage = await assertAppraises(trx, principal, at.round, at.unit, at.row);
    const row = assertAppraisable(at.unit, at.row);
    await finishRow(trx, principal, at.round, at.unit, row, stage);
    return documentOf(trx, principal, at.round, at.unit, await reread(trx, at));
  });
}

// ---------------------------------------------------------------------------------------------
// Overviews

/** GET /assessments?framework&period, `sipas assessment status`: the peers within reach. */
export async function assessmentOverview(
  db: Kysely<Database>,
  principal: Principal,
  request: { framework: string; period: string },
): Promise<AssessmentOverview> {
  if (!(READERS as readonly string[]).includes(principal.role)) {
    throw new DomainError(
      'forbidden',
      text(
        `Vai trò ${principal.role} không được xem các bản tự đánh giá.`,
        `Role ${principal.role} may not read self-assessments.`,
      ),
    );
  }
  return db.transaction().execute(async (trx) => {
    const round = await loadRound(trx, request.framework, request.period);
    const scope = await unitIdsInScope(trx, principal);
    const peers = await repo.findUnitsByIds(
      trx,
      round.peerIds.filter((id) => scope === null || scope.has(id)),
    );
    const rows = new Map((await repo.listAssessments(trx, round.id)).map((a) => [a.unit_id, a]));
    const leaves = await repo.findRoundLeaves(trx, round.id);
    return {
      framework: round.tree.code,
      period: round.period,
      peers: round.peers,
      deadline: round.deadline,
      stages: round.stages,
      units: peers.map((unit) => {
        const row = rows.get(unit.id);
        const mine = new Set(scoredLeaves(round, unit).map((node) => node.code));
        const own = row
          ? leaves.filter((leaf) => leaf.assessment_id === row.id && mine.has(leaf.node))
          : [];
        const state = row?.state ?? 'not-started';
        const appraising = row && (appraiserWorks(row.state) || row.state === 'returned');
        return {
          unit: unit.code,
          name: unit.name,
          state,
          stage: row?.stage ?? null,
          stageName: appraising ? (round.stages[row.stage] ?? null) : null,
          scored: own.filter(scored).length,
          leaves: mine.size,
          returnedLeaves: own.filter((leaf) => leaf.returned).length,
          submittedAt: row?.submitted_at ? formatVietnamTime(row.submitted_at) : null,
          late: isLate(round.deadline, row?.submitted_at ?? null),
        };
      }),
    };
  });
}

/** GET /assessments/queue: the assessments waiting for the caller's stage, oldest first. */
export async function appraisalQueue(
  db: Kysely<Database>,
  principal: Principal,
): Promise<AppraisalQueue> {
  if (principal.role !== 'appraiser' && principal.role !== 'admin') {
    throw new DomainError(
      'forbidden',
      text(
        `Vai trò ${principal.role} không thẩm định.`,
        `Role ${principal.role} does not appraise.`,
      ),
    );
  }
  return db.transaction().execute(async (trx) => {
    const waiting = await repo.listAssessmentsIn(trx, APPRAISER_WORKS);
    const rounds = new Map<string, OpenRound>();
    const assessments: AppraisalQueue['assessments'] = [];
    for (const row of waiting) {
      const key = JSON.stringify([row.framework, row.period]);
      const round = rounds.get(key) ?? (await loadRound(trx, row.framework, row.period));
      rounds.set(key, round);
      const stage = (await stagesFor(trx, round, row.unit_id)).find((s) => s.index === row.stage);
      if (!stage || !appraisesAt(principal, stage, row.unit_id)) continue;
      assessments.push({
        framework: row.framework,
        period: row.period,
        unit: row.unit,
        unitName: row.unit_name,
        state: row.state,
        stage: row.stage,
        stageName: stage.stage,
        submittedAt: row.submitted_at ? formatVietnamTime(row.submitted_at) : null,
      });
    }
    return { assessments };
  });
}

// ---------------------------------------------------------------------------------------------
// `sipas assessment import`

export const scoresColumns = ['unit', 'node', 'score'] as const;
export const optionalScoresColumns = ['explanation', 'evidence', 'not_applicable'] as const;

export const IMPORT_STAGES = ['self', 'appraisal'] as const;
export type ImportStage = (typeof IMPORT_STAGES)[number];

const noRows = text('tệp không có dòng dữ liệu nào', 'the file has no rows');
const REFERENCE = /^(.+?);\s*(\d{4}-\d{2}-\d{2});\s*(.+)$/;

/** The file's column of a request's field, for `line N, column C`. */
const columnOfField: Record<string, string> = {
  node: 'node',
  selfScore: 'score',
  score: 'score',
  appraisedScore: 'score',
  explanation: 'explanation',
  reason: 'explanation',
  documentRefs: 'evidence',
  notApplicable: 'not_applicable',
  notApplicableReason: 'not_applicable',
  notApplicableAccepted: 'not_applicable',
};

/**
 * `sipas assessment import --stage self|appraisal`: what units (self) or appraisers
 * (appraisal) sent on paper, keyed in by the operator, all or nothing. `self` scores each row's
 * leaf and submits each unit's assessment; `appraisal` appraises each row's leaf at the stage
 * the assessment is in and finishes that stage. Every bad row is reported as `line N, column C`.
 */
export async function importScores(
  db: Kysely<Database>,
  principal: Principal,
  request: { framework: string; period: string; stage: ImportStage },
  input: Readable,
): Promise<{ units: number; leaves: number; states: Record<string, number> }> {
  const rows = await readTable(input, scoresColumns, { optional: optionalScoresColumns });
  return db.transaction().execute(async (trx) => {
    const round = await loadRound(trx, request.framework, request.period);
    const problems = new ImportProblems();
    /** Runs `work`, its refusals added as problems of the line (a field's by its column). */
    const attempt = async (line: number, column: string, work: () => Promise<void>) => {
      try {
        await work();
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        if (error.errors.length === 0)
          problems.add({ path: at(line, column), message: error.text });
        for (const { path, message } of error.errors) {
          const field = path.split('.').at(-1) ?? path;
          problems.add({ path: at(line, columnOfField[field] ?? column), message });
        }
      }
    };
    interface Unit {
      round: OpenRound;
      unit: AssessedUnit;
      line: number;
      lines: Map<string, number>;
      row: AssessmentRow | undefined;
      stage: StageOf | undefined;
    }
    const byCode = new Map<string, Unit | null>();
    let leaves = 0;
    for (const { line, cell } of rows) {
      const problem = (column: string, message: Text) =>
        problems.add({ path: at(line, column), message });
      const code = cell('unit');
      if (code === '') {
        problem('unit', required);
        continue;
      }
      if (!byCode.has(code)) {
        let found: Unit | null = null;
        await attempt(line, 'unit', async () => {
          const unit = await assessedUnit(trx, round, code);
          const row = await repo.findAssessment(trx, round.id, unit.id);
          if (request.stage === 'self') {
            assertScores(principal, unit);
            assertUnitEdits(unit, row);
            found = { round, unit, line, lines: new Map(), row, stage: undefined };
          } else {
            const stage = await assertAppraises(trx, principal, round, unit, row);
            found = {
              round,
              unit,
              line,
              lines: new Map(),
              row: assertAppraisable(unit, row),
              stage,
            };
          }
        });
        byCode.set(code, found);
      }
      const target = byCode.get(code);
      const nodeCode = cell('node');
      if (nodeCode === '') {
        problem('node', required);
        continue;
      }
      if (!target) continue;
      const first = target.lines.get(nodeCode);
      if (first !== undefined) {
        problem('node', alsoOnLine(`${code} ${nodeCode}`, first));
        continue;
      }
      target.lines.set(nodeCode, line);
      let node: FrameworkNode | undefined;
      await attempt(line, 'node', async () => {
        node = scoredLeaf(round, target.unit, nodeCode);
      });
      const score = cell('score');
      if (score !== '' && !POINTS_CELL.test(score)) {
        problem(
          'score',
          text('không phải số điểm, ví dụ 2.5', 'not a number of points such as 2.5'),
        );
      }
      const value = score === '' || !POINTS_CELL.test(score) ? null : Number(score);
      const [explanation, evidence, notApplicable] = [
        cell('explanation'),
        cell('evidence'),
        cell('not_applicable'),
      ];
      if (node === undefined) continue;
      const leaf = node;
      if (request.stage === 'self') {
        const documentRefs =
          evidence === '' ? [] : evidence.split('|').map((given) => given.trim());
        const refs = documentRefs.flatMap((given) => {
          const match = REFERENCE.exec(given);
          const ref = documentRefSchema.safeParse(
            match ? { number: match[1], date: match[2], issuer: match[3] } : null,
          );
          if (ref.success) return [ref.data];
          problem(
            'evidence',
            text(
              `${given} không phải văn bản dẫn chứng dạng SỐ; YYYY-MM-DD; CƠ QUAN BAN HÀNH`,
              `${given} is not a document reference NUMBER; YYYY-MM-DD; ISSUER`,
            ),
          );
          return [];
        });
        if (score === '' && notApplicable === '') {
          problem(
            'score',
            text('bắt buộc, trừ khi ghi not_applicable', 'required unless not_applicable'),
          );
        }
        if (refs.length !== documentRefs.length || (score !== '' && value === null)) continue;
        await attempt(line, 'score', async () => {
          target.row = await scoreLeaf(trx, principal, target, leaf, {
            selfScore: value,
            explanation: explanation === '' ? null : explanation,
            documentRefs: refs,
            notApplicable: notApplicable !== '',
            notApplicableReason: notApplicable === '' ? null : notApplicable,
          });
          leaves++;
        });
      } else {
        if (evidence !== '') {
          problem(
            'evidence',
            text('người thẩm định không ghi văn bản dẫn chứng', 'an appraisal gives no evidence'),
          );
        }
        const verdict = { '': undefined, accepted: true, rejected: false }[notApplicable];
        if (!(notApplicable in { '': 0, accepted: 0, rejected: 0 })) {
          problem(
            'not_applicable',
            text('accepted, rejected hoặc để trống', 'accepted, rejected or empty'),
          );
          continue;
        }
        const row = target.row;
        const stage = target.stage;
        if (!row || !stage || (score !== '' && value === null)) continue;
        await attempt(line, 'score', async () => {
          await appraiseOne(trx, principal, target, row, stage, leaf, {
            score: value,
            reason: explanation === '' ? null : explanation,
            ...(verdict === undefined ? {} : { notApplicableAccepted: verdict }),
          });
          target.row = { ...row, state: 'in-appraisal' };
          leaves++;
        });
      }
    }
    if (rows.length === 0) problems.add({ path: 'line 2', message: noRows });
    const states: Record<string, number> = {};
    if (problems.count === 0) {
      for (const target of byCode.values()) {
        const { unit, row, stage, lines } = target ?? {};
        if (!unit || !row) continue;
        // A leaf's problem on its own row; one the file left out on the unit's first row.
        const remap = (error: DomainError) =>
          new DomainError(
            error.code,
            error.text,
            error.errors.map(({ path, message }) => {
              const [, node = '', field = ''] = /^leaves\.(.+)\.([^.]+)$/.exec(path) ?? [];
              const line = lines?.get(node);
              return line === undefined
                ? {
                    path: at(target?.line ?? 0, 'node'),
                    message: text(`${node}: ${message.vi}`, `${node}: ${message.en}`),
                  }
                : { path: at(line, columnOfField[field] ?? 'score'), message };
            }),
          );
        await attempt(target?.line ?? 0, 'unit', async () => {
          try {
            // An appraisal's unit has its stage; a self-assessment's has none.
            let state: AssessmentState;
            if (stage) state = await finishRow(trx, principal, round, unit, row, stage);
            else {
              await submitRow(trx, principal, round, unit, row);
              state = row.state === 'returned' ? 'resubmitted' : 'submitted';
            }
            states[state] = (states[state] ?? 0) + 1;
          } catch (error) {
            throw error instanceof DomainError ? remap(error) : error;
          }
        });
      }
    }
    problems.throwIfAny();
    await audit.recordAudit(trx, {
      actor: principal.actor.id,
      action: 'assessment.import',
      subject: `${round.tree.code}/${round.period}`,
      detail: { stage: request.stage, leaves, states },
    });
    return { units: Object.values(states).reduce((a, b) => a + b, 0), leaves, states };
  });
}
