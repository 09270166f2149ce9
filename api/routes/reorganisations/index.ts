// Reorganisations (organisation.md §3): one date's files previewed or applied, and the list of
// those applied. The files come as one multipart form: `on`, `reorganisation`, and optionally
// `counterMoves` and `transfers`, each a CSV file as the command reads it.
import { Readable } from 'node:stream';
import { z } from '@hono/zod-openapi';
import {
  appliedReorganisationSchema,
  applyReorganisation,
  listReorganisations,
  previewReorganisation,
  type ReorganisationFiles,
  reorganisationEntrySchema,
  reorganisationPreviewSchema,
} from '../../services/reorganisations.ts';
import { guarded, type AuthEnv } from '../auth.ts';
import { fileProblems, json } from '../openapi.ts';
import { apiApp } from '../validation.ts';

const tags = ['organisation'];

const csvFile = z
  .instanceof(File)
  .openapi({ type: 'string', format: 'binary', description: 'A CSV file' });

export const reorganisationForm = z.object({
  on: z.string().openapi({ description: 'D, the day the reorganisation takes effect: YYYY-MM-DD' }),
  reorganisation: csvFile.openapi({
    description:
      'reorganisation.csv: predecessor, successor, successor_name, successor_parent, and ' +
      'optionally share and successor_type',
  }),
  counterMoves: csvFile.optional().openapi({ description: 'counter-moves.csv: counter, unit' }),
  transfers: csvFile.optional().openapi({ description: 'transfers.csv: unit, parent' }),
});
type ReorganisationForm = z.output<typeof reorganisationForm>;

const formBody = {
  required: true,
  content: { 'multipart/form-data': { schema: reorganisationForm } },
};

const FILE_RULES =
  'All or nothing: every problem of the three files is listed as `line N, column C: reason` ' +
  '(those of the other two files prefixed with their name), and nothing is stored. ' +
  'See docs/organisation.md.';

const preview = guarded(['admin'], {
  method: 'post',
  path: '/api/v1/reorganisations/preview',
  tags,
  summary: 'Preview a reorganisation',
  description:
    'Every unit the files end, create or re-parent, every counter they move, and the open ' +
    `campaigns and peer groups they touch; nothing is stored. ${FILE_RULES}`,
  request: { body: formBody },
  responses: {
    200: { description: 'The preview', content: json(reorganisationPreviewSchema) },
    ...fileProblems({}),
  },
});

const apply = guarded(['admin'], {
  method: 'post',
  path: '/api/v1/reorganisations',
  tags,
  summary: 'Apply a reorganisation',
  description:
    'Applies the files on `on` in one transaction: predecessors end at D, successors start ' +
    'at D, parents change and counters move at D, the lineage is kept. A date before the ' +
    `latest reorganisation's is refused. ${FILE_RULES}`,
  request: { body: formBody },
  responses: {
    201: { description: 'Applied: its id and preview', content: json(appliedReorganisationSchema) },
    ...fileProblems({}),
  },
});

const list = guarded(['admin'], {
  method: 'get',
  path: '/api/v1/reorganisations',
  tags,
  summary: 'The reorganisations applied',
  description: 'The latest date first, with what each ended, created and moved.',
  responses: {
    200: { description: 'Reorganisations', content: json(z.array(reorganisationEntrySchema)) },
  },
});

/** A form's files as the service reads them: each whole, as small as the command's. */
async function filesOf(form: ReorganisationForm): Promise<ReorganisationFiles> {
  const stream = async (file: File) => Readable.from([Buffer.from(await file.arrayBuffer())]);
  return {
    reorganisation: await stream(form.reorganisation),
    ...(form.counterMoves ? { counterMoves: await stream(form.counterMoves) } : {}),
    ...(form.transfers ? { transfers: await stream(form.transfers) } : {}),
  };
}

export function reorganisationRoutes() {
  return apiApp<AuthEnv>()
    .openapi(preview, async (c) => {
      const form = c.req.valid('form');
      const files = await filesOf(form);
      return c.json(
        await previewReorganisation(c.var.db, c.var.principal, { on: form.on, files }),
        200,
      );
    })
    .openapi(apply, async (c) => {
      const form = c.req.valid('form');
      const files = await filesOf(form);
      return c.json(
        await applyReorganisation(c.var.db, c.var.principal, { on: form.on, files }),
        201,
      );
    })
    .openapi(list, async (c) => c.json(await listReorganisations(c.var.db, c.var.principal), 200));
}
