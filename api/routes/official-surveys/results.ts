// An officials' survey's results and their derivation into PAR points (par-cycle.md §5,
// docs/officials.md "Scoring"): its own sub-app beside the staff side's routes.
import { z } from '@hono/zod-openapi';
import { officialResultsCsv } from '../../../analysis/official-format.ts';
import { officialResultsSchema } from '../../../analysis/official-document.ts';
import { CODE_MAX } from '../../../shared/rules.ts';
import { EVERYONE } from '../../services/access.ts';
import {
  deriveOfficialPoints,
  officialDerivedSchema,
  officialResults,
} from '../../services/official-results.ts';
import { guarded, type AuthEnv } from '../auth.ts';
import { csvDownload } from '../files.ts';
import { json, problems } from '../openapi.ts';
import { apiApp } from '../validation.ts';
import { analysisDb } from '../replica.ts';

const tags = ['officials'];

// Made with plain zod in analysis/: named through zod's own metadata.
const resultsDocument = officialResultsSchema.meta({ id: 'OfficialResults' });
const derivedDocument = officialDerivedSchema.meta({ id: 'OfficialDerived' });

const surveyParams = z.object({
  code: z
    .string()
    .min(1)
    .max(CODE_MAX)
    .openapi({ param: { name: 'code', in: 'path' }, example: 'LD-2025' }),
});

const resultsQuery = z.strictObject({
  format: z
    .enum(['json', 'csv'])
    .default('json')
    .openapi({ description: 'The document, or one row per unit or group and leaf as CSV' }),
});

const results = guarded(EVERYONE, {
  method: 'get',
  path: '/api/v1/official-surveys/{code}/results',
  tags,
  summary: "An officials' survey's points by unit and group",
  description:
    'As `sipas officials results`: per unit, its response counts and each leaf the instrument ' +
    'scores: respondents, mean option share, points (mean share × max / 100), standard error ' +
    '(finite population correction from those invited) and 95% interval clipped to [0, max]; ' +
    'the same per group, except a group under the survey’s minimum respondents (`small`) and, ' +
    'when exactly one small group has answers, the shown group of fewest respondents ' +
    '(`complementary`). A scoped account reads the units of its subtree only.',
  request: { params: surveyParams, query: resultsQuery },
  responses: {
    200: {
      description: 'The results',
      content: { ...json(resultsDocument), 'text/csv': { schema: z.string() } },
    },
    ...problems({ 404: 'Unknown survey', 422: 'Bad query' }),
  },
});

const derive = guarded(['admin'], {
  method: 'post',
  path: '/api/v1/official-surveys/{code}/derive',
  tags,
  summary: "Store an officials' survey's points as PAR points",
  description:
    'As `sipas officials derive`: each unit with answers gets its points of every leaf the ' +
    'survey scores, for the survey’s framework and period, source `officials:CODE`, replacing ' +
    'what it held there. Refused (422) while no unit has answers; nothing is stored then.',
  request: { params: surveyParams },
  responses: {
    200: { description: 'Stored', content: json(derivedDocument) },
    ...problems({ 404: 'Unknown survey', 422: 'No answers yet' }),
  },
});

export function officialResultRoutes() {
  return apiApp<AuthEnv>()
    .openapi(results, async (c) => {
      const { code } = c.req.valid('param');
      const found = await officialResults(await analysisDb(c), c.var.principal, code);
      if (c.req.valid('query').format === 'csv') {
        const file = csvDownload(officialResultsCsv(found), `${found.survey}-results`);
        return c.body(file.body, 200, file.headers);
      }
      return c.json(found, 200);
    })
    .openapi(derive, async (c) =>
      c.json(await deriveOfficialPoints(c.var.db, c.var.principal, c.req.valid('param').code), 200),
    );
}
