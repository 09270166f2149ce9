// The built survey app (survey-app/dist): hashed assets cached for a year, pages not at all.
// The survey page at /s/{token} carries its survey as JSON data and preloads its script, so a
// phone on 3G (about 400 ms a round trip) shows the first question without a second request;
// an unknown or revoked token gets the same page with the problem to show, under its status.
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { compress } from 'hono/compress';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DomainError, errorStatus } from '../errors.ts';
import { surveyForToken, type SurveyPayload } from '../services/submissions.ts';
import type { AppEnv } from './env.ts';

export const distDir = fileURLToPath(new URL('../../survey-app/dist/', import.meta.url));

/** What survey-app/survey/payload.ts reads from `#survey-data`. */
export type Embedded = { survey: SurveyPayload } | { problem: { status: number; detail: string } };

/** No inline script or style anywhere on the survey page; JSON data blocks are not scripts. */
const surveyHeaders = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-cache',
};

/**
 * The console: the same strict CSP; blob: images are QR codes fetched with the bearer token,
 * and the printable QR sheet, opened from a blob: address, inherits this policy.
 */
const consoleHeaders = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; " +
    "connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; " +
    "form-action 'self'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-cache',
};

function page(name: 'survey' | 'console'): string {
  const path = `${distDir}${name}/index.html`;
  if (!existsSync(path)) {
    throw new Error(`${path} is missing: run npm run build (npm install does it).`);
  }
  return readFileSync(path, 'utf8');
}

/** The built survey page, ready to take its data: the entry script preloaded, the data last. */
export function surveyPage(html: string): (embedded: Embedded) => string {
  const entry = /<script type="module"[^>]*\ssrc="([^"]+)"[^>]*><\/script>/.exec(html);
  if (!entry || !html.includes('</body>'))
    throw new Error('The built survey page has no module script or body.');
  const withPreload = html.replace(
    entry[0],
    `<link rel="modulepreload" crossorigin href="${entry[1]}">\n    ${entry[0]}`,
  );
  const cut = withPreload.lastIndexOf('</body>');
  const before = withPreload.slice(0, cut);
  const after = withPreload.slice(cut);
  return (embedded) => {
    // `<` escaped, so no text in the data can close the element or open a comment.
    const json = JSON.stringify(embedded).replace(/</g, '\\u003c');
    return `${before}  <script type="application/json" id="survey-data">${json}</script>\n  ${after}`;
  };
}

async function surveyResponse(c: Context<AppEnv>, render: (embedded: Embedded) => string) {
  let embedded: Embedded;
  let status: ContentfulStatusCode = 200;
  try {
    embedded = { survey: await surveyForToken(c.var.db, c.req.param('token') ?? '') };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    status = errorStatus[error.code];
    embedded = { problem: { status, detail: error.message } };
  }
  return c.html(render(embedded), status, surveyHeaders);
}

/** Headers for a successful response of the routes below (serveStatic drops those set in onFound). */
function withHeaders(headers: Record<string, string>): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    if (c.res.status !== 200) return;
    for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value);
  };
}

export function staticRoutes() {
  const render = surveyPage(page('survey'));
  const console = page('console');
  return new Hono<AppEnv>()
    .use('/s/*', compress())
    .use('/sw.js', compress())
    .use('/assets/*', compress())
    .use(
      '/assets/*',
      withHeaders({
        'Cache-Control': 'public, max-age=31536000, immutable',
        'X-Content-Type-Options': 'nosniff',
      }),
      serveStatic({ root: distDir }),
    )
    .get(
      '/sw.js',
      // Browsers check for a new worker on each visit; it must never be served stale. A
      // worker runs under its own script's policy: it may fetch from this origin, nothing else.
      withHeaders({
        'Cache-Control': 'no-cache',
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': "default-src 'none'; connect-src 'self'; frame-ancestors 'none'",
      }),
      serveStatic({ root: distDir, path: 'sw.js' }),
    )
    .get('/s/:token', (c) => surveyResponse(c, render))
    .get('/console', (c) => c.html(console, 200, consoleHeaders))
    .get('/console/*', (c) => c.html(console, 200, consoleHeaders))
    .get('/', (c) => c.redirect('/console'));
}
