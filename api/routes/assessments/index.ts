// PAR self-assessment and appraisal (par-cycle.md §2, docs/assessment.md): rounds, the overview
// of a round, one unit's assessment and its moves, and the appraiser's queue.
import {
  appraisalQueue,
  appraiseLeaf,
  assessmentDocument as readAssessment,
  assessmentOverview,
  finishStage,
  openRound,
  reopenAssessment,
  returnAssessment,
  setLeaf,
  submitAssessment,
} from '../../services/assessments.ts';
import { READERS } from '../../services/access.ts';
import { guarded, type AuthEnv } from '../auth.ts';
import { bodyProblems, json, jsonBody, problems } from '../openapi.ts';
import { apiApp } from '../validation.ts';
import {
  appraisalInput,
  assessmentDocument,
  assessmentParams,
  leafInput,
  leafParams,
  overviewDocument,
  overviewQuery,
  queueDocument,
  returnInput,
  roundDocument,
  roundInput,
} from './schemas.ts';

const tags = ['assessments'];
const base = '/api/v1/assessments/{framework}/{period}/{unit}';
const APPRAISERS = ['appraiser', 'admin'] as const;

const moved = { description: 'The assessment after the move', content: json(assessmentDocument) };
const moveProblems = {
  404: 'Unknown framework, round, unit or node, or a unit the round does not assess',
  409: 'The assessment is in a state that does not allow this',
};

const open = guarded(['admin'], {
  method: 'post',
  path: '/api/v1/assessments/rounds',
  tags,
  summary: "Open a framework's period for self-assessment",
  description:
    'As `sipas assessment open`: the peers (a peer group of the period, or a unit whose ' +
    "children on the period's map) assess the framework's `assessment` leaves until the " +
    'deadline; `stages` are the appraisal stages in order (`top`, or `parent,top`).',
  request: { body: jsonBody(roundInput) },
  responses: {
    201: { description: 'Opened', content: json(roundDocument) },
    ...bodyProblems({ 404: 'Unknown framework or peers', 409: 'The round is open already' }),
  },
});

const overview = guarded(READERS, {
  method: 'get',
  path: '/api/v1/assessments',
  tags,
  summary: "A round's units and where each assessment stands",
  description:
    'As `sipas assessment status --format json`: the peers within the caller’s scope, each ' +
    'with its state (`not-started` before its first score), stage, leaves scored of its ' +
    'leaves, leaves returned, submission and lateness.',
  request: { query: overviewQuery },
  responses: {
    200: { description: 'The overview', content: json(overviewDocument) },
    ...problems({ 404: 'Unknown framework or round', 422: 'Bad query' }),
  },
});

const queue = guarded(APPRAISERS, {
  method: 'get',
  path: '/api/v1/assessments/queue',
  tags,
  summary: "The assessments waiting for the caller's appraisal stage",
  responses: { 200: { description: 'The queue', content: json(queueDocument) } },
});

const show = guarded(READERS, {
  method: 'get',
  path: base,
  tags,
  summary: "One unit's self-assessment: its leaves, scores, evidence and appraisal",
  description: 'A unit that has not scored anything yet reads as an empty `draft`.',
  request: { params: assessmentParams },
  responses: {
    200: { description: 'The assessment', content: json(assessmentDocument) },
    ...problems({ 404: moveProblems[404] }),
  },
});

const leaf = guarded(['unit'], {
  method: 'put',
  path: `${base}/leaves/{node}`,
  tags,
  summary: "The unit's self-score, explanation, document references or not-applicable mark",
  description:
    'The unit itself, in `draft` or `returned`; the first write creates the assessment. ' +
    'A field left out keeps its value; 0 ≤ selfScore ≤ the leaf’s maximum.',
  request: { params: leafParams, body: jsonBody(leafInput) },
  responses: { 200: moved, ...bodyProblems(moveProblems) },
});

const submit = guarded(['unit'], {
  method: 'post',
  path: `${base}/submit`,
  tags,
  summary: 'Submit (draft → submitted) or resubmit (returned → resubmitted)',
  description:
    'Every applicable leaf needs a score or a not-applicable mark, and a positive score with ' +
    'no evidence and no document reference an explanation. Late submission is allowed and ' +
    'flagged; the self-scores become the unit’s points, marked `self-assessed`.',
  request: { params: assessmentParams },
  responses: { 200: moved, ...problems({ ...moveProblems, 422: 'Not ready: each leaf named' }) },
});

const reopen = guarded(['unit', ...APPRAISERS], {
  method: 'post',
  path: `${base}/reopen`,
  tags,
  summary: 'Back to draft',
  description:
    'The unit until the deadline while nobody appraises yet; the appraiser of the current ' +
    'stage at any time.',
  request: { params: assessmentParams },
  responses: { 200: moved, ...problems(moveProblems) },
});

const appraisal = guarded(APPRAISERS, {
  method: 'put',
  path: `${base}/leaves/{node}/appraisal`,
  tags,
  summary: "The current stage's appraised score of one leaf",
  description:
    '`reason` is required when the score differs from the self-score; on a leaf the unit ' +
    'marked not applicable, `notApplicableAccepted` (then `score` null when accepted).',
  request: { params: leafParams, body: jsonBody(appraisalInput) },
  responses: { 200: moved, ...bodyProblems(moveProblems) },
});

const giveBack = guarded(APPRAISERS, {
  method: 'post',
  path: `${base}/return`,
  tags,
  summary: 'Return leaves (each with a comment), or the whole assessment, to the unit',
  request: { params: assessmentParams, body: jsonBody(returnInput) },
  responses: { 200: moved, ...bodyProblems(moveProblems) },
});

const finish = guarded(APPRAISERS, {
  method: 'post',
  path: `${base}/appraise`,
  tags,
  summary: 'Finish the current stage: the next stage, or `appraised` with its points',
  request: { params: assessmentParams },
  responses: {
    200: moved,
    ...problems({ ...moveProblems, 422: 'A leaf is not appraised yet: each named' }),
  },
});

export function assessmentRoutes() {
  return apiApp<AuthEnv>()
    .openapi(open, async (c) => {
      const round = await openRound(c.var.db, c.var.principal, c.req.valid('json'));
      return c.json(roundDocument.parse(round), 201);
    })
    .openapi(overview, async (c) => {
      const found = await assessmentOverview(c.var.db, c.var.principal, c.req.valid('query'));
      return c.json(overviewDocument.parse(found), 200);
    })
    .openapi(queue, async (c) =>
      c.json(queueDocument.parse(await appraisalQueue(c.var.db, c.var.principal)), 200),
    )
    .openapi(show, async (c) => {
      const found = await readAssessment(c.var.db, c.var.principal, c.req.valid('param'));
      return c.json(assessmentDocument.parse(found), 200);
    })
    .openapi(leaf, async (c) => {
      const found = await setLeaf(
        c.var.db,
        c.var.principal,
        c.req.valid('param'),
        c.req.valid('json'),
      );
      return c.json(assessmentDocument.parse(found), 200);
    })
    .openapi(submit, async (c) => {
      const found = await submitAssessment(c.var.db, c.var.principal, c.req.valid('param'));
      return c.json(assessmentDocument.parse(found), 200);
    })
    .openapi(reopen, async (c) => {
      const found = await reopenAssessment(c.var.db, c.var.principal, c.req.valid('param'));
      return c.json(assessmentDocument.parse(found), 200);
    })
    .openapi(appraisal, async (c) => {
      const found = await appraiseLeaf(
        c.var.db,
        c.var.principal,
        c.req.valid('param'),
        c.req.valid('json'),
      );
      return c.json(assessmentDocument.parse(found), 200);
    })
    .openapi(giveBack, async (c) => {
      const found = await returnAssessment(
        c.var.db,
        c.var.principal,
        c.req.valid('param'),
        c.req.valid('json'),
      );
      return c.json(assessmentDocument.parse(found), 200);
    })
    .openapi(finish, async (c) => {
      const found = await finishStage(c.var.db, c.var.principal, c.req.valid('param'));
      return c.json(assessmentDocument.parse(found), 200);
    });
}
