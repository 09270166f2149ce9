// PAR frameworks as trees (par-cycle.md §1): read one, import framework.csv.
import { frameworkTree, importFrameworkTree } from '../../services/frameworks.ts';
import { READERS } from '../../services/access.ts';
import { guarded, type AuthEnv } from '../auth.ts';
import { csvUpload, fileProblems, json, problems } from '../openapi.ts';
import { apiApp, bodyStream } from '../validation.ts';
import {
  frameworkCodeParams,
  frameworkImportedSchema,
  frameworkImportQuery,
  frameworkTreeDocument,
} from './schemas.ts';

const tags = ['scores'];

const show = guarded(READERS, {
  method: 'get',
  path: '/api/v1/frameworks/{code}',
  tags,
  summary: 'A PAR framework version as a tree: its nodes, maxima, sources and bands',
  description:
    'As `sipas framework show CODE --format json`. A flat framework (components) reads as a ' +
    'tree of depth one, with the default bands.',
  request: { params: frameworkCodeParams },
  responses: {
    200: { description: 'The framework', content: json(frameworkTreeDocument) },
    ...problems({ 404: 'Unknown framework' }),
  },
});

const importTree = guarded(['admin'], {
  method: 'post',
  path: '/api/v1/frameworks/{code}/import',
  tags,
  summary: 'Import a framework.csv as a framework version',
  description:
    'Columns `node`, `name`, `max` (leaves; empty on inner nodes, or their sum), and optionally ' +
    '`source` (`assessment`, `sipas`, `survey`, `import`; `import` when empty on a leaf), ' +
    '`applies_to` (unit types separated by `;`), `guidance`. All or nothing. The same code ' +
    'again replaces a framework without points; one with points never changes (409): a change ' +
    'is a new version.',
  request: { params: frameworkCodeParams, query: frameworkImportQuery, body: csvUpload },
  responses: {
    200: { description: 'Imported', content: json(frameworkImportedSchema) },
    ...fileProblems({ 409: 'The framework has points' }),
  },
});

export function frameworkRoutes() {
  return apiApp<AuthEnv>()
    .openapi(show, async (c) => {
      const tree = await frameworkTree(c.var.db, c.req.valid('param').code);
      return c.json(frameworkTreeDocument.parse(tree), 200);
    })
    .openapi(importTree, async (c) => {
      const { code } = c.req.valid('param');
      const { name, bands } = c.req.valid('query');
      const imported = await importFrameworkTree(
        c.var.db,
        c.var.principal,
        { code, name, bands },
        bodyStream(c),
      );
      return c.json(frameworkImportedSchema.parse(imported), 200);
    });
}
