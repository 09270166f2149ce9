// Responses: a paper form keyed in, the responses CSV in and out (interchange §1), and the
// quarantine of suspect survey answers (spec §7).
import { PassThrough } from 'node:stream';
import { z } from '@hono/zod-openapi';
import { campaignReach, READERS } from '../../services/access.ts';
import { findForms, replaceForm, voidForm } from '../../services/corrections.ts';
import { enterResponse } from '../../services/responses.ts';
import {
  exportResponses,
  importResponses,
  listQuarantined,
  quarantineSummary as summarize,
  releaseQuarantined,
} from '../../services/responses.ts';
import { responsesTemplate } from '../../services/templates.ts';
import { guarded, type AuthEnv } from '../auth.ts';
import { campaignParams } from '../campaigns/schemas.ts';
import { CSV_START, TABLE_TYPES, tableDownload, uploadedTable } from '../files.ts';
import {
  bodyProblems,
  fileProblems,
  json,
  jsonBody,
  problems,
  tableFile,
  tableUpload,
  templateQuery,
} from '../openapi.ts';
import { describeFailure } from '../problem.ts';
import { apiApp } from '../validation.ts';
import { analysisDb } from '../replica.ts';
import {
  enteredReply,
  enteredResponse,
  exportQuery,
  formQuery,
  replaceBody,
  replaced,
  storedResponse,
  voidBody,
  importQuery,
  importResultSchema,
  quarantinedSchema,
  quarantineQuery,
  quarantineSummary,
  releasedSchema,
  releaseSchema,
} from './schemas.ts';

const tags = ['responses'];
const managers = ['admin', 'surveyor'] as const;

const enter = guarded(managers, {
  method: 'post',
  path: '/api/v1/campaigns/{campaign}/responses',
  tags,
  summary: 'Key in one paper form',
  description:
    'The rules of a row of the responses CSV: the counter in the campaign, the time inside its ' +
    'period, answers on the scales and the skip rules. Mode `paper` unless given. A ' +
    '`responseId` stored in the campaign already is 409.',
  request: { params: campaignParams, body: jsonBody(enteredResponse) },
  responses: {
    201: { description: 'Stored', content: json(enteredReply) },
    ...bodyProblems({
      404: 'Unknown campaign',
      409: 'The responseId is stored already',
      422: 'Invalid: each field named',
    }),
  },
});

const responseParams = campaignParams.extend({
  id: z
    .string()
    .openapi({ param: { name: 'id', in: 'path' }, example: '1234', description: 'The response' }),
});

const findForm = guarded(managers, {
  method: 'get',
  path: '/api/v1/campaigns/{campaign}/responses',
  tags,
  summary: 'Find a form by its number',
  description:
    'The responses of the campaign with this `responseId` (a form number), of every status, ' +
    'oldest first: a replaced form is followed by its corrected copy.',
  request: { params: campaignParams, query: formQuery },
  responses: {
    200: { description: 'Oldest first', content: json(z.array(storedResponse)) },
    ...problems({ 404: 'Unknown campaign', 422: 'Bad query' }),
  },
});

const voidOne = guarded(managers, {
  method: 'post',
  path: '/api/v1/campaigns/{campaign}/responses/{id}/void',
  tags,
  summary: 'Void a keyed form',
  description:
    'With a reason: the form leaves the scores (and the tallies, in the same transaction); ' +
    'it stays stored with status `voided`, and its number stays taken. Only a keyed form ' +
    '(mode paper, post, phone, interview) that is valid or quarantined: a survey answer, or a ' +
    'form voided or replaced already, is 409.',
  request: { params: responseParams, body: jsonBody(voidBody) },
  responses: {
    200: { description: 'The voided form', content: json(storedResponse) },
    ...bodyProblems({ 404: 'Unknown campaign or response', 409: 'Not a form that can be voided' }),
  },
});

const replaceOne = guarded(managers, {
  method: 'post',
  path: '/api/v1/campaigns/{campaign}/responses/{id}/replace',
  tags,
  summary: 'Replace a keyed form by a corrected copy',
  description:
    'In one transaction: the form gets status `replaced` and leaves the scores, and a corrected ' +
    'copy is stored at the same counter, in the same mode, with the same number and the given ' +
    'answers (the rules of keying in a form), naming it in `replaces`. 409 as for a void.',
  request: { params: responseParams, body: jsonBody(replaceBody) },
  responses: {
    200: { description: 'The original and its copy', content: json(replaced) },
    ...bodyProblems({
      404: 'Unknown campaign or response',
      409: 'Not a form that can be replaced',
      422: 'Invalid: each field named',
    }),
  },
});

const importCsv = guarded(managers, {
  method: 'post',
  path: '/api/v1/campaigns/{campaign}/responses/import',
  tags,
  summary: 'Import a responses CSV',
  description:
    'The file of interchange §1, with the rules of `sipas responses import`: all or nothing ' +
    '(422 lists the first 10,000 problems as `line N, column C`, and counts the rest); a ' +
    '`response_id` stored already is skipped and listed in `duplicates`. An XLSX workbook (up ' +
    'to 8 MB, expanding to at most 128 MB, 200,000 rows and 1,000 columns, else 422) is read ' +
    'from its first sheet, row N as line N.',
  request: { params: campaignParams, query: importQuery, body: tableUpload },
  responses: {
    200: { description: 'Imported (or checked)', content: json(importResultSchema) },
    ...fileProblems({ 404: 'Unknown campaign', 422: 'A bad file' }),
  },
});

const template = guarded(managers, {
  method: 'get',
  path: '/api/v1/campaigns/{campaign}/responses/import/template',
  tags,
  summary: 'A template of the responses file',
  description:
    "The import's columns for the campaign's instrument and one example row that imports as it " +
    'is: response id `VI-DU-1`, a paper form at the first counter within reach on the first day ' +
    'of the period, every satisfaction item asked unconditionally answered 4.',
  request: { params: campaignParams, query: templateQuery },
  responses: {
    200: tableFile,
    ...problems({ 404: 'Unknown campaign', 422: 'Bad query' }),
  },
});

const exportFile = guarded(READERS, {
  method: 'get',
  path: '/api/v1/campaigns/{campaign}/responses/export',
  tags,
  summary: 'Export responses as CSV or XLSX',
  description: 'The import columns for valid responses, so that an export imports back unchanged.',
  request: { params: campaignParams, query: exportQuery },
  responses: {
    200: tableFile,
    ...problems({ 404: 'Unknown campaign', 422: 'Bad query' }),
  },
});

const quarantine = guarded(['admin'], {
  method: 'get',
  path: '/api/v1/campaigns/{campaign}/quarantine',
  tags,
  summary: "The campaign's quarantined responses",
  description:
    'Every one, or a page of `limit` at a time (keyset: pass the last id as `after`); the ' +
    'summary counts them all.',
  request: { params: campaignParams, query: quarantineQuery },
  responses: {
    200: { description: 'Oldest first', content: json(z.array(quarantinedSchema)) },
    ...problems({ 404: 'Unknown campaign', 422: 'Bad page' }),
  },
});

const quarantineCounts = guarded(['admin'], {
  method: 'get',
  path: '/api/v1/campaigns/{campaign}/quarantine/summary',
  tags,
  summary: "The campaign's quarantined responses counted by reason and by counter",
  request: { params: campaignParams },
  responses: {
    200: { description: 'Most first', content: json(quarantineSummary) },
    ...problems({ 404: 'Unknown campaign' }),
  },
});

const release = guarded(['admin'], {
  method: 'post',
  path: '/api/v1/quarantine/release',
  tags,
  summary: 'Release quarantined responses into the scores',
  description:
    'All or nothing: an unknown id or one not quarantined releases none (422). The `note` ' +
    "(why the responses are genuine) is kept in each release's audit entry.",
  request: { body: jsonBody(releaseSchema) },
  responses: {
    200: { description: 'Released', content: json(releasedSchema) },
    ...bodyProblems({ 422: 'Nothing released' }),
  },
});

export function responseRoutes() {
  return apiApp<AuthEnv>()
    .openapi(enter, async (c) => {
      const { campaign } = c.req.valid('param');
      return c.json(
        await enterResponse(c.var.db, c.var.principal, campaign, c.req.valid('json')),
        201,
      );
    })
    .openapi(findForm, async (c) => {
      const { campaign } = c.req.valid('param');
      return c.json(
        await findForms(c.var.db, c.var.principal, campaign, c.req.valid('query')),
        200,
      );
    })
    .openapi(voidOne, async (c) => {
      const { campaign, id } = c.req.valid('param');
      return c.json(
        await voidForm(c.var.db, c.var.principal, campaign, id, c.req.valid('json')),
        200,
      );
    })
    .openapi(replaceOne, async (c) => {
      const { campaign, id } = c.req.valid('param');
      return c.json(
        await replaceForm(c.var.db, c.var.principal, campaign, id, c.req.valid('json')),
        200,
      );
    })
    .openapi(importCsv, async (c) => {
      const { campaign } = c.req.valid('param');
      const { dryRun, ignoreUnknown, delimiter: told } = c.req.valid('query');
      const { input, delimiter } = await uploadedTable(c, told);
      const result = await importResponses(c.var.db, c.var.principal, campaign, input, {
        dryRun,
        ignoreUnknown,
        delimiter,
      });
      return c.json({ ...result, dryRun }, 200);
    })
    .openapi(template, async (c) => {
      const { campaign } = c.req.valid('param');
      const rows = await responsesTemplate(c.var.db, c.var.principal, campaign);
      const { format } = c.req.valid('query');
      const file = await tableDownload(format, rows, `${campaign}-responses-template`, campaign);
      return c.body(file.bytes, 200, file.headers);
    })
    .openapi(exportFile, async (c) => {
      const { campaign } = c.req.valid('param');
      const { format, includeQuarantined, includeVoided } = c.req.valid('query');
      const db = await analysisDb(c);
      // Refused (404, 403) before the download starts; the export checks again.
      await campaignReach(db, c.var.principal, campaign);
      const output = new PassThrough();
      // Streamed: the campaign is known to exist, so a failure past this point can only cut
      // the file short, which the client sees as a broken download.
      const { principal } = c.var;
      exportResponses(
        db,
        principal,
        campaign,
        { format, includeQuarantined, includeVoided },
        output,
      ).catch((error: unknown) => {
        console.error(
          `[${c.var.requestId}] export of ${campaign} failed: ${describeFailure(error)}`,
        );
        output.destroy(error instanceof Error ? error : new Error(String(error)));
      });
      const chunks = output[Symbol.asyncIterator]();
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          if (format === 'csv') controller.enqueue(CSV_START);
        },
        async pull(controller) {
          try {
            const next = await chunks.next();
            const chunk: unknown = next.value;
            if (next.done) controller.close();
            else if (chunk instanceof Uint8Array) controller.enqueue(chunk);
            else controller.enqueue(new TextEncoder().encode(String(chunk)));
          } catch (error) {
            controller.error(error);
          }
        },
        cancel() {
          output.destroy();
        },
      });
      return c.body(body, 200, {
        'Content-Type': TABLE_TYPES[format],
        'Content-Disposition': `attachment; filename="${campaign}-responses.${format}"`,
        'Cache-Control': 'no-store',
      });
    })
    .openapi(quarantine, async (c) => {
      const { campaign } = c.req.valid('param');
      return c.json(
        await listQuarantined(c.var.db, c.var.principal, campaign, c.req.valid('query')),
        200,
      );
    })
    .openapi(quarantineCounts, async (c) =>
      c.json(await summarize(c.var.db, c.var.principal, c.req.valid('param').campaign), 200),
    )
    .openapi(release, async (c) => {
      const { ids, note } = c.req.valid('json');
      return c.json(await releaseQuarantined(c.var.db, c.var.principal, ids, note ?? null), 200);
    });
}
