// The API described from the same zod schemas that validate it: /api/openapi.json (OpenAPI
// 3.1) and a plain reference page at /api/docs (no script, so that a strict CSP holds).
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Env } from 'hono';
import type { ZodType } from 'zod';
import { DELIMITER_NAMES } from '../services/csv.ts';
import { CSV_TYPE, SHEET_FORMATS, XLSX_TYPE } from '../services/spreadsheet.ts';

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .openapi({ description: 'For invalid input: each bad field, e.g. `answers.TC1`.' }),
  })
  .openapi('Problem', {
    description:
      'RFC 9457. `title`, `detail` and each `message` are in the language the request asks for ' +
      "with `Accept-Language` (`vi` or `en`; English without it), said in the reply's " +
      '`Content-Language` (interchange §7).',
  });

/** The language of a refusal's messages: `vi` or `en`, from the request's Accept-Language. */
const contentLanguage = {
  'Content-Language': {
    description: 'The language of `title`, `detail` and the messages: `vi` or `en`.',
    schema: { type: 'string' as const, enum: ['vi', 'en'] },
  },
};

/** A JSON response or request body. */
export const json = <T extends ZodType>(schema: T) => ({ 'application/json': { schema } });

/** An uploaded CSV file (interchange §1, §2) as a request body. */
export const csvUpload = {
  required: true,
  content: { 'text/csv': { schema: z.string().openapi({ format: 'binary' }) } },
};

const binary = { schema: z.string().openapi({ format: 'binary' }) };

/** An uploaded table, CSV or the first sheet of an XLSX workbook, as a request body. */
export const tableUpload = {
  required: true,
  content: { [CSV_TYPE]: binary, [XLSX_TYPE]: binary },
};

/** The separator of an uploaded CSV file; a workbook is not affected. */
export const delimiterField = z
  .enum(DELIMITER_NAMES)
  .optional()
  .openapi({
    description:
      "The CSV file's separator: `,`, `;` (what Excel saves in a Vietnamese locale) or `tab`. " +
      'Without it, a semicolon when the first line has semicolons and no comma outside quotes, ' +
      'else a comma.',
  });

/** The query of an import that takes no other parameter. */
export const delimiterQuery = z.strictObject({ delimiter: delimiterField });

/** The query of an import's template download. */
export const templateQuery = z.strictObject({
  format: z.enum(SHEET_FORMATS).default('csv'),
});

/** The reply of a download that is CSV or XLSX as asked. */
export const tableFile = {
  description: 'The file',
  content: { [CSV_TYPE]: { schema: z.string() }, [XLSX_TYPE]: binary },
};

/** Error replies of a route, each a problem+json document (interchange §7). */
export function problems<S extends number>(replies: Record<S, string>) {
  const entries = Object.entries<string>(replies).map(([status, description]) => [
    status,
    {
      description,
      headers: contentLanguage,
      content: { 'application/problem+json': { schema: problemSchema } },
    },
  ]);
  return Object.fromEntries(entries) as Record<
    S,
    {
      description: string;
      headers: typeof contentLanguage;
      content: { 'application/problem+json': { schema: typeof problemSchema } };
    }
  >;
}

/** A JSON request body. */
export const jsonBody = <T extends ZodType>(schema: T) => ({
  required: true,
  content: json(schema),
});

/** Error replies of a route that reads a JSON body: its own, and those of a bad body. */
export const bodyProblems = <S extends number>(replies: Record<S, string>) =>
  problems({ 400: 'Not JSON', 413: 'Too large', 422: 'Invalid', ...replies });

/** Error replies of a route that imports a file: its own, and those of a bad file. */
export const fileProblems = <S extends number>(replies: Record<S, string>) =>
  problems({ 413: 'Too large', 422: 'A bad file: each problem as `line N, column C`', ...replies });

/** The replies every route behind a bearer token may give besides its own. */
export const authProblems = {
  401: 'No API token or session, an unknown or revoked token, or an ended session',
  403: "Outside the account's role or unit subtree, or a cookie write without its CSRF token",
} as const;

const description = `
The HTTP API of SIPAS: the anonymous survey behind each counter's QR code, and the admin and
analyst API. Contracts: docs/interchange.md in the repository (CSV, JSON and error formats);
the method: docs/scoring.md.

**Authentication.** Everything under \`/api/v1\` except the survey (\`/api/v1/s/…\`), sign-in
and setup takes an API token, \`Authorization: Bearer sk_…\` (\`sipas token create\`,
\`POST /api/v1/tokens\`), or the console's session cookie \`sipas_session\` from
\`POST /api/v1/session\`, whose every POST, PUT, PATCH and DELETE must send the session's
\`X-CSRF-Token\` and come from no other site. Roles: \`admin\` (everything, accounts and tokens),
\`surveyor\` (counters, campaigns, QR codes, data entry and imports within its unit subtree),
\`analyst\`, \`appraiser\` and \`unit\` (read scores, progress and exports within their unit
subtree). A campaign is within a
subtree when all its counters are. 401 without a valid token, 403 outside the role or subtree.
Every write is recorded in the audit log.

**Errors.** Every error is \`application/problem+json\`: \`type\`, \`title\`, \`status\`,
\`detail\`, and for invalid input \`errors: [{ path, message }]\`. A 5xx carries a request id,
never an internal message.

**QR codes.** Only hashes of survey tokens are stored, so a QR code can be drawn only from a
token just issued. \`POST /api/v1/counters/{counter}/token\` issues a counter's new token (its old
QR code stops working) and returns it once; \`GET /api/v1/counters/{counter}/qr.svg?token=…\`
and \`qr.png\` draw the QR code of that token (it must be the counter's current one).
\`POST /api/v1/units/{unit}/qr-sheet\` issues fresh tokens for every counter of the unit and
returns the printable A4 sheet: printing a sheet replaces those counters' QR codes.
`.trim();

const docsRoute = createRoute({
  method: 'get',
  path: '/api/docs',
  tags: ['reference'],
  summary: 'This reference as a readable page',
  responses: {
    200: { description: 'HTML', content: { 'text/html': { schema: z.string() } } },
  },
});

const documentRoute = createRoute({
  method: 'get',
  path: '/api/openapi.json',
  tags: ['reference'],
  summary: 'The OpenAPI 3.1 document',
  responses: {
    200: {
      description: 'The OpenAPI document',
      content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } },
    },
  },
});

const stylesheetRoute = createRoute({
  method: 'get',
  path: '/api/docs.css',
  tags: ['reference'],
  summary: "The reference page's stylesheet",
  responses: { 200: { description: 'CSS', content: { 'text/css': { schema: z.string() } } } },
});

const healthRoute = createRoute({
  method: 'get',
  path: '/healthz',
  tags: ['reference'],
  summary: 'Liveness: 200 while the database answers',
  responses: {
    200: {
      description: 'The service and its database answer',
      content: { 'application/json': { schema: z.object({ status: z.literal('ok') }) } },
    },
    ...problems({ 503: 'The database is unreachable' }),
  },
});

const docsStylesheet = `
body { font: 15px/1.5 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #1b1f24; }
h1 { font-size: 1.6rem; } h2 { margin-top: 2.5rem; border-bottom: 1px solid #ccd; }
section.op { border: 1px solid #dde; border-radius: 6px; padding: .25rem 1rem 1rem; margin: 1rem 0; }
h3 code { font-size: 1rem; } .method { text-transform: uppercase; font-weight: 700; margin-right: .5rem; }
pre { background: #f4f5f7; padding: .75rem; overflow-x: auto; font-size: 13px; }
table { border-collapse: collapse; } td, th { border: 1px solid #dde; padding: .2rem .5rem; text-align: left; vertical-align: top; }
nav ul { columns: 2; }
`.trim();

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** Paragraphs, `code` and **bold** of the descriptions; everything else is escaped text. */
function prose(text: string | undefined): string {
  if (!text) return '';
  return text
    .split(/\n\s*\n/)
    .map((paragraph) => {
      const html = escapeHtml(paragraph.replace(/\s*\n\s*/g, ' '))
        .replace(/`([^`]+)`/g, '<code>$1</code>')
        .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');
      return `<p>${html}</p>`;
    })
    .join('\n');
}

const pretty = (value: unknown) => `<pre>${escapeHtml(JSON.stringify(value, null, 2))}</pre>`;

const methods = ['get', 'put', 'post', 'patch', 'delete'] as const;

type Document = ReturnType<OpenAPIHono['getOpenAPI31Document']>;

function referencePage(document: Document): string {
  const operations: string[] = [];
  const toc: string[] = [];
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of methods) {
      const operation = item[method];
      if (!operation) continue;
      const anchor = `${method}-${path}`.replace(/[^A-Za-z0-9]+/g, '-');
      toc.push(
        `<li><a href="#${anchor}"><span class="method">${method}</span>${escapeHtml(path)}</a></li>`,
      );
      const parameters = (operation.parameters ?? []).flatMap((p) =>
        'name' in p
          ? [
              `<tr><td><code>${escapeHtml(p.name)}</code></td><td>${p.in}</td><td>${p.required ? 'required' : ''}</td><td>${escapeHtml(p.description ?? '')}</td></tr>`,
            ]
          : [],
      );
      const body =
        operation.requestBody && 'content' in operation.requestBody
          ? Object.entries(operation.requestBody.content)
              .map(([type, media]) => `<p>Body <code>${type}</code>:</p>${pretty(media.schema)}`)
              .join('')
          : '';
      const responses = Object.entries(operation.responses ?? {}).map(([status, response]) => {
        const types =
          'content' in response && response.content ? Object.keys(response.content) : [];
        const text = 'description' in response ? response.description : '';
        return `<li><strong>${status}</strong> ${escapeHtml(text ?? '')}${types.length ? ` (<code>${types.join('</code>, <code>')}</code>)` : ''}</li>`;
      });
      operations.push(`<section class="op" id="${anchor}">
<h3><span class="method">${method}</span><code>${escapeHtml(path)}</code></h3>
<p><strong>${escapeHtml(operation.summary ?? '')}</strong></p>
${prose(operation.description)}
${operation.security?.length ? '<p>Authorization: Bearer token.</p>' : ''}
${parameters.length ? `<table><tr><th>parameter</th><th>in</th><th></th><th></th></tr>${parameters.join('')}</table>` : ''}
${body}
<p>Responses:</p><ul>${responses.join('')}</ul>
</section>`);
    }
  }
  const schemas = Object.entries(document.components?.schemas ?? {}).map(
    ([name, schema]) =>
      `<section class="op" id="schema-${escapeHtml(name)}"><h3>${escapeHtml(name)}</h3>${pretty(schema)}</section>`,
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(document.info.title)} reference</title>
<link rel="stylesheet" href="/api/docs.css"></head>
<body><h1>${escapeHtml(document.info.title)} ${escapeHtml(document.info.version)}</h1>
${prose(document.info.description)}
<p>Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI ${escapeHtml(document.openapi)}).</p>
<nav><h2>Operations</h2><ul>${toc.join('\n')}</ul></nav>
<h2>Operations</h2>${operations.join('\n')}
<h2>Schemas</h2>${schemas.join('\n')}
</body></html>`;
}

/**
 * Adds /api/openapi.json and /api/docs to the app, describing every route documented in it
 * (mount every sub-app first). The document is built on first request and kept.
 */
export function documentApi<E extends Env>(app: OpenAPIHono<E>): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API token, sk_…, from `sipas token create` or `POST /api/v1/tokens`.',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'sessionCookie', {
    type: 'apiKey',
    in: 'cookie',
    name: 'sipas_session',
    description:
      "The console's session, from `POST /api/v1/session` (HttpOnly, SameSite=Lax, Secure over " +
      "HTTPS). Every POST, PUT, PATCH and DELETE with it must carry the session's CSRF token in " +
      "`X-CSRF-Token` (from the sign-in reply or `GET /api/v1/me`), and no other site's Origin.",
  });
  app.openAPIRegistry.registerPath(healthRoute);
  let document: Document | undefined;
  const build = () =>
    (document ??= app.getOpenAPI31Document({
      openapi: '3.1.0',
      info: { title: 'SIPAS API', version: '1', description },
      tags: [
        { name: 'survey', description: 'The anonymous survey behind a QR code (no login)' },
        { name: 'organisation', description: 'Units and counters' },
        { name: 'campaigns', description: 'Campaigns, transactions and progress' },
        { name: 'qr', description: 'Survey tokens and printable QR codes' },
        { name: 'responses', description: 'Paper entry, import, export and quarantine' },
        { name: 'scores', description: 'Scores, comparisons and PAR' },
        { name: 'assessments', description: 'PAR self-assessments, appraisal and evidence' },
        { name: 'plans', description: 'Remediation plans: drafts, tasks, progress and roll-up' },
        {
          name: 'officials',
          description: "The officials' survey: instruments, surveys, groups, links and results",
        },
        { name: 'reference', description: 'This document' },
      ],
    }));
  app.openapi(documentRoute, (c) => c.json(build(), 200));
  app.openapi(docsRoute, (c) => c.html(referencePage(build())));
  app.openapi(stylesheetRoute, (c) => {
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(docsStylesheet, 200, { 'Content-Type': 'text/css; charset=utf-8' });
  });
}
