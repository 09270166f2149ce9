// The HTTP application: every route mounted once, errors mapped once.
import { Hono } from 'hono';
import { randomUUID } from 'node:crypto';
import type { AppDependencies, AppEnv } from './routes/env.ts';
import { health } from './routes/health/index.ts';
import { onError, onNotFound } from './routes/problem.ts';
import { staticRoutes } from './routes/static.ts';

export function createApp(deps: AppDependencies) {
  const app = new Hono<AppEnv>()
    .use(async (c, next) => {
      c.set('requestId', randomUUID());
      c.set('deps', deps);
      c.set('db', deps.connection.db);
      await next();
    })
    .route('/', health)
    .route('/', staticRoutes());
  app.onError(onError);
  app.notFound(onNotFound);
  return app;
}

export type App = ReturnType<typeof createApp>;
