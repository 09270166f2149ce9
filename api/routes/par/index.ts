// PAR points and the scorecard (spec §6, interchange §6).
import { Readable } from 'node:stream';
import { READERS } from '../../services/access.ts';
import { z } from '@hono/zod-openapi';
import { scorecardCsv } from '../../../analysis/par-format.ts';
import { deriveSipasPoints, frameworkByCode, importPoints } from '../../services/par.ts';
import { scorecardAsPublished } from '../../services/publications.ts';
import { frameworkTree, readTargets } from '../../services/frameworks.ts';
import { guarded, type AuthEnv } from '../auth.ts';
import { reportWorkbook, XLSX_TYPE } from '../../services/spreadsheet.ts';
import { csvDownload, download } from '../files.ts';
import { bodyProblems, csvUpload, fileProblems, json, jsonBody, problems } from '../openapi.ts';
import { apiApp, bodyStream } from '../validation.ts';
import { analysisDb } from '../replica.ts';
import { publicationRoutes } from './publications.ts';
import {
  deriveSchema,
  derivedSchema,
  frameworkDocument,
  frameworkParams,
  pointsQuery,
  scorecardQuery,
  scorecardSchema,
  storedSchema,
} from './schemas.ts';

const tags = ['scores'];

const framework = guarded(READERS, {
  method: 'get',
  path: '/api/v1/par/{framework}',
  tags,
  summary: 'A PAR framework: its leaves as components, with their maximum points',
  description:
    'The components a points.csv and a scorecard key points by: a flat framework’s ' +
    'components, or a tree’s leaves (`1.2.1`). The tree itself, with its inner nodes, sources ' +
    'and bands, is `GET /api/v1/frameworks/{code}`.',
  request: { params: frameworkParams },
  responses: {
    200: { description: 'The framework', content: json(frameworkDocument) },
    ...problems({ 404: 'Unknown framework' }),
  },
});

const scorecard = guarded(READERS, {
  method: 'get',
  path: '/api/v1/par/{framework}/scorecard',
  tags,
  summary: 'The PAR scorecard of a peer group',
  description:
    'As `sipas par scorecard --format json` (interchange §6): the peer group `peers` of the ' +
    "period, or the children of the unit `peers` on the period's map, ranked " +
    'on their total points with ties sharing a rank, change on the previous period, each ' +
    'component, and with `top` the target and the gap to it. With `format=csv` or `xlsx`, one ' +
    'row per unit, each component spread over `<code>_points`, `<code>_max` and so on. A ' +
    'published period reads as its latest published version, marked `published` (its file ' +
    'named `…-published-N`); `live=true` computes the figures of now.',
  request: { params: frameworkParams, query: scorecardQuery },
  responses: {
    200: {
      description: 'The scorecard',
      content: {
        ...json(scorecardSchema),
        'text/csv': { schema: z.string() },
        [XLSX_TYPE]: { schema: z.string().openapi({ format: 'binary' }) },
      },
    },
    ...problems({ 404: 'Unknown framework, or no peer group or unit `peers`', 422: 'Bad query' }),
  },
});

const points = guarded(['admin'], {
  method: 'post',
  path: '/api/v1/par/{framework}/points',
  tags,
  summary: "Import a period's points.csv",
  description:
    'Columns `unit`, `component` (a leaf), `points`, and optionally `not_applicable`: `yes` ' +
    'with an empty `points` marks the leaf not applicable to the unit (stored without points, ' +
    'left out of its applicable maximum). All or nothing. A unit’s points for a component ' +
    'replace those it held in the period.',
  request: { params: frameworkParams, query: pointsQuery, body: csvUpload },
  responses: {
    200: { description: 'Imported', content: json(storedSchema) },
    ...fileProblems({ 404: 'Unknown framework', 422: 'A bad file' }),
  },
});

const derive = guarded(['admin'], {
  method: 'post',
  path: '/api/v1/par/{framework}/derive',
  tags,
  summary: "Derive SIPAS points from a campaign's scores",
  description:
    'As `sipas par derive`: in every leaf of source `sipas` (a flat framework’s `sipas` ' +
    'component), each unit’s SIPAS index under the campaign’s rules × the leaf’s maximum / ' +
    '100, stored for the period.',
  request: { params: frameworkParams, body: jsonBody(deriveSchema) },
  responses: {
    200: { description: 'Stored', content: json(derivedSchema) },
    ...bodyProblems({ 404: 'Unknown framework or campaign' }),
  },
});

export function parRoutes() {
  return apiApp<AuthEnv>()
    .openapi(framework, async (c) => {
      const found = await frameworkByCode(c.var.db, c.req.valid('param').framework);
      // Parsed on the way out: code, name and leaves, without the row's id and tree.
      return c.json(frameworkDocument.parse(found), 200);
    })
    .openapi(scorecard, async (c) => {
      const db = await analysisDb(c);
      const { framework } = c.req.valid('param');
      const { period, peers, top, level, targets, format, live } = c.req.valid('query');
      // `total:10,3:15` read as the rows of a targets file, one reader for both.
      const given =
        targets === undefined
          ? undefined
          : await readTargets(
              await frameworkTree(db, framework),
              Readable.from(
                [['node', 'top'], ...targets.split(',').map((pair) => pair.trim().split(':'))]
                  .map((cells) => cells.join(','))
                  .join('\n'),
              ),
            );
      const card = await scorecardAsPublished(
        db,
        c.var.principal,
        { framework, period, peers, top: top ?? null, level, live },
        given,
      );
      const name = `${framework}-${period}-${peers}-scorecard`;
      // A published file's name says its version; its rows are the document's.
      const version = card.published ? `-published-${card.published.version}` : '';
      if (format === 'csv') {
        const file = csvDownload(scorecardCsv(card), `${name}${version}`);
        return c.body(file.body, 200, file.headers);
      }
      if (format === 'xlsx') {
        const workbook = await reportWorkbook(scorecardCsv(card), `${framework} ${period}`);
        return c.body(workbook, 200, download(`${name}${version}.xlsx`, XLSX_TYPE));
      }
      return c.json(card, 200);
    })
    .openapi(points, async (c) => {
      const { framework } = c.req.valid('param');
      const { period } = c.req.valid('query');
      return c.json(
        await importPoints(c.var.db, c.var.principal, { framework, period }, bodyStream(c)),
        200,
      );
    })
    .openapi(derive, async (c) => {
      const { framework } = c.req.valid('param');
      const body = c.req.valid('json');
      return c.json(
        await deriveSipasPoints(c.var.db, c.var.principal, { framework, ...body }),
        200,
      );
    })
    .route('/', publicationRoutes());
}
