// Remediation plans (par-cycle.md §6, docs/plans.md): a draft previewed, a plan drafted and
// stored, its sections and tasks edited, progress reported with evidence files, and a unit
// above's roll-up of its children's plans. "Today", for overdue tasks, is Vietnam's day of the
// app's clock (AppDependencies.now).
import { z } from '@hono/zod-openapi';
import { EVIDENCE_MAX_BYTES } from '../../../shared/assessment.ts';
import { READERS } from '../../services/access.ts';
import { EVIDENCE_MEDIA_TYPES, evidenceTooLarge } from '../../services/evidence-type.ts';
import { draftPlanFor } from '../../services/plan-facts.ts';
import { DOCX_TYPE } from '../../services/plan-documents/index.ts';
import {
  addReport,
  addTask,
  createPlan,
  getPlan,
  importTaskTable,
  planDocument as planFile,
  type PlanDocumentKind,
  listPlans,
  patchSections,
  patchTask,
  planFileDownload,
  planRollUp,
  removePlanFile,
  removeTask,
  uploadPlanFile,
} from '../../services/plans.ts';
import { XLSX_TYPE } from '../../services/spreadsheet.ts';
import { vietnamDate } from '../../services/vietnam-time.ts';
import { XLSX_LIMITS } from '../../services/xlsx.ts';
import { guarded, type AuthEnv } from '../auth.ts';
import type { AppDependencies } from '../env.ts';
import { storedFileHeaders } from '../files.ts';
import { bodyProblems, json, jsonBody, problems } from '../openapi.ts';
import { apiApp, readBodyBytes } from '../validation.ts';
import { analysisDb } from '../replica.ts';
import {
  draftQuery,
  fileParams,
  fileUploadQuery,
  listQuery,
  planDocument,
  planDraftDocument,
  planListDocument,
  planParams,
  planRequest,
  reportInput,
  reportParams,
  rollUpDocument,
  rollUpQuery,
  sectionsPatch,
  taskInput,
  taskParams,
  taskPatch,
} from './schemas.ts';

const tags = ['plans'];
/** Who writes a plan: an admin, an analyst reaching the unit, the unit's own account. */
const WRITERS = ['admin', 'analyst', 'unit'] as const;

const binary = { schema: z.string().openapi({ format: 'binary' }) };
const thePlan = (description: string) => ({ description, content: json(planDocument) });
const unknownPlan = { 404: 'Unknown plan' };

/** Vietnam's day of the app's clock. */
const today = (deps: AppDependencies) => vietnamDate(deps.now?.() ?? new Date());

const preview = guarded(READERS, {
  method: 'get',
  path: '/api/v1/plan-drafts',
  tags,
  summary: "A draft of the unit's remediation plan, not stored",
  description:
    "As `sipas plan draft`: the facts of the unit's results among its peers (by default the " +
    "children of its parent on the period's map), its weak points and targets, the sections " +
    'and one proposed task per weak node and per SIPAS factor with an item below the peers. ' +
    'Readers whose scope reaches the unit (who read its scorecard).',
  request: { query: draftQuery },
  responses: {
    200: { description: 'The draft', content: json(planDraftDocument) },
    ...problems({ 404: 'Unknown unit, framework, peers or campaign', 422: 'Bad query' }),
  },
});

const create = guarded(WRITERS, {
  method: 'post',
  path: '/api/v1/plans',
  tags,
  summary: "Draft the unit's remediation plan and store it",
  description:
    'The draft as GET /plan-drafts makes it, with `targets` per node (`{"1": 5, "total": 10}`), ' +
    'stored with its facts frozen. An admin, an analyst whose scope reaches the unit, or the ' +
    "unit's own account.",
  request: { body: jsonBody(planRequest) },
  responses: {
    201: thePlan('Stored'),
    ...bodyProblems({
      404: 'Unknown unit, framework, peers or campaign',
      409: 'The unit has a plan for the framework and period already',
    }),
  },
});

const list = guarded(READERS, {
  method: 'get',
  path: '/api/v1/plans',
  tags,
  summary: 'The plans within reach, by framework, period and unit',
  request: { query: listQuery },
  responses: {
    200: { description: 'The plans', content: json(planListDocument) },
    ...problems({ 404: 'Unknown framework or unit', 422: 'Bad query' }),
  },
});

const rollUp = guarded(READERS, {
  method: 'get',
  path: '/api/v1/plans/roll-up',
  tags,
  summary: "A unit's children on the period's map and their plans' tasks by status",
  description:
    'Each child with a plan, its tasks counted (not started, in progress, done, overdue today), ' +
    'and the children without one. Readers whose scope reaches the unit.',
  request: { query: rollUpQuery },
  responses: {
    200: { description: 'The roll-up', content: json(rollUpDocument) },
    ...problems({ 404: 'Unknown unit or framework', 422: 'Bad query' }),
  },
});

const show = guarded(READERS, {
  method: 'get',
  path: '/api/v1/plans/{id}',
  tags,
  summary: 'A plan: facts, sections, tasks (overdue today), reports and files, progress by node',
  description: "Readers whose scope reaches the plan's unit.",
  request: { params: planParams },
  responses: { 200: thePlan('The plan'), ...problems(unknownPlan) },
});

const sections = guarded(WRITERS, {
  method: 'patch',
  path: '/api/v1/plans/{id}',
  tags,
  summary: "Change the plan's sections",
  description: 'The sections given replace theirs; the others stay.',
  request: { params: planParams, body: jsonBody(sectionsPatch) },
  responses: { 200: thePlan('The plan after the change'), ...bodyProblems(unknownPlan) },
});

const add = guarded(WRITERS, {
  method: 'post',
  path: '/api/v1/plans/{id}/tasks',
  tags,
  summary: 'Add a task at the end of the plan’s table',
  description:
    '`nodes` are codes of the framework, `factors` of the SIPAS factors the plan states; ' +
    '`status` not-started unless given; `deadline` null for an ongoing task.',
  request: { params: planParams, body: jsonBody(taskInput) },
  responses: { 201: thePlan('The plan with the task'), ...bodyProblems(unknownPlan) },
});

const change = guarded(WRITERS, {
  method: 'patch',
  path: '/api/v1/plans/{id}/tasks/{taskId}',
  tags,
  summary: 'Change a task, or move it (`position`) in the table',
  request: { params: taskParams, body: jsonBody(taskPatch) },
  responses: {
    200: thePlan('The plan after the change'),
    ...bodyProblems({ 404: 'Unknown plan, or a task not on it' }),
  },
});

const remove = guarded(WRITERS, {
  method: 'delete',
  path: '/api/v1/plans/{id}/tasks/{taskId}',
  tags,
  summary: 'Take a task off the plan',
  description:
    'The task and its reports are kept for the history of the plan; the tasks after it close up.',
  request: { params: taskParams },
  responses: {
    200: thePlan('The plan without the task'),
    ...problems({ 404: 'Unknown plan, or a task not on it' }),
  },
});

const importTable = guarded(
  WRITERS,
  {
    method: 'put',
    path: '/api/v1/plans/{id}/tasks',
    tags,
    summary: "Import the plan's task table (XLSX)",
    description:
      'As `sipas plan tasks import`: the workbook of GET …/tasks.xlsx, edited (docs/plans.md). ' +
      'A row with a `Mã` (id) updates that task, keeping its place; a row without adds a task ' +
      'at the end; tasks the table leaves out stay. All or nothing: every bad cell is named ' +
      '(`line N, column C`), as are ids not on the plan and unknown nodes or factors (`rows.N`).',
    request: {
      params: planParams,
      body: { required: true, content: { [XLSX_TYPE]: binary } },
    },
    responses: {
      200: thePlan('The plan after the import'),
      ...problems({
        404: 'Unknown plan',
        413: 'Larger than the XLSX limit',
        422: 'A bad workbook, cell or row: each named; nothing changed',
      }),
    },
  },
  // The handler reads the body, bounded, once the plan and the writer have passed.
  (_, next) => next(),
);

const documents = {
  plan: { file: 'plan.docx', type: DOCX_TYPE, what: 'The plan as DOCX (Nghị định 30/2020 layout)' },
  tasks: { file: 'tasks.xlsx', type: XLSX_TYPE, what: "The plan's task table as XLSX" },
  progress: {
    file: 'progress.docx',
    type: DOCX_TYPE,
    what: "The plan's progress report as DOCX, as of today",
  },
} as const satisfies Record<PlanDocumentKind, { file: string; type: string; what: string }>;

const documentRoute = <K extends PlanDocumentKind>(kind: K) =>
  guarded(READERS, {
    method: 'get',
    path: `/api/v1/plans/{id}/${documents[kind].file}`,
    tags,
    summary: documents[kind].what,
    description:
      "An attachment (docs/plans.md, Documents). Readers whose scope reaches the plan's unit.",
    request: { params: planParams },
    responses: {
      200: { description: 'The file', content: { [documents[kind].type]: binary } },
      ...problems(unknownPlan),
    },
  });

const planDocxRoute = documentRoute('plan');
const tasksXlsxRoute = documentRoute('tasks');
const progressDocxRoute = documentRoute('progress');

const report = guarded(WRITERS, {
  method: 'post',
  path: '/api/v1/plans/{id}/tasks/{taskId}/reports',
  tags,
  summary: 'Report progress on a task',
  description: '`on` is today or a day before it; `text` is not empty.',
  request: { params: taskParams, body: jsonBody(reportInput) },
  responses: {
    201: thePlan('The plan with the report'),
    ...bodyProblems({ 404: 'Unknown plan, or a task not on it' }),
  },
});

const upload = guarded(
  WRITERS,
  {
    method: 'post',
    path: '/api/v1/plans/{id}/reports/{reportId}/files',
    tags,
    summary: 'Attach an evidence file to a progress report',
    description:
      "The body is the file itself, at most 20 MB, of any Content-Type: as an assessment's " +
      'evidence, its type is read from its content (PDF, DOC, DOCX, XLS, XLSX, JPG, PNG) and ' +
      'must agree with the extension of `name`.',
    request: {
      params: reportParams,
      query: fileUploadQuery,
      body: { required: true, content: { 'application/octet-stream': binary } },
    },
    responses: {
      201: thePlan('The plan with the file'),
      ...problems({
        404: 'Unknown plan, or a report not on it',
        413: 'Larger than 20 MB: nothing stored',
        422: 'An empty file, one of no accepted type, or of another type than its name says (`file`); a bad name (`name`)',
      }),
    },
  },
  // No limit in front: the handler reads the body itself, held to 20 MB, and only once the
  // plan and the writer have passed.
  (_, next) => next(),
);

const download = guarded(READERS, {
  method: 'get',
  path: '/api/v1/plan-files/{fileId}',
  tags,
  summary: "Download a progress report's file",
  description:
    'As an evidence file: an attachment of the type read from its content, nosniff, a ' +
    "sandboxing CSP, no caching. Readers whose scope reaches the plan's unit.",
  request: { params: fileParams },
  responses: {
    200: {
      description: 'The file',
      content: Object.fromEntries(
        Object.values(EVIDENCE_MEDIA_TYPES).map((type) => [type, binary]),
      ),
    },
    ...problems({ 404: 'Unknown file', 410: 'The file was removed' }),
  },
});

const removeFile = guarded(WRITERS, {
  method: 'delete',
  path: '/api/v1/plan-files/{fileId}',
  tags,
  summary: 'Remove a file from its progress report',
  description: 'Kept, marked removed, for the history of the plan, and no longer served.',
  request: { params: fileParams },
  responses: {
    200: thePlan('The plan without the file'),
    ...problems({ 404: 'Unknown file', 410: 'Already removed' }),
  },
});

export function planRoutes() {
  return (
    apiApp<AuthEnv>()
      .openapi(preview, async (c) => {
        const draft = await draftPlanFor(
          await analysisDb(c),
          c.var.principal,
          c.req.valid('query'),
        );
        return c.json(planDraftDocument.parse(draft), 200);
      })
      .openapi(create, async (c) => {
        const plan = await createPlan(
          c.var.db,
          c.var.principal,
          c.req.valid('json'),
          today(c.var.deps),
        );
        return c.json(planDocument.parse(plan), 201);
      })
      .openapi(list, async (c) => {
        const found = await listPlans(await analysisDb(c), c.var.principal, c.req.valid('query'));
        return c.json(planListDocument.parse(found), 200);
      })
      // Before /plans/{id}, which would take `roll-up` for an id.
      .openapi(rollUp, async (c) => {
        const found = await planRollUp(
          await analysisDb(c),
          c.var.principal,
          c.req.valid('query'),
          today(c.var.deps),
        );
        return c.json(rollUpDocument.parse(found), 200);
      })
      .openapi(show, async (c) => {
        const plan = await getPlan(
          await analysisDb(c),
          c.var.principal,
          c.req.valid('param').id,
          today(c.var.deps),
        );
        return c.json(planDocument.parse(plan), 200);
      })
      .openapi(sections, async (c) => {
        const { id } = c.req.valid('param');
        const plan = await patchSections(
          c.var.db,
          c.var.principal,
          id,
          c.req.valid('json'),
          today(c.var.deps),
        );
        return c.json(planDocument.parse(plan), 200);
      })
      .openapi(add, async (c) => {
        const { id } = c.req.valid('param');
        const plan = await addTask(
          c.var.db,
          c.var.principal,
          id,
          c.req.valid('json'),
          today(c.var.deps),
        );
        return c.json(planDocument.parse(plan), 201);
      })
      .openapi(change, async (c) => {
        const { id, taskId } = c.req.valid('param');
        const plan = await patchTask(
          c.var.db,
          c.var.principal,
          id,
          taskId,
          c.req.valid('json'),
          today(c.var.deps),
        );
        return c.json(planDocument.parse(plan), 200);
      })
      .openapi(remove, async (c) => {
        const { id, taskId } = c.req.valid('param');
        const plan = await removeTask(c.var.db, c.var.principal, id, taskId, today(c.var.deps));
        return c.json(planDocument.parse(plan), 200);
      })
      .openapi(importTable, async (c) => {
        const { id } = c.req.valid('param');
        const plan = await importTaskTable(
          c.var.db,
          c.var.principal,
          id,
          () => readBodyBytes(c, XLSX_LIMITS.bytes),
          today(c.var.deps),
        );
        return c.json(planDocument.parse(plan), 200);
      })
      .openapi(planDocxRoute, async (c) => {
        const { id } = c.req.valid('param');
        const file = await planFile(
          await analysisDb(c),
          c.var.principal,
          id,
          'plan',
          today(c.var.deps),
        );
        return c.body(new Uint8Array(file.content), 200, storedFileHeaders(file));
      })
      .openapi(tasksXlsxRoute, async (c) => {
        const { id } = c.req.valid('param');
        const file = await planFile(
          await analysisDb(c),
          c.var.principal,
          id,
          'tasks',
          today(c.var.deps),
        );
        return c.body(new Uint8Array(file.content), 200, storedFileHeaders(file));
      })
      .openapi(progressDocxRoute, async (c) => {
        const { id } = c.req.valid('param');
        const file = await planFile(
          await analysisDb(c),
          c.var.principal,
          id,
          'progress',
          today(c.var.deps),
        );
        return c.body(new Uint8Array(file.content), 200, storedFileHeaders(file));
      })
      .openapi(report, async (c) => {
        const { id, taskId } = c.req.valid('param');
        const plan = await addReport(
          c.var.db,
          c.var.principal,
          id,
          taskId,
          c.req.valid('json'),
          today(c.var.deps),
        );
        return c.json(planDocument.parse(plan), 201);
      })
      .openapi(upload, async (c) => {
        const { id, reportId } = c.req.valid('param');
        const plan = await uploadPlanFile(
          c.var.db,
          c.var.principal,
          { plan: id, report: reportId },
          {
            name: c.req.valid('query').name,
            read: () => readBodyBytes(c, EVIDENCE_MAX_BYTES, { refuse: evidenceTooLarge }),
          },
          today(c.var.deps),
        );
        return c.json(planDocument.parse(plan), 201);
      })
      .openapi(download, async (c) => {
        const file = await planFileDownload(c.var.db, c.var.principal, c.req.valid('param').fileId);
        return c.body(file.content, 200, storedFileHeaders(file));
      })
      .openapi(removeFile, async (c) => {
        const { fileId } = c.req.valid('param');
        const plan = await removePlanFile(c.var.db, c.var.principal, fileId, today(c.var.deps));
        return c.json(planDocument.parse(plan), 200);
      })
  );
}
