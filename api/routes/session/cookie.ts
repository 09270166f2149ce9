// The session cookie: HttpOnly (no script reads it), SameSite=Lax (another site's form or
// fetch does not carry it on a POST), Path=/, and Secure when the console is served over
// HTTPS, by this server or by the reverse proxy that SIPAS_PUBLIC_URL names.
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { OpenedSession } from '../../services/sessions.ts';
import type { AppEnv } from '../env.ts';

export const SESSION_COOKIE = 'sipas_session';

function overHttps(c: Context<AppEnv>): boolean {
  return (
    new URL(c.req.url).protocol === 'https:' || c.var.deps.config.publicUrl.startsWith('https:')
  );
}

export function setSessionCookie(c: Context<AppEnv>, opened: OpenedSession): void {
  setCookie(c, SESSION_COOKIE, opened.secret, {
    httpOnly: true,
    sameSite: 'Lax',
    path: '/',
    secure: overHttps(c),
    expires: opened.expiresAt,
  });
}

export function clearSessionCookie(c: Context<AppEnv>): void {
  deleteCookie(c, SESSION_COOKIE, {
    httpOnly: true,
    sameSite: 'Lax',
    path: '/',
    secure: overHttps(c),
  });
}

export const sessionCookieOf = (c: Context): string | undefined => getCookie(c, SESSION_COOKIE);
