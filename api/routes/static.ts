// The built survey app (survey-app/dist): hashed assets cached for a year, pages not at all.
// The survey page at /s/{token} (and its kiosk twin at /s/{token}/kiosk), and an official's page
// at /o/{token}, carry their survey as JSON data, so a phone on a slow network, where each round
// trip is costly, shows the first question without asking for it; the citizen's page carries its
// script and style too (survey-app/vite.config.ts), so it needs no second request at all, and an
// official's page preloads its script. An unknown or revoked token gets the same page with the
// problem to show, under its status (a revoked token's with its survey too, for a citizen who
// began under it).
// Without a build the API still runs: the survey page keeps its data and status around a notice,
// and the console and assets answer 503, so that nothing but the browser depends on the build.
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { compress } from 'hono/compress';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DomainError, errorStatus, TooManyRequests } from '../errors.ts';
import {
  LinkRefused,
  officialPageOfToken,
  type LinkRefusal,
  type OfficialPage,
} from '../services/official-answers.ts';
import { surveyOfToken, type SurveyPayload } from '../services/submissions.ts';
import type { AppEnv } from './env.ts';
import { checkShortCodeLookup, type ShortCodeLookups } from './survey/short-code.ts';

/** Where `npm run build` puts the survey app and the console. */
export const distDir = fileURLToPath(new URL('../../survey-app/dist/', import.meta.url));

/**
 * What survey-app/survey/payload.ts reads from `#survey-data`: the survey, or the problem that
 * stops it; a replaced token's problem comes with its survey, for a citizen who began under it.
 */
export type Embedded =
  | { survey: SurveyPayload }
  | { problem: { status: number; detail: string }; survey?: SurveyPayload };

/**
 * What survey-app/officials reads from `#survey-data`: the page of an official's link, or why
 * it opens no questions (the reason tells the page which screen to show).
 */
export type OfficialEmbedded =
  { page: OfficialPage } | { problem: { status: number; reason: LinkRefusal; detail: string } };

/**
 * The headers of a page of the survey app. Its policy lets run only this origin's files and the
 * page's own inline script and style (the citizen's page carries both: one request, not two
 * rounds of them, on slow 3G), each allowed by its hash; JSON data blocks are not scripts.
 */
function pageHeaders(html: string): Record<string, string> {
  const script = ["'self'", ...inlineHashes(html, /<script type="module">([^]*?)<\/script>/g)];
  const style = ["'self'", ...inlineHashes(html, /<style>([^]*?)<\/style>/g)];
  return {
    'Content-Security-Policy':
      `default-src 'self'; script-src ${script.join(' ')}; style-src ${style.join(' ')}; ` +
      "img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-cache',
  };
}

/** The CSP sources that allow the text of each element `pattern` finds, by its SHA-256. */
function inlineHashes(html: string, pattern: RegExp): string[] {
  return Array.from(
    html.matchAll(pattern),
    ([, text]) =>
      `'sha256-${createHash('sha256')
        .update(text ?? '')
        .digest('base64')}'`,
  );
}

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

const readPage = (dir: string, name: string) => {
  const path = join(dir, name, 'index.html');
  return existsSync(path) ? readFileSync(path, 'utf8') : null;
};

/** The built pages of `dir`, or null when the app is not built there. */
export function builtPages(dir: string = distDir): { survey: string; console: string } | null {
  const survey = readPage(dir, 'survey');
  const console = readPage(dir, 'console');
  return survey === null || console === null ? null : { survey, console };
}

/** A page of the app that takes its data last, before `</body>`. */
function withData<T>(html: string): (embedded: T) => string {
  const cut = html.lastIndexOf('</body>');
  const before = html.slice(0, cut);
  const after = html.slice(cut);
  return (embedded) => {
    // `<` escaped, so no text in the data can close the element or open a comment.
    const json = JSON.stringify(embedded).replace(/</g, '\\u003c');
    return `${before}  <script type="application/json" id="survey-data">${json}</script>\n  ${after}`;
  };
}

/** A page ready to take its data, and the headers it is served with. */
export interface DataPage<T> {
  render: (embedded: T) => string;
  headers: Record<string, string>;
}

/**
 * A built page of the survey app, ready to take its data: its entry script preloaded when it is
 * a file of its own (the citizen's page carries its script inside), the data last.
 */
export function surveyPage<T = Embedded>(html: string): DataPage<T> {
  const entry = /<script type="module"[^>]*?(?:\ssrc="([^"]+)"[^>]*)?>/.exec(html);
  if (!entry || !html.includes('</body>'))
    throw new Error('The built survey page has no module script or body.');
  const preloaded = entry[1]
    ? html.replace(
        entry[0],
        `<link rel="modulepreload" crossorigin href="${entry[1]}">\n    ${entry[0]}`,
      )
    : html;
  return { render: withData(preloaded), headers: pageHeaders(html) };
}

const notBuilt = (what: string) => `<!doctype html>
<html lang="vi">
  <head>
    <meta charset="utf-8" />
    <title>SIPAS</title>
  </head>
  <body>
    <p>${what}</p>
  </body>
</html>
`;

/**
 * Without a build, a citizen learns the survey is not ready; the data and the status stay those
 * of the built page, which are the route's contract.
 */
function unbuiltPage<T>(): DataPage<T> {
  const html = notBuilt('Trang khảo sát chưa sẵn sàng. Xin quay lại sau.');
  return { render: withData(html), headers: pageHeaders(html) };
}

/** Without a build, the console and its assets: the operator is told how to build them. */
const unbuiltConsolePage = notBuilt(
  'Giao diện chưa được dựng: survey-app/dist chưa có. Chạy <code>npm run build</code>.',
);

async function surveyResponse(
  c: Context<AppEnv>,
  { render, headers }: DataPage<Embedded>,
  lookups: ShortCodeLookups,
) {
  const page = (embedded: Embedded, status: ContentfulStatusCode = 200) =>
    c.html(render(embedded), status, headers);
  // The page opens in Vietnamese (its <html lang>), the problem alike.
  const problem = (error: DomainError) => ({
    status: errorStatus[error.code],
    detail: error.text.vi,
  });
  try {
    const token = c.req.param('token') ?? '';
    checkShortCodeLookup(lookups, c, token);
    const { survey, replaced } = await surveyOfToken(c.var.db, token);
    if (!replaced) return page({ survey });
    return page({ problem: problem(replaced), survey }, errorStatus[replaced.code]);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    if (error instanceof TooManyRequests) c.header('Retry-After', String(error.retryAfterSeconds));
    return page({ problem: problem(error) }, errorStatus[error.code]);
  }
}

/** The page of an official's link (/o/{token}): its questions, or why there are none. */
async function officialsResponse(
  c: Context<AppEnv>,
  { render, headers }: DataPage<OfficialEmbedded>,
) {
  try {
    const now = c.var.deps.now?.() ?? new Date();
    const page = await officialPageOfToken(c.var.db, c.req.param('token') ?? '', now);
    return c.html(render({ page }), 200, headers);
  } catch (error) {
    if (!(error instanceof LinkRefused)) throw error;
    const status = errorStatus[error.code];
    const problem = { status, reason: error.reason, detail: error.text.vi };
    return c.html(render({ problem }), status, headers);
  }
}

/** Headers for a successful response of the routes below (serveStatic drops those set in onFound). */
function withHeaders(headers: Record<string, string>): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    if (c.res.status !== 200) return;
    for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value);
  };
}

/** The pages and assets of the app built in `dir`; survey-app/dist unless a test builds its own. */
export function staticRoutes(lookups: ShortCodeLookups, dir: string = distDir) {
  const pages = builtPages(dir);
  const survey = pages ? surveyPage(pages.survey) : unbuiltPage<Embedded>();
  const officials = readPage(dir, 'officials');
  const officialsPage = officials
    ? surveyPage<OfficialEmbedded>(officials)
    : unbuiltPage<OfficialEmbedded>();
  const unbuilt: MiddlewareHandler<AppEnv> = (c) =>
    Promise.resolve(c.html(unbuiltConsolePage, 503, consoleHeaders));
  // serveStatic warns, once per app, of a directory that is not there.
  const served = (path?: string) => (pages ? serveStatic({ root: dir, path }) : unbuilt);
  const consolePage = (c: Context<AppEnv>) =>
    pages
      ? c.html(pages.console, 200, consoleHeaders)
      : c.html(unbuiltConsolePage, 503, consoleHeaders);
  return (
    new Hono<AppEnv>()
      .use('/s/*', compress())
      .use('/o/*', compress())
      .use('/sw.js', compress())
      .use('/assets/*', compress())
      .use(
        '/assets/*',
        withHeaders({
          'Cache-Control': 'public, max-age=31536000, immutable',
          'X-Content-Type-Options': 'nosniff',
        }),
        served(),
      )
      .get(
        '/sw.js',
        // Browsers check for a new worker on each visit; it must never be served stale. A
        // worker runs under its own script's policy: it may fetch from this origin, nothing else.
        withHeaders({
          'Cache-Control': 'no-cache',
          'X-Content-Type-Options': 'nosniff',
          'Content-Security-Policy':
            "default-src 'none'; connect-src 'self'; frame-ancestors 'none'",
        }),
        served('sw.js'),
      )
      .get('/s/:token', (c) => surveyResponse(c, survey, lookups))
      // The kiosk page of a counter's shared tablet: the same page, which reads the address.
      .get('/s/:token/kiosk', (c) => surveyResponse(c, survey, lookups))
      // An official's single-use link (docs/officials.md).
      .get('/o/:token', (c) => officialsResponse(c, officialsPage))
      .get('/console', consolePage)
      .get('/console/*', consolePage)
      .get('/', (c) => c.redirect('/console'))
  );
}
