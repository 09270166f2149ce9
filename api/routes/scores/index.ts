// Scores of a campaign (interchange §5: the document `sipas scores --format json` prints) and
// the change between two campaigns.
import type { ReportsConfig } from '../../config.ts';
import { READERS } from '../../services/access.ts';
import { z } from '@hono/zod-openapi';
import { comparisonCsv, scoresCsv } from '../../../analysis/scores-format.ts';
import { campaignScores, compareCampaigns } from '../../services/scores.ts';
import { guarded, type AuthEnv } from '../auth.ts';
import { campaignParams } from '../campaigns/schemas.ts';
import { analysisDb } from '../replica.ts';
import { json, problems } from '../openapi.ts';
import { apiApp } from '../validation.ts';
import { reportWorkbook, XLSX_TYPE } from '../../services/spreadsheet.ts';
import { csvDownload, download } from '../files.ts';
import {
  compareQuery,
  comparisonDocument,
  leagueDocument,
  scoresDocument,
  scoresQuery,
} from './schemas.ts';

const tags = ['scores'];
const readers = READERS;

const scores = guarded(readers, {
  method: 'get',
  path: '/api/v1/campaigns/{campaign}/scores',
  tags,
  summary: 'Item, factor and SIPAS scores with standard errors and intervals',
  description:
    'The scores document of interchange §5, the same as `sipas scores --format json`: unrounded ' +
    'indices in percent, the rules that made them, modes, response rates and flags. A ' +
    'stratified request that cannot be served is 422, naming the counters. With `format=csv` ' +
    'or `xlsx`, its CSV form: one row per group and index. A scoped account scores only the ' +
    "campaign's counters within its unit's subtree, `all` included, and the document's " +
    '`scope` (a last `scope` column in CSV and XLSX) says so; `counters` narrows it further. ' +
    "Units roll up on the map of the campaign's last day, so that a later reorganisation " +
    'leaves the figures as they were; `on` asks for the map of another day. With ' +
    '`view=league`, the league view (schema `LeagueScores`): each group without its items and ' +
    'factors, for a table that ranks many groups.',
  request: { params: campaignParams, query: scoresQuery },
  responses: {
    200: {
      description: 'The scores document',
      content: {
        ...json(z.union([scoresDocument, leagueDocument])),
        'text/csv': { schema: z.string() },
        [XLSX_TYPE]: { schema: z.string().openapi({ format: 'binary' }) },
      },
    },
    ...problems({
      404: 'Unknown campaign or peer group',
      422: 'Bad query, or a stratified design not served',
    }),
  },
});

const compare = guarded(readers, {
  method: 'get',
  path: '/api/v1/campaigns/{campaign}/compare',
  tags,
  summary: 'Change between two campaigns',
  description:
    'As `sipas compare --format json`: per group and index, the difference, its standard error ' +
    '(independent samples) and whether its 95% interval excludes 0.',
  request: { params: campaignParams, query: compareQuery },
  responses: {
    200: {
      description: 'The comparison',
      content: { ...json(comparisonDocument), 'text/csv': { schema: z.string() } },
    },
    ...problems({ 404: 'Unknown campaign', 422: 'Bad query' }),
  },
});

export function scoreRoutes(reports: ReportsConfig) {
  return apiApp<AuthEnv>()
    .openapi(scores, async (c) => {
      const { campaign } = c.req.valid('param');
      const { by, design, format, counters, on, peers, view } = c.req.valid('query');
      const document = await campaignScores(await analysisDb(c), c.var.principal, {
        campaign,
        by,
        ...(design === undefined ? {} : { design }),
        ...(counters === undefined ? {} : { counters }),
        ...(on === undefined ? {} : { on }),
        ...(peers === undefined ? {} : { peers }),
        view,
      });
      if (format === 'csv') {
        const file = csvDownload(scoresCsv(document), `${campaign}-scores`);
        return c.body(file.body, 200, file.headers);
      }
      if (format === 'xlsx') {
        return c.body(
          await reportWorkbook(scoresCsv(document), campaign),
          200,
          download(`${campaign}-scores.xlsx`, XLSX_TYPE),
        );
      }
      return c.json(document, 200);
    })
    .openapi(compare, async (c) => {
      const { campaign } = c.req.valid('param');
      const query = c.req.valid('query');
      const document = await compareCampaigns(
        await analysisDb(c),
        c.var.principal,
        {
          campaign,
          with: query.with,
          by: query.by,
        },
        reports,
      );
      if (query.format === 'csv') {
        const file = csvDownload(comparisonCsv(document), `${campaign}-${query.with}-compare`);
        return c.body(file.body, 200, file.headers);
      }
      return c.json(document, 200);
    });
}
