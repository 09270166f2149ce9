// Evidence files of PAR self-assessments (par-cycle.md §2, docs/evidence.md): uploaded raw to
// a leaf by the unit, downloaded by the assessment's readers as an attachment that no browser
// renders or runs, removed by the unit while it edits.
import { z } from '@hono/zod-openapi';
import { EVIDENCE_MAX_BYTES } from '../../../shared/assessment.ts';
import { READERS } from '../../services/access.ts';
import { evidenceDownload, removeEvidence, uploadEvidence } from '../../services/evidence.ts';
import { EVIDENCE_MEDIA_TYPES, evidenceTooLarge } from '../../services/evidence-type.ts';
import { guarded, type AuthEnv } from '../auth.ts';
import { storedFileHeaders } from '../files.ts';
import { json, problems } from '../openapi.ts';
import { apiApp, readBodyBytes } from '../validation.ts';
import {
  evidenceFileDocument,
  evidenceLeafParams,
  evidenceParams,
  evidenceUploadQuery,
} from './schemas.ts';

const tags = ['assessments'];

const binary = { schema: z.string().openapi({ format: 'binary' }) };

const upload = guarded(
  ['unit'],
  {
    method: 'post',
    path: '/api/v1/assessments/{framework}/{period}/{unit}/leaves/{node}/evidence',
    tags,
    summary: "Upload an evidence file to a leaf of the unit's self-assessment",
    description:
      'The body is the file itself, at most 20 MB, of any Content-Type: its type is read from ' +
      'its content (PDF, DOC, DOCX, XLS, XLSX, JPG, PNG; HTML, SVG and everything else are ' +
      'refused, as are Office files with macros) and must agree with the extension of `name`. ' +
      'The unit itself, on an `assessment` leaf that applies to it, in a round open for the ' +
      "framework's period among its peers, while its assessment is in draft or returned (the " +
      'first write makes it, in draft).',
    request: {
      params: evidenceLeafParams,
      query: evidenceUploadQuery,
      body: { required: true, content: { 'application/octet-stream': binary } },
    },
    responses: {
      201: { description: 'Stored', content: json(evidenceFileDocument) },
      ...problems({
        404: 'Unknown unit, framework or node, or no round open for the period',
        409: 'The assessment is not in draft or returned',
        413: 'Larger than 20 MB: nothing stored',
        422: 'An empty file, one of no accepted type, or of another type than its name says (`file`); a bad name (`name`); a leaf that takes no evidence from the unit (`node`)',
      }),
    },
  },
  // No limit in front: the handler reads the body itself, held to 20 MB, and only once the
  // leaf and the uploader have passed.
  (_, next) => next(),
);

const download = guarded(READERS, {
  method: 'get',
  path: '/api/v1/evidence/{id}',
  tags,
  summary: 'Download an evidence file',
  description:
    'The bytes as stored, as an attachment: Content-Type the type read from the content, ' +
    'Content-Disposition with an ASCII name and the UTF-8 one, nosniff, a sandboxing CSP, and ' +
    'no caching. Readers whose scope reaches the assessed unit.',
  request: { params: evidenceParams },
  responses: {
    200: {
      description: 'The file',
      content: Object.fromEntries(
        Object.values(EVIDENCE_MEDIA_TYPES).map((type) => [type, binary]),
      ),
    },
    ...problems({ 404: 'Unknown evidence file', 410: 'The file was removed' }),
  },
});

const remove = guarded(['unit'], {
  method: 'delete',
  path: '/api/v1/evidence/{id}',
  tags,
  summary: 'Remove an evidence file from its leaf',
  description:
    'The unit itself, while its assessment is in draft or returned. The file is kept, marked ' +
    'removed, for the history of the assessment, and no longer served.',
  request: { params: evidenceParams },
  responses: {
    204: { description: 'Removed' },
    ...problems({
      404: 'Unknown evidence file',
      409: 'The assessment is not in draft or returned',
      410: 'Already removed',
    }),
  },
});

export function evidenceRoutes() {
  return apiApp<AuthEnv>()
    .openapi(upload, async (c) => {
      const stored = await uploadEvidence(c.var.db, c.var.principal, c.req.valid('param'), {
        name: c.req.valid('query').name,
        read: () => readBodyBytes(c, EVIDENCE_MAX_BYTES, { refuse: evidenceTooLarge }),
      });
      return c.json(evidenceFileDocument.parse(stored), 201);
    })
    .openapi(download, async (c) => {
      const file = await evidenceDownload(c.var.db, c.var.principal, c.req.valid('param').id);
      return c.body(file.content, 200, storedFileHeaders(file));
    })
    .openapi(remove, async (c) => {
      await removeEvidence(c.var.db, c.var.principal, c.req.valid('param').id);
      return c.body(null, 204);
    });
}
