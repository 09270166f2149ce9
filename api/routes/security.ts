// Headers every response carries, the floor under each page's own: no MIME sniffing, no
// referrer, and a Content-Security-Policy that lets nothing run and nobody frame us. The
// survey and console pages set stricter-but-working policies of their own (api/routes/static.ts),
// which this leaves alone.
import type { MiddlewareHandler } from 'hono';

export const FLOOR_POLICY =
  "default-src 'none'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; " +
  "base-uri 'none'; form-action 'none'";

export const securityHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  const headers = c.res.headers;
  headers.set('X-Content-Type-Options', 'nosniff');
  if (!headers.has('Referrer-Policy')) headers.set('Referrer-Policy', 'no-referrer');
  if (!headers.has('Content-Security-Policy')) headers.set('Content-Security-Policy', FLOOR_POLICY);
};
