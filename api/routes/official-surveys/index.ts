// The officials' survey, staff side (par-cycle.md §5, docs/officials.md "Running a survey"):
// the instruments; surveys created, listed, shown and changed; the group file that issues the
// links; the links for mail-merge (CSV, XLSX) or as printable slips; a link reissued; and the
// response rate by unit and group.
import { z } from '@hono/zod-openapi';
import { EVERYONE } from '../../services/access.ts';
import {
  officialInstrumentByCode,
  officialInstrumentSummaries,
  saveOfficialInstrument,
} from '../../services/official-instruments.ts';
import {
  createOfficialSurvey,
  importOfficialGroups,
  invitationRows,
  listOfficialSurveys,
  OFFICIAL_MANAGERS,
  officialInvitations,
  officialProgress,
  officialSurvey,
  patchOfficialSurvey,
  reissueInvitation,
} from '../../services/official-surveys/index.ts';
import { guarded, type AuthEnv } from '../auth.ts';
import { tableDownload, uploadedTable } from '../files.ts';
import {
  bodyProblems,
  fileProblems,
  json,
  jsonBody,
  problems,
  tableFile,
  tableUpload,
} from '../openapi.ts';
import { apiApp } from '../validation.ts';
import {
  groupsImported,
  groupsQuery,
  instrumentDocument,
  instrumentParams,
  instrumentSummary,
  invitationParams,
  invitationsQuery,
  progressDocument,
  reissued,
  reissueInput,
  surveyDocument,
  surveyInput,
  surveyParams,
  surveyPatch,
} from './schemas.ts';
import { slipsHtml } from './slips.ts';

const tags = ['officials'];
const unknownSurvey = { 404: "Unknown officials' survey" };

const instruments = guarded(EVERYONE, {
  method: 'get',
  path: '/api/v1/official-instruments',
  tags,
  summary: "The officials' survey instruments",
  responses: {
    200: {
      description: 'Code, name and note of each, by code',
      content: json(z.array(instrumentSummary)),
    },
  },
});

const instrument = guarded(EVERYONE, {
  method: 'get',
  path: '/api/v1/official-instruments/{code}',
  tags,
  summary: "An officials' survey instrument: its items, their leaves and options with shares",
  request: { params: instrumentParams },
  responses: {
    200: { description: 'The instrument', content: json(instrumentDocument) },
    ...problems({ 404: "Unknown officials' instrument" }),
  },
});

const saveInstrument = guarded(['admin'], {
  method: 'post',
  path: '/api/v1/official-instruments',
  tags,
  summary: "Add an officials' survey instrument",
  description:
    'As `sipas officials instruments add FILE.json`: the definition is validated on entry ' +
    '(items with their leaves, options with their shares). One no survey uses yet may be ' +
    'replaced; once a survey uses it, it never changes (409): save the change under a new ' +
    'code. Audited `officials.instrument.create|replace`.',
  request: { body: jsonBody(instrumentDocument) },
  responses: {
    200: {
      description: 'Saved, or unchanged',
      content: json(
        z.object({ code: z.string(), outcome: z.enum(['created', 'replaced', 'unchanged']) }),
      ),
    },
    ...bodyProblems({ 409: 'A survey uses the instrument' }),
  },
});

const list = guarded(EVERYONE, {
  method: 'get',
  path: '/api/v1/official-surveys',
  tags,
  summary: "The officials' surveys, the latest opening first",
  responses: { 200: { description: 'Surveys', content: json(z.array(surveyDocument)) } },
});

const create = guarded(OFFICIAL_MANAGERS, {
  method: 'post',
  path: '/api/v1/official-surveys',
  tags,
  summary: "Create an officials' survey",
  description:
    'As `sipas officials create`: an instrument, a framework and its period, the days answers ' +
    'are taken (Vietnam time), and the smallest group whose results are shown (`minGroup`, ' +
    '5 unless given). Every item of the instrument must score a leaf of source `survey` of the ' +
    'framework (422 naming `instrument` and the item). Audited `officials.create`.',
  request: { body: jsonBody(surveyInput) },
  responses: {
    201: { description: 'Created', content: json(surveyDocument) },
    ...bodyProblems({ 404: 'Unknown instrument or framework', 409: 'The code exists' }),
  },
});

const show = guarded(EVERYONE, {
  method: 'get',
  path: '/api/v1/official-surveys/{code}',
  tags,
  summary: "An officials' survey",
  request: { params: surveyParams },
  responses: {
    200: { description: 'The survey', content: json(surveyDocument) },
    ...problems(unknownSurvey),
  },
});

const patch = guarded(OFFICIAL_MANAGERS, {
  method: 'patch',
  path: '/api/v1/official-surveys/{code}',
  tags,
  summary: "Rename an officials' survey, or move its last day",
  description:
    'A later `closesOn` extends the survey, an earlier one closes it early (not before ' +
    '`opensOn`: 422). Audited `officials.patch`.',
  request: { params: surveyParams, body: jsonBody(surveyPatch) },
  responses: {
    200: { description: 'The survey after the change', content: json(surveyDocument) },
    ...bodyProblems(unknownSurvey),
  },
});

const groups = guarded(OFFICIAL_MANAGERS, {
  method: 'post',
  path: '/api/v1/official-surveys/{code}/groups',
  tags,
  summary: 'Load the groups of invited respondents and issue their links',
  description:
    'As `sipas officials groups`: columns `unit`, `group`, `count` (CSV or the first sheet of an ' +
    'XLSX workbook), a group a row. A new group gets `count` single-use links; a group already ' +
    'there whose count rose gets the extra links; a lower count is refused (409). All or ' +
    'nothing: an unknown unit, a unit outside a surveyor’s subtree, a count that is not a whole ' +
    `number from 1, an empty group name, a unit and group twice are each named (\`line N, ` +
    'column C`). `groups`: the groups the file names; `issued`: the links issued now. ' +
    'Audited `officials.groups`.',
  request: { params: surveyParams, query: groupsQuery, body: tableUpload },
  responses: {
    200: { description: 'Imported', content: json(groupsImported) },
    ...fileProblems({ ...unknownSurvey, 409: 'A count below the links its group holds' }),
  },
});

const invitations = guarded(OFFICIAL_MANAGERS, {
  method: 'get',
  path: '/api/v1/official-surveys/{code}/invitations',
  tags,
  summary: 'The links, for mail-merge (CSV, XLSX) or as printable slips',
  description:
    'Columns `unit`, `unit_name`, `group`, `number`, `link`, `status`, `issued`, by unit, group ' +
    'and number; `status` is `active` or `revoked`, never whether a link was answered. ' +
    '`slips`: an A4 page of slips, each with its unit, group, number, QR code and address, ' +
    'of the links not revoked. A surveyor reads the links of the units of its subtree.',
  request: { params: surveyParams, query: invitationsQuery },
  responses: {
    200: {
      ...tableFile,
      content: { ...tableFile.content, 'text/html': { schema: z.string() } },
    },
    ...problems({ 404: "Unknown officials' survey or unit", 422: 'Bad query' }),
  },
});

const reissue = guarded(OFFICIAL_MANAGERS, {
  method: 'post',
  path: '/api/v1/official-surveys/{code}/invitations/{id}/reissue',
  tags,
  summary: 'Revoke a link and issue another in its group',
  description:
    'For a link lost or sent to the wrong person: it stops working and a new one takes its ' +
    'place (`number`, `link`). A link already answered is refused (409: its answer counts; ' +
    'this is the one reply that tells a link was used), as is a revoked one. Audited ' +
    '`officials.reissue`, without the link.',
  request: { params: invitationParams, body: jsonBody(reissueInput) },
  responses: {
    200: { description: 'The new link', content: json(reissued) },
    ...bodyProblems({
      404: "Unknown officials' survey, or a link not of it",
      409: 'The link was answered, or is revoked',
    }),
  },
});

const progress = guarded(OFFICIAL_MANAGERS, {
  method: 'get',
  path: '/api/v1/official-surveys/{code}/progress',
  tags,
  summary: 'The response rate of the survey, by unit and group',
  description:
    'Counts only: invited, answered and the rate, and the links revoked per group; never who ' +
    'answered. A surveyor reads the units of its subtree.',
  request: { params: surveyParams },
  responses: {
    200: { description: 'The progress', content: json(progressDocument) },
    ...problems(unknownSurvey),
  },
});

export function officialSurveyRoutes() {
  return apiApp<AuthEnv>()
    .openapi(instruments, async (c) => c.json(await officialInstrumentSummaries(c.var.db), 200))
    .openapi(saveInstrument, async (c) =>
      c.json(await saveOfficialInstrument(c.var.db, c.var.principal, c.req.valid('json')), 200),
    )
    .openapi(instrument, async (c) => {
      const { id: _id, ...definition } = await officialInstrumentByCode(
        c.var.db,
        c.req.valid('param').code,
      );
      return c.json(instrumentDocument.parse(definition), 200);
    })
    .openapi(list, async (c) => c.json(await listOfficialSurveys(c.var.db), 200))
    .openapi(create, async (c) =>
      c.json(await createOfficialSurvey(c.var.db, c.var.principal, c.req.valid('json')), 201),
    )
    .openapi(show, async (c) =>
      c.json(await officialSurvey(c.var.db, c.req.valid('param').code), 200),
    )
    .openapi(patch, async (c) => {
      const { code } = c.req.valid('param');
      return c.json(
        await patchOfficialSurvey(c.var.db, c.var.principal, code, c.req.valid('json')),
        200,
      );
    })
    .openapi(groups, async (c) => {
      const { input, delimiter } = await uploadedTable(c, c.req.valid('query').delimiter);
      const { code } = c.req.valid('param');
      return c.json(
        await importOfficialGroups(c.var.db, c.var.principal, code, input, delimiter),
        200,
      );
    })
    .openapi(invitations, async (c) => {
      const { code } = c.req.valid('param');
      const { format, unit } = c.req.valid('query');
      const { publicUrl } = c.var.deps.config;
      const links = await officialInvitations(c.var.db, c.var.principal, code, publicUrl, unit);
      if (format === 'slips') {
        c.header('Cache-Control', 'no-store');
        return c.html(
          await slipsHtml({
            survey: await officialSurvey(c.var.db, code),
            links: links.filter((link) => link.status === 'active'),
            // Absolute: the console may show the page from a blob: address.
            stylesheet: new URL('/api/qr-sheet.css', c.req.url).toString(),
          }),
        );
      }
      const name = `${code}-links${unit ? `-${unit}` : ''}`;
      const file = await tableDownload(format, invitationRows(links), name, 'links');
      return c.body(file.bytes, 200, file.headers);
    })
    .openapi(reissue, async (c) => {
      const { code, id } = c.req.valid('param');
      const { publicUrl } = c.var.deps.config;
      return c.json(
        await reissueInvitation(
          c.var.db,
          c.var.principal,
          code,
          id,
          c.req.valid('json'),
          publicUrl,
        ),
        200,
      );
    })
    .openapi(progress, async (c) =>
      c.json(await officialProgress(c.var.db, c.var.principal, c.req.valid('param').code), 200),
    );
}
