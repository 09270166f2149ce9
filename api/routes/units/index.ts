// Units (spec §3) and the printable sheet of a unit's QR codes.
import { EVERYONE } from '../../services/access.ts';
import { createRoute, z } from '@hono/zod-openapi';
import { DomainError, text } from '../../errors.ts';
import { issueUnitTokens } from '../../services/credentials.ts';
import {
  createUnit,
  deleteUnit,
  importUnits,
  listUnits,
  unitByCode,
  unitHistory as historyOf,
  unitOnDay as unitOn,
  updateUnit,
} from '../../services/units.ts';
import { guarded, type AuthEnv } from '../auth.ts';
import { importCounts } from '../counters/schemas.ts';
import { unitsTemplate } from '../../services/templates.ts';
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
  newUnit,
  unitChange,
  unitHistory,
  unitOnDay,
  unitOnParams,
  unitParams,
  unitSchema,
} from './schemas.ts';
import { sheetHtml, sheetStylesheet } from './sheet.ts';

const tags = ['organisation'];
const everyone = EVERYONE;

const list = guarded(everyone, {
  method: 'get',
  path: '/api/v1/units',
  tags,
  summary: 'The units within reach, on the latest map or on the map of a day',
  request: {
    query: z.strictObject({
      on: z.string().optional().meta({ format: 'date', description: 'The map of this day' }),
    }),
  },
  responses: {
    200: { description: 'Units by code', content: json(z.array(unitSchema)) },
    ...problems({ 422: 'Bad day' }),
  },
});

const create = guarded(['admin'], {
  method: 'post',
  path: '/api/v1/units',
  tags,
  summary: 'Add a unit',
  request: { body: jsonBody(newUnit) },
  responses: {
    201: { description: 'Created', content: json(unitSchema) },
    ...bodyProblems({ 409: 'The code exists' }),
  },
});

const importCsv = guarded(['admin'], {
  method: 'post',
  path: '/api/v1/units/import',
  tags,
  summary: 'Import units.csv',
  description:
    'Columns `unit`, `name`, `parent` (interchange §2); all or nothing. A parent may come after ' +
    'its child; importing again updates names and parents and creates nothing twice. CSV or ' +
    'the first sheet of an XLSX workbook, as the responses import reads them.',
  request: { query: delimiterQuery, body: tableUpload },
  responses: {
    200: { description: 'Imported', content: json(importCounts) },
    ...fileProblems({}),
  },
});

const template = guarded(['admin'], {
  method: 'get',
  path: '/api/v1/units/import/template',
  tags,
  summary: 'A template of units.csv',
  description:
    'The columns and one example row that imports as it is: unit `VI-DU-DON-VI` under the ' +
    'first unit within reach (a root when there is none).',
  request: { query: templateQuery },
  responses: { 200: tableFile, ...problems({ 422: 'Bad query' }) },
});

const get = guarded(everyone, {
  method: 'get',
  path: '/api/v1/units/{unit}',
  tags,
  summary: 'One unit',
  request: { params: unitParams },
  responses: {
    200: { description: 'The unit', content: json(unitSchema) },
    ...problems({ 404: 'Unknown unit' }),
  },
});

const onDay = guarded(everyone, {
  method: 'get',
  path: '/api/v1/units/{unit}/on/{date}',
  tags,
  summary: 'A unit on the map of a day',
  description:
    'As `sipas units show CODE --on DATE`: the unit the code names that day, its type and ' +
    'validity, its parent and its counters that day.',
  request: { params: unitOnParams },
  responses: {
    200: { description: 'The unit that day', content: json(unitOnDay) },
    ...problems({ 404: 'Unknown unit, or none of that code that day', 422: 'Bad date' }),
  },
});

const history = guarded(everyone, {
  method: 'get',
  path: '/api/v1/units/{unit}/history',
  tags,
  summary: 'Every unit a code has named',
  description:
    'As `sipas units history CODE`: each unit with its validity, its parents over time, its ' +
    'counter memberships, and its lineage in and out (shares and days of the reorganisations).',
  request: { params: unitParams },
  responses: {
    200: { description: 'The history', content: json(unitHistory) },
    ...problems({ 404: 'Unknown unit' }),
  },
});

const update = guarded(['admin'], {
  method: 'patch',
  path: '/api/v1/units/{unit}',
  tags,
  summary: 'Rename a unit or move it under another parent',
  request: { params: unitParams, body: jsonBody(unitChange) },
  responses: {
    200: { description: 'The unit', content: json(unitSchema) },
    ...bodyProblems({ 404: 'Unknown unit' }),
  },
});

const remove = guarded(['admin'], {
  method: 'delete',
  path: '/api/v1/units/{unit}',
  tags,
  summary: 'Delete a unit nothing refers to',
  request: { params: unitParams },
  responses: {
    204: { description: 'Deleted' },
    ...problems({ 404: 'Unknown unit', 409: 'In use' }),
  },
});

const sheet = guarded(['admin', 'surveyor'], {
  method: 'post',
  path: '/api/v1/units/{unit}/qr-sheet',
  tags: ['qr'],
  summary: "Print the unit's QR codes on A4",
  description:
    'Issues a fresh survey token for every counter of the unit (not of the units under it), ' +
    'revoking their previous ones, and returns the printable sheet: one card per counter with ' +
    'its name, the unit, the QR code and a line of instructions in Vietnamese. Printing a sheet ' +
    'therefore replaces those counters’ QR codes. 422 when the unit has no counters.',
  request: { params: unitParams },
  responses: {
    200: { description: 'The sheet', content: { 'text/html': { schema: z.string() } } },
    ...problems({ 404: 'Unknown unit', 422: 'The unit has no counters' }),
  },
});

const stylesheet = createRoute({
  method: 'get',
  path: '/api/qr-sheet.css',
  tags: ['qr'],
  summary: 'The stylesheet of the printable sheet',
  responses: { 200: { description: 'CSS', content: { 'text/css': { schema: z.string() } } } },
});

export function unitRoutes() {
  return apiApp<AuthEnv>()
    .openapi(list, async (c) =>
      c.json(await listUnits(c.var.db, c.var.principal, c.req.valid('query')), 200),
    )
    .openapi(create, async (c) =>
      c.json(await createUnit(c.var.db, c.var.principal, c.req.valid('json')), 201),
    )
    .openapi(importCsv, async (c) => {
      const { input, delimiter } = await uploadedTable(c, c.req.valid('query').delimiter);
      return c.json(await importUnits(c.var.db, c.var.principal, input, delimiter), 200);
    })
    .openapi(template, async (c) => {
      const rows = await unitsTemplate(c.var.db, c.var.principal);
      const file = await tableDownload(
        c.req.valid('query').format,
        rows,
        'units-template',
        'units',
      );
      return c.body(file.bytes, 200, file.headers);
    })
    .openapi(get, async (c) => {
      const { unit } = c.req.valid('param');
      return c.json(await unitByCode(c.var.db, c.var.principal, unit), 200);
    })
    .openapi(onDay, async (c) => {
      const { unit, date } = c.req.valid('param');
      return c.json(await unitOn(c.var.db, c.var.principal, unit, date), 200);
    })
    .openapi(history, async (c) => {
      const { unit } = c.req.valid('param');
      return c.json(await historyOf(c.var.db, c.var.principal, unit), 200);
    })
    .openapi(update, async (c) => {
      const { unit } = c.req.valid('param');
      return c.json(await updateUnit(c.var.db, c.var.principal, unit, c.req.valid('json')), 200);
    })
    .openapi(remove, async (c) => {
      await deleteUnit(c.var.db, c.var.principal, c.req.valid('param').unit);
      return c.body(null, 204);
    })
    .openapi(sheet, async (c) => {
      const { unit } = c.req.valid('param');
      const issued = await issueUnitTokens(c.var.db, c.var.principal, unit);
      if (issued.tokens.length === 0) {
        throw new DomainError(
          'invalid',
          text(`Đơn vị ${unit} chưa có quầy nào.`, `Unit ${unit} has no counters.`),
          [{ path: 'unit', message: text('không có quầy nào để in', 'no counters to print') }],
        );
      }
      c.header('Cache-Control', 'no-store');
      return c.html(
        await sheetHtml({
          ...issued,
          publicUrl: c.var.deps.config.publicUrl,
          qrPointsAtLocalhost: c.var.deps.config.qrPointsAtLocalhost,
          // Absolute: the console may show the sheet from a blob: address.
          stylesheet: new URL('/api/qr-sheet.css', c.req.url).toString(),
        }),
      );
    })
    .openapi(stylesheet, (c) => {
      c.header('Cache-Control', 'public, max-age=3600');
      return c.body(sheetStylesheet, 200, { 'Content-Type': 'text/css; charset=utf-8' });
    });
}
