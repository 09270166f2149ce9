// The built survey app (survey-app/dist): hashed assets cached for a year, pages not at all.
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AppEnv } from './env.ts';

export const distDir = fileURLToPath(new URL('../../survey-app/dist/', import.meta.url));

function page(name: 'survey' | 'console'): string {
  const path = `${distDir}${name}/index.html`;
  if (!existsSync(path)) {
    throw new Error(`${path} is missing: run npm run build (npm install does it).`);
  }
  return readFileSync(path, 'utf8');
}

export function staticRoutes() {
  const survey = page('survey');
  const console = page('console');
  return new Hono<AppEnv>()
    .use(
      '/assets/*',
      serveStatic({
        root: distDir,
        onFound: (_path, c) => {
          c.header('Cache-Control', 'public, max-age=31536000, immutable');
        },
      }),
    )
    .get('/s/:token', (c) => c.html(survey))
    .get('/console', (c) => c.html(console))
    .get('/console/*', (c) => c.html(console))
    .get('/', (c) => c.redirect('/console'));
}
