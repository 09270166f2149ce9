// Publication of PAR results (par-cycle.md §4, docs/par.md "Publication").
import { READERS } from '../../services/access.ts';
import {
  importPublication,
  listPublications,
  publish,
  readPublication,
} from '../../services/publications.ts';
import { guarded, type AuthEnv } from '../auth.ts';
import { bodyProblems, csvUpload, fileProblems, json, jsonBody, problems } from '../openapi.ts';
import { apiApp, bodyStream } from '../validation.ts';
import {
  importedPublicationSchema,
  importPublicationQuery,
  publicationKeyQuery,
  publicationListSchema,
  publicationSchema,
  publishedSchema,
  publishSchema,
  versionParams,
} from './publication-schemas.ts';
import { frameworkParams } from './schemas.ts';

const tags = ['scores'];

const create = guarded(['admin', 'appraiser'], {
  method: 'post',
  path: '/api/v1/par/{framework}/publications',
  tags,
  summary: "Publish a period's results for a peer group",
  description:
    'As `sipas par publish`: the scorecard of the peers at level `all` as it is now, frozen as ' +
    'the next version; from version 2 on a `reason` is required (409 naming `reason` without ' +
    "one). The peers' `appraised` assessments of the period become `published`. An admin, or " +
    'an appraiser scoped to the top of the period’s map whose scope reaches every peer.',
  request: { params: frameworkParams, body: jsonBody(publishSchema) },
  responses: {
    201: { description: 'Published', content: json(publishedSchema) },
    ...bodyProblems({
      404: 'Unknown framework, or no peer group or unit `peers`',
      409: 'Published already, and no `reason`; or another version published at the same moment',
    }),
  },
});

const list = guarded(READERS, {
  method: 'get',
  path: '/api/v1/par/{framework}/publications',
  tags,
  summary: 'The published versions of a period’s results for a peer group',
  request: { params: frameworkParams, query: publicationKeyQuery },
  responses: {
    200: { description: 'Every version, the first first', content: json(publicationListSchema) },
    ...problems({ 404: 'Unknown framework, or no peer group or unit `peers`', 422: 'Bad query' }),
  },
});

const one = guarded(READERS, {
  method: 'get',
  path: '/api/v1/par/{framework}/publications/{version}',
  tags,
  summary: 'One published version, with its scorecard document',
  request: { params: versionParams, query: publicationKeyQuery },
  responses: {
    200: { description: 'The version', content: json(publicationSchema) },
    ...problems({ 404: 'Unknown framework, peers, or version', 422: 'Bad query' }),
  },
});

const imported = guarded(['admin'], {
  method: 'post',
  path: '/api/v1/par/{framework}/publications/import',
  tags,
  summary: 'Import results published elsewhere',
  description:
    'As `sipas par publication import`: columns `unit`, `points`, `rank`, and optionally `band` ' +
    'and `node` (a row without a node is the unit’s total); all or nothing. Stored as the next ' +
    'version of the peers’ publication, of source `import`.',
  request: { params: frameworkParams, query: importPublicationQuery, body: csvUpload },
  responses: {
    201: { description: 'Imported', content: json(importedPublicationSchema) },
    ...fileProblems({ 404: 'Unknown framework', 409: 'Published already, and no `reason`' }),
  },
});

export function publicationRoutes() {
  return apiApp<AuthEnv>()
    .openapi(create, async (c) => {
      const { framework } = c.req.valid('param');
      const { document: _document, ...published } = await publish(c.var.db, c.var.principal, {
        framework,
        ...c.req.valid('json'),
      });
      return c.json(published, 201);
    })
    .openapi(list, async (c) => {
      const { framework } = c.req.valid('param');
      return c.json(
        await listPublications(c.var.db, c.var.principal, { framework, ...c.req.valid('query') }),
        200,
      );
    })
    .openapi(one, async (c) => {
      const { framework, version } = c.req.valid('param');
      const found = await readPublication(c.var.db, c.var.principal, {
        framework,
        ...c.req.valid('query'),
        version: version === 'latest' ? undefined : version,
      });
      return c.json(found, 200);
    })
    .openapi(imported, async (c) => {
      const { framework } = c.req.valid('param');
      const { source, ...key } = c.req.valid('query');
      return c.json(
        await importPublication(
          c.var.db,
          c.var.principal,
          { framework, ...key, origin: source },
          bodyStream(c),
        ),
        201,
      );
    });
}
