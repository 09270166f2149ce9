// Instrument versions (spec §4): what a campaign may use, and the definition a paper form or a
// score table is laid out from.
import { EVERYONE } from '../../services/access.ts';
import { z } from '@hono/zod-openapi';
import { CODE_MAX } from '../../../shared/rules.ts';
import {
  instrumentByCode,
  instrumentSummaries,
  saveInstrument,
} from '../../services/instruments.ts';
import { guarded, type AuthEnv } from '../auth.ts';
import { bodyProblems, json, jsonBody, problems } from '../openapi.ts';
import { instrumentDocument } from '../survey/schemas.ts';
import { apiApp } from '../validation.ts';

const localized = z.object({ vi: z.string(), en: z.string() });
const everyone = EVERYONE;
const tags = ['campaigns'];

const instrumentParams = z.object({
  instrument: z
    .string()
    .min(1)
    .max(CODE_MAX)
    .openapi({ param: { name: 'instrument', in: 'path' }, example: 'sipas-2017' }),
});

const list = guarded(everyone, {
  method: 'get',
  path: '/api/v1/instruments',
  tags,
  summary: 'The instrument versions',
  responses: {
    200: {
      description: 'Code and name of each, by code',
      content: json(z.array(z.object({ code: z.string(), name: localized }))),
    },
  },
});

const get = guarded(everyone, {
  method: 'get',
  path: '/api/v1/instruments/{instrument}',
  tags,
  summary: 'One instrument version: items, factors, scales and skip rules',
  request: { params: instrumentParams },
  responses: {
    200: { description: 'The definition', content: json(instrumentDocument) },
    ...problems({ 404: 'Unknown instrument' }),
  },
});

const save = guarded(['admin'], {
  method: 'post',
  path: '/api/v1/instruments',
  tags,
  summary: 'Add an instrument version',
  description:
    'The definition is validated on entry. A version nobody has answered yet may be replaced; ' +
    'once it has responses it never changes (409): save the change under a new code.',
  request: { body: jsonBody(instrumentDocument) },
  responses: {
    200: {
      description: 'Saved, or unchanged',
      content: json(
        z.object({ code: z.string(), outcome: z.enum(['created', 'replaced', 'unchanged']) }),
      ),
    },
    ...bodyProblems({ 409: 'The version has responses' }),
  },
});

export function instrumentRoutes() {
  return apiApp<AuthEnv>()
    .openapi(list, async (c) => c.json(await instrumentSummaries(c.var.db), 200))
    .openapi(save, async (c) =>
      c.json(await saveInstrument(c.var.db, c.var.principal, c.req.valid('json')), 200),
    )
    .openapi(get, async (c) => {
      const { id, ...definition } = await instrumentByCode(
        c.var.db,
        c.req.valid('param').instrument,
      );
      // Parsed on the way out: the definition as stored, without the row's id.
      return c.json(instrumentDocument.parse(definition), 200);
    });
}
