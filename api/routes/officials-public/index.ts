// The officials' survey as an invited official answers it (docs/officials.md "Answering"): the
// page of a single-use link and its one submission. No login: the link is the credential, and
// it answers once, which is all the limiting it needs; bodies stay small.
import { createRoute } from '@hono/zod-openapi';
import { OFFICIAL_LIMITS } from '../../../shared/official.ts';
import { officialPageOfToken, submitOfficialAnswers } from '../../services/official-answers.ts';
import { notAnObject } from '../../services/submissions.ts';
import type { AppEnv } from '../env.ts';
import { json, jsonBody, problems } from '../openapi.ts';
import { apiApp, parseJson, readBodyText, requireJson, tooLarge } from '../validation.ts';
import { invitationParams, officialPage, officialReply, officialSubmission } from './schemas.ts';

const getPage = createRoute({
  method: 'get',
  path: '/api/v1/o/{token}',
  tags: ['officials'],
  summary: "The officials' survey behind a single-use link",
  description:
    'The survey, the unit and group invited, and the instrument: each item with its options ' +
    '(codes and labels in Vietnamese and English; no shares, no counts). No login. The page ' +
    'at `/o/{token}` embeds the same document.',
  request: { params: invitationParams },
  responses: {
    200: { description: 'The page', content: json(officialPage) },
    ...problems({
      404: 'Unknown link',
      409: 'The link has been used to answer',
      410: 'The link was revoked, or the survey is closed or not yet open',
    }),
  },
});

const postAnswers = createRoute({
  method: 'post',
  path: '/api/v1/o/{token}/responses',
  tags: ['officials'],
  summary: 'Answer through a single-use link',
  description:
    '`id` is a UUID the phone makes once for its answer; `answers` names every item of the ' +
    "survey's instrument with the code of the option chosen. Replies, checked in this order: " +
    `415 not sent as \`application/json\`; 400 not a JSON object; 413 over ` +
    `${OFFICIAL_LIMITS.submissionBytes / 1024} KB; 422 a body of another shape; 404 unknown ` +
    'link; 200 the link was used by this same `id` (a retry: stored once); 409 used by another ' +
    "submission; 410 revoked, or the survey closed or not yet open (Vietnam's day); 422 an " +
    'item unknown, missing or with no such option, each named (`answers.LD3`); else 201. ' +
    'Nothing is stored on a refusal. All 4xx are final; a client retries on a network error ' +
    'or a 5xx.',
  request: { params: invitationParams, body: jsonBody(officialSubmission) },
  responses: {
    200: { description: 'Stored before under this id', content: json(officialReply) },
    201: { description: 'Stored', content: json(officialReply) },
    ...problems({
      400: 'Not a JSON object',
      404: 'Unknown link',
      408: 'The body did not arrive in time; a client retries',
      409: 'The link has been used by another submission',
      410: 'The link was revoked, or the survey is closed or not yet open',
      413: `Body over ${OFFICIAL_LIMITS.submissionBytes / 1024} KB`,
      415: 'Not sent as `Content-Type: application/json`',
      422: 'Invalid: each field named in `errors`',
    }),
  },
});

const now = (c: { var: AppEnv['Variables'] }) => c.var.deps.now?.() ?? new Date();

export function officialsPublicRoutes() {
  const app = apiApp<AppEnv>().openapi(getPage, async (c) => {
    const page = await officialPageOfToken(c.var.db, c.req.valid('param').token, now(c));
    c.header('Cache-Control', 'no-store');
    return c.json(page, 200);
  });
  // The body is read here rather than by a validator, so that its size, JSON and shape come in
  // the documented order, as on the citizen's survey (api/routes/survey).
  app.openAPIRegistry.registerPath(postAnswers);
  app.post('/api/v1/o/:token/responses', async (c) => {
    requireJson(c);
    const limit = OFFICIAL_LIMITS.submissionBytes;
    const raw = await readBodyText(c, limit, {
      refuse: (start) => (/^\s*(\{|$)/.test(start) ? tooLarge(limit) : notAnObject()),
      deadlineMs: c.var.deps.config.http.surveyBodyTimeoutMs,
    });
    const outcome = await submitOfficialAnswers(c.var.db, {
      token: c.req.param('token'),
      body: parseJson(raw),
      now: now(c),
    });
    c.header('Cache-Control', 'no-store');
    return c.json(outcome.reply, outcome.httpStatus);
  });
  return app;
}
