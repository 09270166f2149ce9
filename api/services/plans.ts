// Remediation plans (par-cycle.md §6, docs/plans.md): a unit's plan for a framework's period,
// drafted from its results (plan-facts.ts) and stored with the facts frozen; its editable
// sections; its tasks (added, changed, moved, removed with the positions after closing up);
// progress reports on a task with their evidence files; and a unit above's roll-up of its
// children's plans. Readers whose scope reaches the unit read a plan; an admin, an analyst
// reaching the unit and the unit's own accounts write it. Every change is one transaction,
// audited under `plan:UNIT/FRAMEWORK/PERIOD`. Overdue is computed for the day the caller
// gives (the routes: Vietnam's day of their clock).
import type { Kysely } from 'kysely';
import * as z from 'zod';
import {
  planDraftSchema,
  planFactsSchema,
  planRollUpSchema,
  planSchema,
  planSectionsSchema,
  type Plan,
  type PlanDraft,
  type PlanFacts,
  type PlanRollUp,
  type PlanTaskInput,
} from '../../analysis/plan-document.ts';
import { planRollUp as rollUpRows } from '../../analysis/queries/index.ts';
import type { Database, Db } from '../../db/database.ts';
import * as audit from '../../db/repositories/audit.ts';
import * as campaigns from '../../db/repositories/campaigns.ts';
import * as frameworks from '../../db/repositories/frameworks.ts';
import * as peers from '../../db/repositories/peers.ts';
import * as repo from '../../db/repositories/plans.ts';
import * as units from '../../db/repositories/units.ts';
import { periodLastDay } from '../../shared/periods.ts';
import { isOverdue, PLAN_LIMITS, TASK_STATUSES } from '../../shared/plan.ts';
import {
  conflict,
  DomainError,
  invalid,
  notFound,
  fieldErrorsFromZod,
  parseInput,
  text,
  unknown,
  type FieldError,
  type Text,
} from '../errors.ts';
import { assertUnitInScope, unitIdsInScope, type Principal } from './access.ts';
import { readsAssessmentOf } from './assessment-access.ts';
import { daySchema } from './assessments.ts';
import { typedFile } from './evidence-type.ts';
import { frameworkTree } from './frameworks.ts';
import { periodSchema } from './par.ts';
import {
  DOCX_TYPE,
  planDocx,
  progressDocx,
  readTasksXlsx,
  tasksXlsx,
  type TaskTableRow,
} from './plan-documents/index.ts';
import { XLSX_TYPE } from './spreadsheet.ts';
import { draftPlanFor, planDraftRequestSchema, type PlanDraftRequest } from './plan-facts.ts';
import { formatVietnamTime } from './vietnam-time.ts';

// ---------------------------------------------------------------------------------------------
// Requests

const taskText = z.string().trim().max(PLAN_LIMITS.taskText);
const filled = taskText.min(1);
const codes = z.array(z.string().trim().min(1).max(100)).max(PLAN_LIMITS.taskList);
const sectionText = z.string().max(PLAN_LIMITS.sectionText);

/** A task as a client writes it: texts within PLAN_LIMITS, status not-started unless given. */
export const taskInputSchema = z.strictObject({
  content: filled,
  lead: filled,
  coordinating: z.array(filled).max(PLAN_LIMITS.taskList).default([]),
  /** The last day; null for an ongoing task ("Thường xuyên"). */
  deadline: daySchema.nullable(),
  expectedOutput: taskText,
  nodes: codes.default([]),
  factors: codes.default([]),
  status: z.enum(TASK_STATUSES).default('not-started'),
});

/** A change to a task: the fields given, and its new place in the table. */
export const taskPatchSchema = z.strictObject({
  content: filled.optional(),
  lead: filled.optional(),
  coordinating: z.array(filled).max(PLAN_LIMITS.taskList).optional(),
  deadline: daySchema.nullable().optional(),
  expectedOutput: taskText.optional(),
  nodes: codes.optional(),
  factors: codes.optional(),
  status: z.enum(TASK_STATUSES).optional(),
  position: z.number().int().positive().optional(),
});

export const sectionsPatchSchema = z.strictObject({
  summary: sectionText.optional(),
  purpose: sectionText.optional(),
  organisation: sectionText.optional(),
  recipients: z.array(z.string().trim().min(1).max(1000)).max(100).optional(),
  superiorBody: z.string().trim().max(200).optional(),
  issuingBody: z.string().trim().max(200).optional(),
  place: z.string().trim().max(200).optional(),
  signerTitle: z.string().trim().max(200).optional(),
  signerName: z.string().trim().max(200).optional(),
});

export const reportInputSchema = z.strictObject({
  /** The day the report is for: today or before. */
  on: daySchema,
  text: z.string().trim().min(1).max(PLAN_LIMITS.reportText),
});

const code = z.string().min(1).max(100);

export const planListQuerySchema = z.strictObject({
  framework: code.optional(),
  period: periodSchema.optional(),
  unit: code.optional(),
});

export const rollUpQuerySchema = z.strictObject({
  framework: code,
  period: periodSchema,
  /** The unit above: its children on the period's map are rolled up. */
  unit: code,
});

export const planListSchema = z.object({
  plans: z.array(
    z.object({
      id: z.number().int(),
      unit: z.object({ code: z.string(), name: z.string() }),
      framework: z.string(),
      period: z.string(),
      updatedAt: z.string(),
    }),
  ),
});

export type PlanList = z.output<typeof planListSchema>;
export type TaskInput = z.input<typeof taskInputSchema>;
export type TaskPatch = z.input<typeof taskPatchSchema>;
export type SectionsPatch = z.input<typeof sectionsPatchSchema>;
export type ReportInput = z.input<typeof reportInputSchema>;

// ---------------------------------------------------------------------------------------------
// Who reads and writes

type PlanRow = NonNullable<Awaited<ReturnType<typeof repo.findPlan>>>;

const forbidden = (message: Text) => new DomainError('forbidden', message);

const unknownPlan = (id: number) =>
  notFound(text(`Không tìm thấy kế hoạch ${id}.`, `Unknown plan ${id}.`));

/**
 * Whether the principal writes the unit's plan: an admin; an analyst whose scope reaches the
 * unit; a `unit` account of exactly that unit. Appraisers and surveyors never.
 */
async function writesPlanOf(db: Db, principal: Principal, unitId: number): Promise<boolean> {
  if (principal.role === 'admin') return true;
  if (principal.role === 'unit') return principal.unitId === unitId;
  if (principal.role !== 'analyst') return false;
  const reach = await unitIdsInScope(db, principal);
  return reach === null || reach.has(unitId);
}

async function assertReads(db: Db, principal: Principal, unit: { id: number; code: string }) {
  if (await readsAssessmentOf(db, principal, unit.id)) return;
  throw forbidden(
    text(
      `Tài khoản không được xem kế hoạch khắc phục của đơn vị ${unit.code}.`,
      `This account may not read the remediation plans of unit ${unit.code}.`,
    ),
  );
}

async function assertWrites(db: Db, principal: Principal, unit: { id: number; code: string }) {
  await assertReads(db, principal, unit);
  if (await writesPlanOf(db, principal, unit.id)) return;
  throw forbidden(
    text(
      `Tài khoản không được sửa kế hoạch khắc phục của đơn vị ${unit.code}.`,
      `This account may not change the remediation plans of unit ${unit.code}.`,
    ),
  );
}

/** The plan, after the principal may read it; 404 before 403. */
async function readable(db: Db, principal: Principal, id: number): Promise<PlanRow> {
  const row = await repo.findPlan(db, id);
  if (!row) throw unknownPlan(id);
  await assertReads(db, principal, { id: row.unit_id, code: row.unit_code });
  return row;
}

/** The plan, locked, after the principal may write it; 404 before 403. */
async function writable(trx: Db, principal: Principal, id: number): Promise<PlanRow> {
  const row = await repo.findPlan(trx, id);
  if (!row) throw unknownPlan(id);
  await assertWrites(trx, principal, { id: row.unit_id, code: row.unit_code });
  await repo.lockPlan(trx, id);
  return row;
}

const subjectOf = (row: { unit_code: string; framework: string; period: string }) =>
  `plan:${row.unit_code}/${row.framework}/${row.period}`;

// ---------------------------------------------------------------------------------------------
// The plan as served

const strings = z.array(z.string());

/** The stored plan with its tasks, reports and files, overdue and progress as of `today`. */
async function planOf(db: Db, row: PlanRow, today: string): Promise<Plan> {
  const facts = planFactsSchema.parse(row.facts);
  const tasks = await repo.listTasks(db, row.id);
  const reports = await repo.listProgress(db, row.id);
  const files = await repo.listPlanFiles(db, row.id);
  const served = tasks.map((task) => {
    const status = task.status;
    return {
      id: task.id,
      position: task.position,
      content: task.content,
      lead: task.lead,
      coordinating: strings.parse(task.coordinating),
      deadline: task.deadline,
      expectedOutput: task.expected_output,
      nodes: strings.parse(task.nodes),
      factors: strings.parse(task.factors),
      status,
      overdue: isOverdue({ status, deadline: task.deadline }, today),
      reports: reports
        .filter((report) => report.task_id === task.id)
        .map((report) => ({
          id: report.id,
          on: report.reported_on,
          text: report.text,
          by: report.reported_by,
          at: formatVietnamTime(report.reported_at),
          files: files
            .filter((file) => file.progress_id === report.id)
            .map((file) => ({
              id: file.id,
              name: file.file_name,
              mediaType: file.media_type,
              size: file.size,
              sha256: file.sha256,
            })),
        })),
    };
  });
  return planSchema.parse({
    id: row.id,
    unit: { code: row.unit_code, name: row.unit_name },
    framework: { code: row.framework, name: row.framework_name },
    period: row.period,
    peers: row.peers,
    campaign: row.campaign,
    facts,
    sections: row.sections,
    tasks: served,
    progress: progressOf(
      facts,
      (await frameworkTree(db, row.framework)).nodes.map((node) => node.code),
      served,
    ),
    today,
    draftedAt: formatVietnamTime(row.drafted_at),
    draftedBy: row.drafted_by,
    updatedAt: formatVietnamTime(row.updated_at),
  });
}

/** Tasks counted by status and overdue: for a node or factor, or a whole plan. */
function countTasks(tasks: readonly { status: string; overdue: boolean }[]) {
  return {
    tasks: tasks.length,
    notStarted: tasks.filter((t) => t.status === 'not-started').length,
    inProgress: tasks.filter((t) => t.status === 'in-progress').length,
    done: tasks.filter((t) => t.status === 'done').length,
    overdue: tasks.filter((t) => t.overdue).length,
  };
}

/**
 * Progress by each node (in the framework's order, `order`: the stored facts, a JSON object,
 * keep no order of their keys) and then each SIPAS factor that some task answers.
 */
function progressOf(
  facts: PlanFacts,
  order: readonly string[],
  tasks: readonly { status: string; overdue: boolean; nodes: string[]; factors: string[] }[],
) {
  const place = (code: string) => (order.includes(code) ? order.indexOf(code) : order.length);
  const framework = Object.values(facts.nodes).sort((a, b) => place(a.code) - place(b.code));
  const nodes = framework.map((node) => ({
    code: node.code,
    name: node.name,
    ...countTasks(tasks.filter((task) => task.nodes.includes(node.code))),
  }));
  const factors = (facts.sipas?.factors ?? []).map((factor) => ({
    code: factor.code,
    name: factor.name,
    ...countTasks(tasks.filter((task) => task.factors.includes(factor.code))),
  }));
  return [...nodes, ...factors].filter((entry) => entry.tasks > 0);
}

/** GET /plans/{id}. */
export async function getPlan(
  db: Kysely<Database>,
  principal: Principal,
  id: number,
  today: string,
): Promise<Plan> {
  return db
    .transaction()
    .execute(async (trx) => planOf(trx, await readable(trx, principal, id), today));
}

/** The unit and the framework a request names by code, each 404 naming its field when unknown. */
async function unitAndFramework(db: Db, unitCode: string, frameworkCode: string) {
  const unit = await units.findUnitByCode(db, unitCode);
  if (!unit) throw unknown('unit', unitCode);
  const framework = await frameworks.findFrameworkRow(db, frameworkCode);
  if (!framework) throw unknown('framework', frameworkCode);
  return { unit, framework };
}

/** The plan of the unit for the framework's period (`sipas plan show`), or 404. */
export async function findPlanFor(
  db: Kysely<Database>,
  principal: Principal,
  target: { framework: string; period: string; unit: string },
  today: string,
): Promise<Plan> {
  const { unit, framework } = await unitAndFramework(db, target.unit, target.framework);
  const id = await repo.findPlanId(db, unit.id, framework.id, target.period);
  if (id === undefined) {
    throw notFound(
      text(
        `Đơn vị ${unit.code} chưa có kế hoạch khắc phục khung ${framework.code} kỳ ${target.period}.`,
        `Unit ${unit.code} has no remediation plan of ${framework.code} for ${target.period}.`,
      ),
    );
  }
  return getPlan(db, principal, id, today);
}

/** GET /plans: the plans within the principal's reach, filtered by framework, period, unit. */
export async function listPlans(
  db: Kysely<Database>,
  principal: Principal,
  input: z.input<typeof planListQuerySchema>,
): Promise<PlanList> {
  const query = parseInput(
    planListQuerySchema,
    input,
    text('Điều kiện tra cứu kế hoạch không hợp lệ.', 'The plan query is not valid.'),
  );
  const framework =
    query.framework === undefined
      ? undefined
      : await frameworks.findFrameworkRow(db, query.framework);
  if (query.framework !== undefined && !framework) throw unknown('framework', query.framework);
  let unitId: number | null = null;
  if (query.unit !== undefined) {
    await assertUnitInScope(db, principal, query.unit);
    unitId = (await units.findUnitByCode(db, query.unit))?.id ?? null;
  }
  const scope = await unitIdsInScope(db, principal);
  const rows = await repo.listPlans(db, {
    frameworkId: framework?.id ?? null,
    period: query.period ?? null,
    unitId,
    unitIds: scope === null ? null : [...scope],
  });
  return planListSchema.parse({
    plans: rows.map((row) => ({
      id: row.id,
      unit: { code: row.unit_code, name: row.unit_name },
      framework: row.framework,
      period: row.period,
      updatedAt: formatVietnamTime(row.updated_at),
    })),
  });
}

// ---------------------------------------------------------------------------------------------
// Drafting and storing

/**
 * Stores a draft as the unit's plan: the facts frozen, the sections and the proposed tasks in
 * their order; 409 when the unit has a plan for the framework's period already. The caller
 * has checked that the principal writes the unit's plans.
 */
export async function storePlan(
  trx: Db,
  principal: Principal,
  unit: { id: number; code: string },
  input: PlanDraft,
): Promise<number> {
  const draft = planDraftSchema.parse(input);
  const { facts } = draft;
  const framework = await frameworks.findFrameworkRow(trx, facts.framework.code);
  if (!framework) throw unknown('framework', facts.framework.code);
  const campaign =
    facts.sipas && (await campaigns.findCampaignByCode(trx, facts.sipas.campaign.code));
  const id = await repo.insertPlan(trx, {
    unitId: unit.id,
    frameworkId: framework.id,
    period: facts.period,
    peers: facts.peers.code,
    campaignId: campaign ? campaign.id : null,
    facts,
    sections: draft.sections,
    draftedBy: principal.actor.id,
  });
  if (id === undefined) throw planExists(unit.code, framework.code, facts.period);
  for (const [index, task] of draft.tasks.entries()) {
    await repo.insertTask(trx, id, index + 1, task);
  }
  await audit.recordAudit(trx, {
    actor: principal.actor.id,
    action: 'plan.create',
    subject: subjectOf({ unit_code: unit.code, framework: framework.code, period: facts.period }),
    detail: {
      plan: id,
      peers: facts.peers.code,
      campaign: facts.sipas?.campaign.code ?? null,
      tasks: draft.tasks.length,
    },
  });
  return id;
}

const planExists = (unit: string, framework: string, period: string) =>
  conflict(
    text(
      `Đơn vị ${unit} đã có kế hoạch khắc phục khung ${framework} kỳ ${period}.`,
      `Unit ${unit} has a remediation plan of ${framework} for ${period} already.`,
    ),
  );

/** POST /plans: drafts the unit's plan from its results and stores it. */
export async function createPlan(
  db: Kysely<Database>,
  principal: Principal,
  input: PlanDraftRequest,
  today: string,
): Promise<Plan> {
  const request = parseInput(
    planDraftRequestSchema,
    input,
    text('Yêu cầu soạn kế hoạch không hợp lệ.', 'The plan request is not valid.'),
  );
  const { unit, framework } = await unitAndFramework(db, request.unit, request.framework);
  await assertWrites(db, principal, unit);
  // Before the drafting, which reads the scorecard and the survey: a second plan is refused.
  if ((await repo.findPlanId(db, unit.id, framework.id, request.period)) !== undefined) {
    throw planExists(unit.code, framework.code, request.period);
  }
  const draft = await draftPlanFor(db, principal, request);
  return db.transaction().execute(async (trx) => {
    const id = await storePlan(trx, principal, unit, draft);
    return planOf(trx, await readable(trx, principal, id), today);
  });
}

// ---------------------------------------------------------------------------------------------
// Changes

/** One change to a plan: locked and checked, made, audited, and the plan served after it. */
async function change(
  db: Kysely<Database>,
  principal: Principal,
  id: number,
  today: string,
  work: (trx: Db, row: PlanRow) => Promise<{ action: string; detail: unknown }>,
): Promise<Plan> {
  return db.transaction().execute(async (trx) => {
    const row = await writable(trx, principal, id);
    const { action, detail } = await work(trx, row);
    await repo.touchPlan(trx, id);
    await audit.recordAudit(trx, {
      actor: principal.actor.id,
      action,
      subject: subjectOf(row),
      detail,
    });
    return planOf(trx, await readable(trx, principal, id), today);
  });
}

const notValid = text(
  'Kế hoạch không thay đổi: nội dung chưa hợp lệ.',
  'The plan is unchanged: the input is not valid.',
);

/** PATCH /plans/{id}: the sections given replace theirs. */
export async function patchSections(
  db: Kysely<Database>,
  principal: Principal,
  id: number,
  input: SectionsPatch,
  today: string,
): Promise<Plan> {
  const patch = parseInput(sectionsPatchSchema, input, notValid);
  return change(db, principal, id, today, async (trx, row) => {
    const before = planSectionsSchema.parse(row.sections);
    const after = planSectionsSchema.parse({ ...before, ...patch });
    await repo.updateSections(trx, id, after);
    const keys = Object.keys(patch) as (keyof typeof before)[];
    return {
      action: 'plan.sections',
      detail: {
        plan: id,
        old: Object.fromEntries(keys.map((key) => [key, before[key]])),
        new: Object.fromEntries(keys.map((key) => [key, after[key]])),
      },
    };
  });
}

/** The nodes and factors a task names that the plan's facts do not hold, each a field error. */
function unknownCodes(facts: PlanFacts, task: PlanTaskInput, at: string): FieldError[] {
  const factors = new Set((facts.sipas?.factors ?? []).map((factor) => factor.code));
  return [
    ...task.nodes
      .filter((node) => !(node in facts.nodes))
      .map((node) => ({
        path: `${at}nodes`,
        message: text(
          `khung ${facts.framework.code} không có mục ${node}`,
          `${facts.framework.code} has no node ${node}`,
        ),
      })),
    ...task.factors
      .filter((factor) => !factors.has(factor))
      .map((factor) => ({
        path: `${at}factors`,
        message:
          facts.sipas === null
            ? text(
                `kế hoạch không nêu số liệu SIPAS, nên không có yếu tố ${factor}`,
                `the plan states no SIPAS figures, so no factor ${factor}`,
              )
            : text(
                `không có yếu tố ${factor} trong đợt ${facts.sipas.campaign.code}`,
                `no factor ${factor} in campaign ${facts.sipas.campaign.code}`,
              ),
      })),
  ];
}

/** A table row's task, without the id of the task it updates. */
const taskFields = (row: TaskTableRow): PlanTaskInput => ({
  content: row.content,
  lead: row.lead,
  coordinating: row.coordinating,
  deadline: row.deadline,
  expectedOutput: row.expectedOutput,
  nodes: row.nodes,
  factors: row.factors,
  status: row.status,
});

type TaskRow = Awaited<ReturnType<typeof repo.listTasks>>[number];

const inputOf = (task: TaskRow): PlanTaskInput => ({
  content: task.content,
  lead: task.lead,
  coordinating: strings.parse(task.coordinating),
  deadline: task.deadline,
  expectedOutput: task.expected_output,
  nodes: strings.parse(task.nodes),
  factors: strings.parse(task.factors),
  status: task.status,
});

const unknownTask = (id: number, taskId: number) =>
  notFound(
    text(`Kế hoạch ${id} không có nhiệm vụ ${taskId}.`, `Plan ${id} has no task ${taskId}.`),
  );

function liveTask(tasks: readonly TaskRow[], id: number, taskId: number): TaskRow {
  const task = tasks.find((t) => t.id === taskId);
  if (!task) throw unknownTask(id, taskId);
  return task;
}

const tooManyTasks = (at: string) =>
  invalid(notValid, [
    {
      path: at,
      message: text(
        `một kế hoạch có nhiều nhất ${PLAN_LIMITS.tasks} nhiệm vụ`,
        `a plan holds at most ${PLAN_LIMITS.tasks} tasks`,
      ),
    },
  ]);

/** POST /plans/{id}/tasks: the task goes last in the table. */
export async function addTask(
  db: Kysely<Database>,
  principal: Principal,
  id: number,
  input: TaskInput,
  today: string,
): Promise<Plan> {
  const task = parseInput(taskInputSchema, input, notValid);
  return change(db, principal, id, today, async (trx, row) => {
    const problems = unknownCodes(planFactsSchema.parse(row.facts), task, '');
    if (problems.length > 0) throw invalid(notValid, problems);
    const tasks = await repo.listTasks(trx, id);
    if (tasks.length >= PLAN_LIMITS.tasks) throw tooManyTasks('(body)');
    const taskId = await repo.insertTask(trx, id, tasks.length + 1, task);
    return { action: 'plan.task.add', detail: { plan: id, task: taskId, ...task } };
  });
}

/** Moves a task from place `from` to place `to`: the tasks in between make room. */
async function move(trx: Db, id: number, from: number, to: number): Promise<void> {
  if (to < from) await repo.shiftTasks(trx, id, to, from - 1, 1);
  else await repo.shiftTasks(trx, id, from + 1, to, -1);
}

/** PATCH /plans/{id}/tasks/{taskId}: the fields given change; `position` moves it. */
export async function patchTask(
  db: Kysely<Database>,
  principal: Principal,
  id: number,
  taskId: number,
  input: TaskPatch,
  today: string,
): Promise<Plan> {
  const { position, ...patch } = parseInput(taskPatchSchema, input, notValid);
  return change(db, principal, id, today, async (trx, row) => {
    const tasks = await repo.listTasks(trx, id);
    const task = liveTask(tasks, id, taskId);
    const before = inputOf(task);
    const after: PlanTaskInput = { ...before, ...patch };
    const problems = unknownCodes(planFactsSchema.parse(row.facts), after, '');
    if (position !== undefined && position > tasks.length) {
      problems.push({
        path: 'position',
        message: text(
          `kế hoạch có ${tasks.length} nhiệm vụ: vị trí từ 1 đến ${tasks.length}`,
          `the plan has ${tasks.length} tasks: a position from 1 to ${tasks.length}`,
        ),
      });
    }
    if (problems.length > 0) throw invalid(notValid, problems);
    const to = position ?? task.position;
    await move(trx, id, task.position, to);
    await repo.updateTask(trx, taskId, to, after);
    const keys = Object.keys(patch) as (keyof PlanTaskInput)[];
    return {
      action: 'plan.task.change',
      detail: {
        plan: id,
        task: taskId,
        old: {
          ...Object.fromEntries(keys.map((key) => [key, before[key]])),
          position: task.position,
        },
        new: { ...Object.fromEntries(keys.map((key) => [key, after[key]])), position: to },
      },
    };
  });
}

/** DELETE /plans/{id}/tasks/{taskId}: off the plan (its row and reports kept); the rest close up. */
export async function removeTask(
  db: Kysely<Database>,
  principal: Principal,
  id: number,
  taskId: number,
  today: string,
): Promise<Plan> {
  return change(db, principal, id, today, async (trx) => {
    const tasks = await repo.listTasks(trx, id);
    const task = liveTask(tasks, id, taskId);
    await repo.markTaskRemoved(trx, taskId);
    await repo.shiftTasks(trx, id, task.position + 1, tasks.length, -1);
    return {
      action: 'plan.task.remove',
      detail: { plan: id, task: taskId, position: task.position, content: task.content },
    };
  });
}

/**
 * PUT /plans/{id}/tasks, `sipas plan tasks import`: the task table's workbook (`read` only once
 * the plan and the writer have passed), read by readTasksXlsx and imported by importTasks.
 */
export async function importTaskTable(
  db: Kysely<Database>,
  principal: Principal,
  id: number,
  read: () => Promise<Uint8Array>,
  today: string,
): Promise<Plan> {
  await db.transaction().execute((trx) => writable(trx, principal, id));
  return importTasks(db, principal, id, await readTasksXlsx(await read()), today);
}

/**
 * The rows of a task table, all or nothing (N in a problem's path `rows.N` is the N-th task of
 * the table; readTasksXlsx has named every bad cell before). A
 * row with an id updates that task (keeping its place), a row without adds one at the end;
 * tasks the table leaves out stay.
 */
export async function importTasks(
  db: Kysely<Database>,
  principal: Principal,
  id: number,
  rows: readonly TaskTableRow[],
  today: string,
): Promise<Plan> {
  return change(db, principal, id, today, async (trx, row) => {
    const facts = planFactsSchema.parse(row.facts);
    const tasks = await repo.listTasks(trx, id);
    const problems: FieldError[] = [];
    const seen = new Map<number, number>();
    rows.forEach((task, index) => {
      const at = `rows.${index + 1}.`;
      const parsed = taskInputSchema.safeParse(taskFields(task));
      if (!parsed.success)
        problems.push(...fieldErrorsFromZod(parsed.error, ['rows', String(index + 1)]));
      problems.push(...unknownCodes(facts, task, at));
      if (task.id === null) return;
      if (!tasks.some((t) => t.id === task.id)) {
        problems.push({
          path: `${at}id`,
          message: text(`kế hoạch không có nhiệm vụ ${task.id}`, `the plan has no task ${task.id}`),
        });
      }
      const first = seen.get(task.id);
      if (first !== undefined) {
        problems.push({
          path: `${at}id`,
          message: text(
            `nhiệm vụ ${task.id} đã có ở dòng ${first}`,
            `task ${task.id} is also on row ${first}`,
          ),
        });
      }
      seen.set(task.id, index + 1);
    });
    const added = rows.filter((task) => task.id === null).length;
    if (tasks.length + added > PLAN_LIMITS.tasks) problems.push(...tooManyTasks('rows').errors);
    if (problems.length > 0) {
      throw invalid(
        text(
          'Bảng nhiệm vụ không được nhập; không có gì thay đổi.',
          'The task table is refused; nothing changed.',
        ),
        problems,
      );
    }
    let next = tasks.length;
    const changed: number[] = [];
    const created: number[] = [];
    for (const task of rows) {
      const values = taskInputSchema.parse(taskFields(task));
      const current = task.id === null ? undefined : tasks.find((t) => t.id === task.id);
      if (current) {
        await repo.updateTask(trx, current.id, current.position, values);
        changed.push(current.id);
      } else {
        created.push(await repo.insertTask(trx, id, ++next, values));
      }
    }
    return { action: 'plan.tasks.import', detail: { plan: id, changed, added: created } };
  });
}

// ---------------------------------------------------------------------------------------------
// Progress reports and their files

/** POST /plans/{id}/tasks/{taskId}/reports: a report for today or a day before. */
export async function addReport(
  db: Kysely<Database>,
  principal: Principal,
  id: number,
  taskId: number,
  input: ReportInput,
  today: string,
): Promise<Plan> {
  const report = parseInput(reportInputSchema, input, notValid);
  return change(db, principal, id, today, async (trx) => {
    liveTask(await repo.listTasks(trx, id), id, taskId);
    if (report.on > today) {
      throw invalid(notValid, [
        {
          path: 'on',
          message: text(`sau hôm nay (${today})`, `after today (${today})`),
        },
      ]);
    }
    const reportId = await repo.insertProgress(trx, {
      taskId,
      on: report.on,
      text: report.text,
      by: principal.actor.id,
    });
    return {
      action: 'plan.report',
      detail: { plan: id, task: taskId, report: reportId, ...report },
    };
  });
}

const unknownReport = (id: number, reportId: number) =>
  notFound(
    text(
      `Kế hoạch ${id} không có báo cáo tiến độ ${reportId}.`,
      `Plan ${id} has no progress report ${reportId}.`,
    ),
  );

async function reportOf(trx: Db, id: number, reportId: number) {
  const report = await repo.findProgress(trx, reportId);
  if (!report || report.plan_id !== id) throw unknownReport(id, reportId);
  return report;
}

/**
 * POST /plans/{id}/reports/{reportId}/files: an evidence file on a progress report, its type
 * read from its content as an assessment's evidence is (evidence-type.ts). The bytes are read
 * (`read`) only once the plan, the writer and the name have passed.
 */
export async function uploadPlanFile(
  db: Kysely<Database>,
  principal: Principal,
  target: { plan: number; report: number },
  file: { name: string; read: () => Promise<Uint8Array> },
  today: string,
): Promise<Plan> {
  await db.transaction().execute(async (trx) => {
    await writable(trx, principal, target.plan);
    await reportOf(trx, target.plan, target.report);
  });
  const { fileName, bytes, mediaType, sha256: digest } = await typedFile(file);
  return change(db, principal, target.plan, today, async (trx) => {
    const report = await reportOf(trx, target.plan, target.report);
    const fileId = await repo.insertPlanFile(trx, {
      progressId: report.id,
      fileName,
      mediaType,
      size: bytes.length,
      sha256: digest,
      content: bytes,
      uploadedBy: principal.actor.id,
    });
    return {
      action: 'plan.file.upload',
      detail: {
        plan: target.plan,
        report: report.id,
        file: fileId,
        fileName,
        mediaType,
        size: bytes.length,
        sha256: digest,
      },
    };
  });
}

async function foundFile(db: Db, fileId: number) {
  const file = await repo.findPlanFile(db, fileId);
  if (!file) {
    throw notFound(text(`Không tìm thấy tệp ${fileId}.`, `Unknown plan file ${fileId}.`));
  }
  return file;
}

const removedFile = (fileId: number, at: Date) =>
  new DomainError(
    'gone',
    text(
      `Tệp ${fileId} đã bị gỡ lúc ${formatVietnamTime(at)}.`,
      `Plan file ${fileId} was removed at ${formatVietnamTime(at)}.`,
    ),
  );

/** GET /plan-files/{fileId}: the bytes and what to serve them as, to the plan's readers. */
export async function planFileDownload(
  db: Kysely<Database>,
  principal: Principal,
  fileId: number,
): Promise<{ fileName: string; mediaType: string; content: Uint8Array<ArrayBuffer> }> {
  return db.transaction().execute(async (trx) => {
    const file = await foundFile(trx, fileId);
    await readable(trx, principal, file.plan_id);
    if (file.removed_at !== null) throw removedFile(fileId, file.removed_at);
    return {
      fileName: file.file_name,
      mediaType: file.media_type,
      content: await repo.findPlanFileContent(trx, fileId),
    };
  });
}

/** DELETE /plan-files/{fileId}: off its report, the row and bytes kept; 410 once removed. */
export async function removePlanFile(
  db: Kysely<Database>,
  principal: Principal,
  fileId: number,
  today: string,
): Promise<Plan> {
  const file = await foundFile(db, fileId);
  return change(db, principal, file.plan_id, today, async (trx) => {
    // Read again under the plan's lock: a removal racing this one has then finished.
    const current = await foundFile(trx, fileId);
    if (current.removed_at !== null) throw removedFile(fileId, current.removed_at);
    await repo.markPlanFileRemoved(trx, fileId);
    return {
      action: 'plan.file.remove',
      detail: {
        plan: file.plan_id,
        report: file.progress_id,
        file: fileId,
        fileName: file.file_name,
        sha256: file.sha256,
      },
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Documents

export const PLAN_DOCUMENTS = ['plan', 'tasks', 'progress'] as const;
export type PlanDocumentKind = (typeof PLAN_DOCUMENTS)[number];

/**
 * The names of the units the tasks' lead and coordinating cells write as a code, for the
 * documents, which print names.
 */
export async function unitNamesOf(
  db: Db,
  tasks: readonly PlanTaskInput[],
): Promise<Map<string, string>> {
  const written = [...new Set(tasks.flatMap((task) => [task.lead, ...task.coordinating]))];
  const found = await units.findUnitsByCodes(db, written);
  return new Map(found.map((unit) => [unit.code, unit.name]));
}

interface DocumentFile {
  content: Uint8Array;
  mediaType: string;
  fileName: string;
}

const nameOf = (plan: PlanDraft | Plan) =>
  `${plan.facts.unit.code} ${plan.facts.framework.code} ${plan.facts.period}`;

/** A draft's or a plan's DOCX or its task table's XLSX, as a file. */
export async function documentOf(
  db: Db,
  plan: PlanDraft | Plan,
  kind: 'plan' | 'tasks',
): Promise<DocumentFile> {
  if (kind === 'tasks') {
    return {
      content: await tasksXlsx(plan),
      mediaType: XLSX_TYPE,
      fileName: `Nhiệm vụ ${nameOf(plan)}.xlsx`,
    };
  }
  return {
    content: await planDocx(plan, await unitNamesOf(db, plan.tasks)),
    mediaType: DOCX_TYPE,
    fileName: `Kế hoạch ${nameOf(plan)}.docx`,
  };
}

/** A stored plan's progress report as of its `today`, as a file. */
export async function progressDocumentOf(db: Db, plan: Plan): Promise<DocumentFile> {
  return {
    content: await progressDocx(plan, await unitNamesOf(db, plan.tasks)),
    mediaType: DOCX_TYPE,
    fileName: `Báo cáo tiến độ ${nameOf(plan)} ${plan.today}.docx`,
  };
}

/** GET /plans/{id}/plan.docx, /tasks.xlsx, /progress.docx: to the plan's readers. */
export async function planDocument(
  db: Kysely<Database>,
  principal: Principal,
  id: number,
  kind: PlanDocumentKind,
  today: string,
): Promise<DocumentFile> {
  const plan = await getPlan(db, principal, id, today);
  return kind === 'progress' ? progressDocumentOf(db, plan) : documentOf(db, plan, kind);
}

// ---------------------------------------------------------------------------------------------
// The roll-up

/** GET /plans/roll-up: the children of a unit on the period's map and their plans' tasks. */
export async function planRollUp(
  db: Kysely<Database>,
  principal: Principal,
  input: z.input<typeof rollUpQuerySchema>,
  today: string,
): Promise<PlanRollUp> {
  const query = parseInput(
    rollUpQuerySchema,
    input,
    text('Điều kiện tổng hợp kế hoạch không hợp lệ.', 'The roll-up query is not valid.'),
  );
  const { unit: parent, framework } = await unitAndFramework(db, query.unit, query.framework);
  await assertReads(db, principal, parent);
  const day = periodLastDay(query.period);
  // The unit the code names on the map's day, as a scorecard's peers take it (peers.ts).
  const onDay =
    day === null ? parent : ((await peers.findUnitsByCodesOn(db, [parent.code], day))[0] ?? parent);
  const children = await rollUpRows(db, {
    parentId: onDay.id,
    on: day,
    frameworkId: framework.id,
    period: query.period,
    today,
  });
  return planRollUpSchema.parse({
    unit: { code: parent.code, name: parent.name },
    framework: { code: framework.code, name: framework.name },
    period: query.period,
    today,
    plans: children.flatMap((child) =>
      child.plan
        ? [
            {
              id: child.plan.id,
              unit: child.unit,
              updatedAt: formatVietnamTime(child.plan.updatedAt),
              ...child.counts,
            },
          ]
        : [],
    ),
    withoutPlan: children.filter((child) => !child.plan).map((child) => child.unit),
  });
}
