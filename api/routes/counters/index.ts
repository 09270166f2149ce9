// Counters (spec §3), their survey tokens and QR codes.
import { EVERYONE } from '../../services/access.ts';
import { z } from '@hono/zod-openapi';
import {
  counterByCode,
  createCounter,
  deleteCounter,
  importCounters,
  listCounters,
  updateCounter,
} from '../../services/counters.ts';
import {
  isCurrentCounterToken,
  issueCounterToken,
  shortCodeOf,
  revokeCounterToken,
} from '../../services/credentials.ts';
import { DomainError, text } from '../../errors.ts';
import { guarded, type AuthEnv } from '../auth.ts';
import { countersTemplate } from '../../services/templates.ts';
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
import { qrPng, qrSvg, surveyUrl } from './qr.ts';
import {
  counterChange,
  counterListQuery,
  counterParams,
  counterSchema,
  importCounts,
  issuedTokenSchema,
  newCounter,
  qrQuery,
  revokedSchema,
} from './schemas.ts';

const tags = ['organisation'];
const everyone = EVERYONE;
const managers = ['admin', 'surveyor'] as const;

const list = guarded(everyone, {
  method: 'get',
  path: '/api/v1/counters',
  tags,
  summary: 'The counters within reach',
  request: { query: counterListQuery },
  responses: {
    200: { description: 'Counters by code', content: json(z.array(counterSchema)) },
    ...problems({ 422: 'Bad query' }),
  },
});

const create = guarded(managers, {
  method: 'post',
  path: '/api/v1/counters',
  tags,
  summary: 'Add a counter to a unit',
  request: { body: jsonBody(newCounter) },
  responses: {
    201: { description: 'Created', content: json(counterSchema) },
    ...bodyProblems({ 409: 'The code exists' }),
  },
});

const importCsv = guarded(['admin'], {
  method: 'post',
  path: '/api/v1/counters/import',
  tags,
  summary: 'Import counters.csv',
  description:
    'Columns `counter`, `unit`, `name` (interchange §2); all or nothing. Importing again updates ' +
    'names and units and creates nothing twice. CSV or the first sheet of an XLSX workbook, as ' +
    'the responses import reads them.',
  request: { query: delimiterQuery, body: tableUpload },
  responses: {
    200: { description: 'Imported', content: json(importCounts) },
    ...fileProblems({}),
  },
});

const template = guarded(['admin'], {
  method: 'get',
  path: '/api/v1/counters/import/template',
  tags,
  summary: 'A template of counters.csv',
  description:
    'The columns and one example row that imports as it is: counter `VI-DU-QUAY` of the first ' +
    'unit within reach (`MA-DON-VI`, to be replaced, when there is none).',
  request: { query: templateQuery },
  responses: { 200: tableFile, ...problems({ 422: 'Bad query' }) },
});

const get = guarded(everyone, {
  method: 'get',
  path: '/api/v1/counters/{counter}',
  tags,
  summary: 'One counter',
  request: { params: counterParams },
  responses: {
    200: { description: 'The counter', content: json(counterSchema) },
    ...problems({ 404: 'Unknown counter' }),
  },
});

const update = guarded(managers, {
  method: 'patch',
  path: '/api/v1/counters/{counter}',
  tags,
  summary: 'Rename a counter or move it to another unit',
  request: {
    params: counterParams,
    body: jsonBody(counterChange),
  },
  responses: {
    200: { description: 'The counter', content: json(counterSchema) },
    ...bodyProblems({ 404: 'Unknown counter' }),
  },
});

const remove = guarded(managers, {
  method: 'delete',
  path: '/api/v1/counters/{counter}',
  tags,
  summary: 'Delete a counter that is in no campaign and has no responses',
  request: { params: counterParams },
  responses: {
    204: { description: 'Deleted' },
    ...problems({ 404: 'Unknown counter', 409: 'In use' }),
  },
});

const issue = guarded(managers, {
  method: 'post',
  path: '/api/v1/counters/{counter}/token',
  tags: ['qr'],
  summary: "Issue a counter's survey token",
  description:
    'A new token for the QR code; the old one is revoked (its QR code answers 410). The token ' +
    'is returned once: draw its QR code now with `qr.svg` or `qr.png`.',
  request: { params: counterParams },
  responses: {
    201: { description: 'The new token', content: json(issuedTokenSchema) },
    ...problems({ 404: 'Unknown counter' }),
  },
});

const revoke = guarded(managers, {
  method: 'delete',
  path: '/api/v1/counters/{counter}/token',
  tags: ['qr'],
  summary: "Revoke a counter's survey token",
  request: { params: counterParams },
  responses: {
    200: { description: 'Whether a token was revoked', content: json(revokedSchema) },
    ...problems({ 404: 'Unknown counter' }),
  },
});

const qrDescription =
  "The QR code of the counter's survey address for a token just issued; only hashes are " +
  'stored, so the token comes from `POST …/token` (or the unit sheet). 422 unless it is the ' +
  "counter's current token.";

const svg = guarded(managers, {
  method: 'get',
  path: '/api/v1/counters/{counter}/qr.svg',
  tags: ['qr'],
  summary: 'QR code as SVG',
  description: qrDescription,
  request: { params: counterParams, query: qrQuery },
  responses: {
    200: { description: 'SVG', content: { 'image/svg+xml': { schema: z.string() } } },
    ...problems({ 404: 'Unknown counter', 422: 'Not the current token' }),
  },
});

const png = guarded(managers, {
  method: 'get',
  path: '/api/v1/counters/{counter}/qr.png',
  tags: ['qr'],
  summary: 'QR code as PNG',
  description: qrDescription,
  request: { params: counterParams, query: qrQuery },
  responses: {
    200: {
      description: 'PNG, 600 px',
      content: { 'image/png': { schema: z.string().openapi({ format: 'binary' }) } },
    },
    ...problems({ 404: 'Unknown counter', 422: 'Not the current token' }),
  },
});

export function counterRoutes() {
  const app = apiApp<AuthEnv>();

  /** The QR code's URL, once the token is known to be the counter's current one. */
  const checkedUrl = async (c: { var: AuthEnv['Variables'] }, counter: string, token: string) => {
    if (!(await isCurrentCounterToken(c.var.db, c.var.principal, counter, token))) {
      throw new DomainError(
        'invalid',
        text(
          `Đây không phải mã khảo sát hiện hành của quầy ${counter}.`,
          `That is not counter ${counter}'s current survey token.`,
        ),
        [
          {
            path: 'token',
            message: text(
              'không phải mã hiện hành: hãy cấp mã mới và dùng ngay',
              'not the current token: issue one and use it at once',
            ),
          },
        ],
      );
    }
    return surveyUrl(c.var.deps.config.publicUrl, token);
  };

  return app
    .openapi(list, async (c) => {
      const { unit } = c.req.valid('query');
      return c.json(await listCounters(c.var.db, c.var.principal, unit), 200);
    })
    .openapi(create, async (c) => {
      return c.json(await createCounter(c.var.db, c.var.principal, c.req.valid('json')), 201);
    })
    .openapi(importCsv, async (c) => {
      const { input, delimiter } = await uploadedTable(c, c.req.valid('query').delimiter);
      return c.json(await importCounters(c.var.db, c.var.principal, input, delimiter), 200);
    })
    .openapi(template, async (c) => {
      const rows = await countersTemplate(c.var.db, c.var.principal);
      const { format } = c.req.valid('query');
      const file = await tableDownload(format, rows, 'counters-template', 'counters');
      return c.body(file.bytes, 200, file.headers);
    })
    .openapi(get, async (c) => {
      const { counter } = c.req.valid('param');
      return c.json(await counterByCode(c.var.db, c.var.principal, counter), 200);
    })
    .openapi(update, async (c) => {
      const { counter } = c.req.valid('param');
      const body = c.req.valid('json');
      return c.json(await updateCounter(c.var.db, c.var.principal, counter, body), 200);
    })
    .openapi(remove, async (c) => {
      const { counter } = c.req.valid('param');
      await deleteCounter(c.var.db, c.var.principal, counter);
      return c.body(null, 204);
    })
    .openapi(issue, async (c) => {
      const { counter } = c.req.valid('param');
      const token = await issueCounterToken(c.var.db, c.var.principal, counter);
      c.header('Cache-Control', 'no-store');
      const url = surveyUrl(c.var.deps.config.publicUrl, token);
      return c.json({ counter, token, url, code: shortCodeOf(token) }, 201);
    })
    .openapi(revoke, async (c) => {
      const { counter } = c.req.valid('param');
      const revoked = await revokeCounterToken(c.var.db, c.var.principal, counter);
      return c.json({ counter, revoked }, 200);
    })
    .openapi(svg, async (c) => {
      const { counter } = c.req.valid('param');
      const url = await checkedUrl(c, counter, c.req.valid('query').token);
      return c.body(await qrSvg(url), 200, {
        'Content-Type': 'image/svg+xml',
        'Cache-Control': 'no-store',
      });
    })
    .openapi(png, async (c) => {
      const { counter } = c.req.valid('param');
      const url = await checkedUrl(c, counter, c.req.valid('query').token);
      return c.body(new Uint8Array(await qrPng(url)), 200, {
        'Content-Type': 'image/png',
        'Cache-Control': 'no-store',
      });
    });
}
