// The public survey behind a counter's QR code (interchange §4): no login, a phone on 3G.
import { createRoute } from '@hono/zod-openapi';
import { invalid, text } from '../../errors.ts';
import type { Config } from '../../config.ts';
import { SubmissionLimiter } from '../../services/rate-limit.ts';
import {
  MAX_SUBMISSION_BYTES,
  notAnObject,
  submitResponse,
  type OnlineMode,
  surveyForToken,
} from '../../services/submissions.ts';
import type { AppEnv } from '../env.ts';
import { json, jsonBody, problems } from '../openapi.ts';
import { apiApp, parseJson, readBodyText, requireJson, tooLarge } from '../validation.ts';
import { requestAddress } from './client-address.ts';
import { checkShortCodeLookup, shortCodeRoutes, type ShortCodeLookups } from './short-code.ts';
import {
  submission,
  submissionQuery,
  submissionReply,
  surveySchema,
  tokenParams,
} from './schemas.ts';

const getSurvey = createRoute({
  method: 'get',
  path: '/api/v1/s/{token}',
  tags: ['survey'],
  summary: "The survey of a counter's QR code",
  description:
    'The counter, its unit, the open campaign and its instrument (texts in Vietnamese and ' +
    'English, scales, skip rules). No login; cacheable for five minutes. The page at ' +
    '`/s/{token}` embeds the same document.',
  request: { params: tokenParams },
  responses: {
    200: { description: 'The survey', content: json(surveySchema) },
    ...problems({
      404: 'Unknown token',
      410: 'Revoked token, or no open campaign at the counter (a message for the citizen)',
      422: 'Bad token parameter',
      429: 'A short counter code looked up too often from one client address: `Retry-After`',
    }),
  },
});

const postResponse = createRoute({
  method: 'post',
  path: '/api/v1/s/{token}/responses',
  tags: ['survey'],
  summary: 'Submit one response',
  description:
    'One response in the JSON of interchange §4; `id` is the idempotency key. Replies, checked ' +
    'in this order: 415 not sent as `application/json`; 400 not a JSON object; 413 over 64 KB; ' +
    '200 replay of a stored id with the same content (same counter, same answers; even if the ' +
    'token was revoked since; never rate limited); 409 stored id with other content; 404 ' +
    'unknown token; 410 no campaign at the counter within 30 days; 422 ' +
    'anything else invalid, naming each field; 429 over a rate ceiling (far above what people ' +
    'send; `Retry-After` says the seconds to wait); else 201. A suspect answer (honeypot, under ' +
    '20 s, outside the campaign period, without `device`, `startedAt` or `submittedAt`, under a ' +
    'token revoked longer ago than the grace period (7 days by default; within it the answer ' +
    'is stored at the same counter as usual), over a rate limit) is stored quarantined with ' +
    'its reason: the reply says `quarantined`. `?mode=kiosk` marks an answer from the kiosk ' +
    "page of a counter's shared tablet. 400, 404, " +
    '409, 410, 413, 415 and 422 are final; a client retries on a network error or a 5xx, and ' +
    'after a 429 once `Retry-After` has passed.',
  request: {
    params: tokenParams,
    query: submissionQuery,
    body: jsonBody(submission),
  },
  responses: {
    200: { description: 'A replay: the stored reply', content: json(submissionReply) },
    201: { description: 'Stored', content: json(submissionReply) },
    ...problems({
      400: 'Not a JSON object',
      404: 'Unknown token',
      408: 'The body did not arrive in time; a client retries',
      409: 'The id is stored with other content',
      410: 'No campaign at the counter within 30 days',
      413: 'Body over 64 KB',
      415: 'Not sent as `Content-Type: application/json`',
      422: 'Invalid: each field named in `errors`',
      429: 'Over a rate ceiling: send again after `Retry-After` seconds',
    }),
  },
});

/** `kiosk` from the kiosk page of a counter's shared tablet; anything else is a phone's `qr`. */
function modeOf(query: string | undefined): OnlineMode {
  const parsed = submissionQuery.safeParse({ mode: query });
  if (!parsed.success) {
    throw invalid(text('Chế độ thu thập không hợp lệ.', 'Bad collection mode.'), [
      { path: 'mode', message: text('qr hoặc kiosk', 'qr or kiosk') },
    ]);
  }
  return parsed.data.mode;
}

/** `lookups` counts the short-code look-ups of the /c form and of the survey page too. */
export function surveyRoutes(config: Config, lookups: ShortCodeLookups) {
  const limiter = new SubmissionLimiter();
  const clientAddress = requestAddress(config.trustedProxies);
  const app = apiApp<AppEnv>().openapi(getSurvey, async (c) => {
    const { token } = c.req.valid('param');
    checkShortCodeLookup(lookups, c, token);
    const survey = await surveyForToken(c.var.db, token);
    c.header('Cache-Control', 'public, max-age=300');
    return c.json(survey, 200);
  });
  // The body is read here rather than by a validator: its size and the replay come before
  // validation in interchange §4's order, so the service validates it in that order.
  app.openAPIRegistry.registerPath(postResponse);
  app.post('/api/v1/s/:token/responses', async (c) => {
    requireJson(c);
    // In interchange §4's order: a body that is no JSON object at all is 400 whatever its size.
    const raw = await readBodyText(c, MAX_SUBMISSION_BYTES, {
      refuse: (start) =>
        /^\s*(\{|$)/.test(start) ? tooLarge(MAX_SUBMISSION_BYTES) : notAnObject(),
      deadlineMs: c.var.deps.config.http.surveyBodyTimeoutMs,
    });
    const body = parseJson(raw);
    const outcome = await submitResponse(c.var.db, {
      token: c.req.param('token'),
      body,
      ip: clientAddress(c),
      mode: modeOf(c.req.query('mode')),
      limits: c.var.deps.config.rateLimit,
      revokedTokenGraceMs: c.var.deps.config.revokedTokenGraceMs,
      limiter,
    });
    c.header('Cache-Control', 'no-store');
    return c.json(outcome.reply, outcome.httpStatus);
  });
  app.route('/', shortCodeRoutes(lookups));
  return app;
}
