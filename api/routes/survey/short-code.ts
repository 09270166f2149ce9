// The short address a citizen types when the camera cannot read the QR code: /c shows a form for
// the counter's short code (printed under the QR code), /c/{code} and /c?code= lead to the
// survey. Plain HTML with no script, so it works on any phone.
import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { text, TooManyRequests } from '../../errors.ts';
import { normalShortCode, surveyTokenForShortCode } from '../../services/credentials.ts';
import { LookupLimiter } from '../../services/rate-limit.ts';
import type { AppEnv } from '../env.ts';

/** Look-ups a minute per client address: a person types a few; a guesser needs millions. */
export const SHORT_CODE_LOOKUPS_PER_MINUTE = 20;

const headers = {
  'Content-Security-Policy':
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

const page = (message: string, typed: string) => `<!doctype html>
<html lang="vi">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Khảo sát sự hài lòng: nhập mã quầy</title>
  </head>
  <body>
    <main>
      <h1>Khảo sát sự hài lòng</h1>
      ${message ? `<p role="alert">${message}</p>` : ''}
      <form method="get" action="/c">
        <p><label for="code">Mã quầy (in dưới mã QR) / Counter code (printed under the QR code)</label></p>
        <p><input id="code" name="code" value="${escapeHtml(typed)}" required maxlength="20"
          autocomplete="off" autocapitalize="characters" spellcheck="false" /></p>
        <p><button type="submit">Mở khảo sát / Open the survey</button></p>
      </form>
    </main>
  </body>
</html>
`;

const messages = {
  nothing:
    'Không tìm thấy mã quầy này. Xin kiểm tra lại 7 ký tự in dưới mã QR. ' +
    '(No counter has this code: check the 7 characters under the QR code.)',
  replaced:
    'Mã quầy này đã được thay bằng mã mới. Xin xem mã in dưới mã QR mới tại quầy. ' +
    '(This code was replaced: see the code under the new QR code at the counter.)',
  tooMany: (seconds: number) =>
    `Ông/Bà đã thử quá nhiều mã. Xin thử lại sau ${seconds} giây. ` +
    `(Too many codes tried: try again in ${seconds} seconds.)`,
};

/**
 * The look-ups of short codes by the request's client, in one count: a code typed at /c, and the
 * survey of a code opened at /s/{CODE} (or GET /api/v1/s/{CODE}), whose answer (the survey, 404
 * or 410) tells a guesser as much as the form's. Each gives the seconds to wait when over the
 * limit, else undefined. A code found at /c is one look-up: the survey it leads to is not
 * counted again for that client within the minute; a survey opened by a code not found there
 * (a guess) is.
 */
export interface ShortCodeLookups {
  typed: (c: Context) => number | undefined;
  found: (c: Context, code: string) => void;
  opened: (c: Context, code: string) => number | undefined;
}

export function shortCodeLookups(
  clientAddress: (c: Context) => string | undefined,
): ShortCodeLookups {
  const limiter = new LookupLimiter(SHORT_CODE_LOOKUPS_PER_MINUTE);
  return {
    typed: (c) => limiter.hit(clientAddress(c)),
    found: (c, code) => limiter.pass(clientAddress(c), code),
    opened: (c, code) => limiter.hitUnlessPassed(clientAddress(c), code),
  };
}

/**
 * The survey of `token` at /s/{token} or GET /api/v1/s/{token}: when the token is a short code,
 * a look-up, refused with 429 over the limit. A QR token is too long to guess and is not counted.
 */
export function checkShortCodeLookup(lookups: ShortCodeLookups, c: Context, token: string): void {
  const code = normalShortCode(token);
  if (code === undefined) return;
  const wait = lookups.opened(c, code);
  if (wait !== undefined) {
    throw new TooManyRequests(
      text(
        `Có quá nhiều lượt mở khảo sát bằng mã quầy từ mạng này. Xin thử lại sau ${wait} giây.`,
        `Too many surveys opened by counter code from this network: try again in ${wait} seconds.`,
      ),
      wait,
    );
  }
}

export function shortCodeRoutes(lookups: ShortCodeLookups) {
  const show = (c: Context<AppEnv>, status: ContentfulStatusCode, message: string, typed = '') =>
    c.html(page(message, typed), status, headers);
  const lookUp = async (c: Context<AppEnv>, typed: string) => {
    const wait = lookups.typed(c);
    if (wait !== undefined) {
      c.header('Retry-After', String(wait));
      return show(c, 429, messages.tooMany(wait), typed);
    }
    const found = await surveyTokenForShortCode(c.var.db, typed);
    if (found.found === 'survey') {
      lookups.found(c, found.token);
      c.header('Cache-Control', 'no-store');
      return c.redirect(`/s/${found.token}`, 302);
    }
    return show(c, found.found === 'replaced' ? 410 : 404, messages[found.found], typed);
  };
  return new Hono<AppEnv>()
    .get('/c', (c) => {
      const typed = c.req.query('code');
      return typed === undefined ? show(c, 200, '') : lookUp(c, typed);
    })
    .get('/c/:code', (c) => lookUp(c, c.req.param('code')));
}
