// The HTTP application: every route mounted once, errors mapped once.
import { Hono } from 'hono';
import { randomUUID } from 'node:crypto';
import type { Config } from './config.ts';
import type { AppDependencies, AppEnv } from './routes/env.ts';
import { health } from './routes/health/index.ts';
import { documentApi } from './routes/openapi.ts';
import { onError, onNotFound } from './routes/problem.ts';
import { securityHeaders } from './routes/security.ts';
import { staticRoutes } from './routes/static.ts';
import { accountRoutes } from './routes/account/index.ts';
import { assessmentRoutes } from './routes/assessments/index.ts';
import { auditRoutes } from './routes/audit/index.ts';
import { sessionRoutes } from './routes/session/index.ts';
import { oidcRoutes } from './routes/session/oidc.ts';
import { campaignRoutes } from './routes/campaigns/index.ts';
import { counterRoutes } from './routes/counters/index.ts';
import { officialsPublicRoutes } from './routes/officials-public/index.ts';
import { instrumentRoutes } from './routes/instruments/index.ts';
import { evidenceRoutes } from './routes/evidence/index.ts';
import { frameworkRoutes } from './routes/frameworks/index.ts';
import { parRoutes } from './routes/par/index.ts';
import { reorganisationRoutes } from './routes/reorganisations/index.ts';
import { responseRoutes } from './routes/responses/index.ts';
import { scoreRoutes } from './routes/scores/index.ts';
import { requestAddress } from './routes/survey/client-address.ts';
import { surveyRoutes } from './routes/survey/index.ts';
import { shortCodeLookups, type ShortCodeLookups } from './routes/survey/short-code.ts';
import { officialResultRoutes } from './routes/official-surveys/results.ts';
import { peerRoutes } from './routes/peers/index.ts';
import { officialSurveyRoutes } from './routes/official-surveys/index.ts';
import { planRoutes } from './routes/plans/index.ts';
import { unitRoutes } from './routes/units/index.ts';
import { apiApp } from './routes/validation.ts';

/** Every route of /api, in one app so that the OpenAPI document describes them all. */
function apiRoutes(config: Config, lookups: ShortCodeLookups) {
  const api = apiApp<AppEnv>()
    .route('/', surveyRoutes(config, lookups))
    .route('/', officialsPublicRoutes())
    .route('/', sessionRoutes(config))
    .route('/', oidcRoutes(config))
    .route('/', accountRoutes())
    .route('/', instrumentRoutes())
    .route('/', unitRoutes())
    .route('/', peerRoutes())
    .route('/', counterRoutes())
    .route('/', reorganisationRoutes())
    .route('/', campaignRoutes())
    .route('/', responseRoutes())
    .route('/', scoreRoutes(config.reports))
    .route('/', parRoutes())
    .route('/', frameworkRoutes())
    .route('/', evidenceRoutes())
    .route('/', assessmentRoutes())
    .route('/', planRoutes())
    .route('/', officialSurveyRoutes())
    .route('/', officialResultRoutes())
    .route('/', auditRoutes());
  documentApi(api);
  return api;
}

export function createApp(deps: AppDependencies) {
  // One count of short-code look-ups for the /c form, the survey page and its API.
  const lookups = shortCodeLookups(requestAddress(deps.config.trustedProxies));
  const app = new Hono<AppEnv>()
    .use(async (c, next) => {
      c.set('requestId', randomUUID());
      c.set('deps', deps);
      c.set('db', deps.connection.db);
      await next();
    })
    .use(securityHeaders)
    .route('/', health)
    .route('/', apiRoutes(deps.config, lookups))
    .route('/', staticRoutes(lookups, deps.appDir));
  app.onError(onError);
  app.notFound(onNotFound);
  return app;
}

export type App = ReturnType<typeof createApp>;
