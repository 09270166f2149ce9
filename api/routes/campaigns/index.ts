// Campaigns (spec §3): creation, the few things that may change after, transaction counts,
// and progress against the sample targets.
import { EVERYONE } from '../../services/access.ts';
import { z } from '@hono/zod-openapi';
import {
  addCampaignCounters,
  campaignProgress,
  campaignView,
  createCampaign,
  deleteCampaign,
  importTransactions,
  listCampaigns,
  removeCampaignCounter,
  setTransactions,
  updateCampaign,
} from '../../services/campaigns/index.ts';
import { guarded, type AuthEnv } from '../auth.ts';
import { transactionsTemplate } from '../../services/templates.ts';
import { tableDownload, uploadedTable } from '../files.ts';
import {
  bodyProblems,
  delimiterQuery,
  fileProblems,
  json,
  jsonBody,
  problems,
  tableFile,
  tableUpload,
  templateQuery,
} from '../openapi.ts';
import { apiApp } from '../validation.ts';
import {
  campaign as campaignSchema,
  campaignChange,
  campaignCounterParams,
  campaignParams,
  campaignSummary,
  newCampaign,
  newCounters,
  progress as progressSchema,
  transactions,
  updatedSchema,
} from './schemas.ts';

const tags = ['campaigns'];
const everyone = EVERYONE;
const managers = ['admin', 'surveyor'] as const;

const list = guarded(everyone, {
  method: 'get',
  path: '/api/v1/campaigns',
  tags,
  summary: 'The campaigns within reach, latest first',
  responses: {
    200: { description: 'Campaigns', content: json(z.array(campaignSummary)) },
  },
});

const create = guarded(managers, {
  method: 'post',
  path: '/api/v1/campaigns',
  tags,
  summary: 'Open a campaign',
  description:
    'As `sipas campaign create`: an instrument, a period, counters none of which is in another ' +
    'campaign whose period overlaps (409 naming them), and the scoring rules. A rule the ' +
    'instrument cannot serve is refused (422).',
  request: { body: jsonBody(newCampaign) },
  responses: {
    201: { description: 'Created', content: json(campaignSchema) },
    ...bodyProblems({ 409: 'The code exists, or a counter is taken in the period' }),
  },
});

const get = guarded(everyone, {
  method: 'get',
  path: '/api/v1/campaigns/{campaign}',
  tags,
  summary: 'One campaign with its counters, targets and transactions',
  request: { params: campaignParams },
  responses: {
    200: { description: 'The campaign', content: json(campaignSchema) },
    ...problems({ 404: 'Unknown campaign' }),
  },
});

const update = guarded(managers, {
  method: 'patch',
  path: '/api/v1/campaigns/{campaign}',
  tags,
  summary: 'Rename a campaign, move its period, set its targets',
  description:
    'Each field optional. The period may grow where its counters are in no other campaign ' +
    '(409 naming it) and shrink where no response of any status was stored (409 naming the ' +
    'first day left out). Instrument and rules stay as created. Audited with before and after.',
  request: {
    params: campaignParams,
    body: jsonBody(campaignChange),
  },
  responses: {
    200: { description: 'The campaign', content: json(campaignSchema) },
    ...bodyProblems({ 404: 'Unknown campaign' }),
  },
});

const remove = guarded(managers, {
  method: 'delete',
  path: '/api/v1/campaigns/{campaign}',
  tags,
  summary: 'Delete a campaign without responses',
  request: { params: campaignParams },
  responses: {
    204: { description: 'Deleted' },
    ...problems({ 404: 'Unknown campaign', 409: 'It has responses' }),
  },
});

const addCounters = guarded(managers, {
  method: 'post',
  path: '/api/v1/campaigns/{campaign}/counters',
  tags,
  summary: 'Add counters to a campaign',
  description:
    'Known counters within reach, not in the campaign yet, with optional targets; a counter in ' +
    'another campaign whose period overlaps is 409, naming it.',
  request: { params: campaignParams, body: jsonBody(newCounters) },
  responses: {
    200: { description: 'The campaign', content: json(campaignSchema) },
    ...bodyProblems({ 404: 'Unknown campaign', 409: 'A counter is taken in the period' }),
  },
});

const removeCounter = guarded(managers, {
  method: 'delete',
  path: '/api/v1/campaigns/{campaign}/counters/{counter}',
  tags,
  summary: 'Take a counter without responses out of a campaign',
  request: { params: campaignCounterParams },
  responses: {
    200: { description: 'The campaign', content: json(campaignSchema) },
    ...problems({
      404: 'Unknown campaign, or the counter is not in it',
      409: 'The counter has responses (of any status), or is the last',
    }),
  },
});

const putTransactions = guarded(managers, {
  method: 'put',
  path: '/api/v1/campaigns/{campaign}/transactions',
  tags,
  summary: 'Set transaction counts per counter',
  description: 'Counters left out keep their counts. Used for response rates and weighting.',
  request: { params: campaignParams, body: jsonBody(transactions) },
  responses: {
    200: { description: 'The campaign', content: json(campaignSchema) },
    ...bodyProblems({ 404: 'Unknown campaign' }),
  },
});

const importCsv = guarded(managers, {
  method: 'post',
  path: '/api/v1/campaigns/{campaign}/transactions/import',
  tags,
  summary: 'Import transactions.csv',
  description:
    'Columns `counter`, `transactions` (interchange §2); all or nothing. CSV or the first sheet ' +
    'of an XLSX workbook, as the responses import reads them.',
  request: { params: campaignParams, query: delimiterQuery, body: tableUpload },
  responses: {
    200: { description: 'Imported', content: json(updatedSchema) },
    ...fileProblems({ 404: 'Unknown campaign' }),
  },
});

const transactionsTemplateRoute = guarded(managers, {
  method: 'get',
  path: '/api/v1/campaigns/{campaign}/transactions/import/template',
  tags,
  summary: 'A template of transactions.csv',
  description:
    'The columns and one example row that imports as it is: the first counter within reach, ' +
    'with its count as stored (100 when it has none).',
  request: { params: campaignParams, query: templateQuery },
  responses: { 200: tableFile, ...problems({ 404: 'Unknown campaign', 422: 'Bad query' }) },
});

const progress = guarded(everyone, {
  method: 'get',
  path: '/api/v1/campaigns/{campaign}/progress',
  tags,
  summary: 'Responses per counter against target and transactions',
  description:
    'Per counter: valid and quarantined responses, valid ones by mode, the target, the ' +
    'transactions, the response rate (100 × respondents ÷ transactions), the planning sample ' +
    'size n = N / (1 + N × 0.05²) rounded up, and progress (100 × respondents ÷ the target, ' +
    'else the planning sample). The total sums the counters.',
  request: { params: campaignParams },
  responses: {
    200: { description: 'Progress', content: json(progressSchema) },
    ...problems({ 404: 'Unknown campaign' }),
  },
});

export function campaignRoutes() {
  return apiApp<AuthEnv>()
    .openapi(list, async (c) => c.json(await listCampaigns(c.var.db, c.var.principal), 200))
    .openapi(create, async (c) => {
      const { db, principal } = c.var;
      const body = c.req.valid('json');
      await createCampaign(db, principal, body);
      return c.json(await campaignView(db, principal, body.code), 201);
    })
    .openapi(get, async (c) => {
      const { campaign } = c.req.valid('param');
      return c.json(await campaignView(c.var.db, c.var.principal, campaign), 200);
    })
    .openapi(update, async (c) => {
      const { campaign } = c.req.valid('param');
      return c.json(
        await updateCampaign(c.var.db, c.var.principal, campaign, c.req.valid('json')),
        200,
      );
    })
    .openapi(remove, async (c) => {
      const { campaign } = c.req.valid('param');
      await deleteCampaign(c.var.db, c.var.principal, campaign);
      return c.body(null, 204);
    })
    .openapi(addCounters, async (c) => {
      const { campaign } = c.req.valid('param');
      return c.json(
        await addCampaignCounters(c.var.db, c.var.principal, campaign, c.req.valid('json')),
        200,
      );
    })
    .openapi(removeCounter, async (c) => {
      const { campaign, counter } = c.req.valid('param');
      return c.json(await removeCampaignCounter(c.var.db, c.var.principal, campaign, counter), 200);
    })
    .openapi(putTransactions, async (c) => {
      const { campaign } = c.req.valid('param');
      return c.json(
        await setTransactions(c.var.db, c.var.principal, campaign, c.req.valid('json')),
        200,
      );
    })
    .openapi(importCsv, async (c) => {
      const { campaign } = c.req.valid('param');
      const { input, delimiter } = await uploadedTable(c, c.req.valid('query').delimiter);
      return c.json(
        await importTransactions(c.var.db, c.var.principal, campaign, input, delimiter),
        200,
      );
    })
    .openapi(transactionsTemplateRoute, async (c) => {
      const { campaign } = c.req.valid('param');
      const rows = await transactionsTemplate(c.var.db, c.var.principal, campaign);
      const { format } = c.req.valid('query');
      const file = await tableDownload(format, rows, `${campaign}-transactions-template`, campaign);
      return c.body(file.bytes, 200, file.headers);
    })
    .openapi(progress, async (c) => {
      const { campaign } = c.req.valid('param');
      return c.json(await campaignProgress(c.var.db, c.var.principal, campaign), 200);
    });
}
