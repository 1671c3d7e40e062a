import { indexPattern } from '@wikistream/shared';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { AppDeps } from './app-deps.ts';
import { registerDashboard } from './http/dashboard.ts';
import { installErrorHandling } from './http/error-handler.ts';
import { registerOpenApi } from './http/openapi.ts';
import { registerSecurity } from './http/security.ts';
import { analyticsRoutes } from './routes/analytics.ts';
import { eventRoutes } from './routes/events.ts';
import { healthRoutes } from './routes/health.ts';
import { liveRoutes } from './routes/live.ts';
import { pipelineRoutes } from './routes/pipeline.ts';
import { ApiErrorSchema } from './schemas/wire-schemas.ts';

export type { AppDeps } from './app-deps.ts';

/**
 * The api as a Fastify instance that is not listening: main.ts listens, tests call inject().
 * Live streams are ended before the server closes, so shutdown never waits on an open stream.
 */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    trustProxy: deps.config.TRUST_PROXY,
    bodyLimit: 64 * 1024,
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
  });
  app.addSchema(ApiErrorSchema);
  installErrorHandling(app);
  await registerSecurity(app, {
    rateLimitMax: deps.config.RATE_LIMIT_MAX,
    corsOrigin: deps.config.CORS_ORIGIN,
  });
  await registerOpenApi(app, deps.version);
  const index = indexPattern(deps.config.ES_INDEX_PREFIX);
  healthRoutes(app, deps);
  eventRoutes(app, deps, index);
  analyticsRoutes(app, deps, index);
  liveRoutes(app, deps);
  pipelineRoutes(app, deps, index);
  await registerDashboard(app, deps.config.WEB_DIST_DIR);
  app.addHook('preClose', async () => deps.hub.close());
  return app;
}
