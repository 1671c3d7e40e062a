import { readAlias } from '@wikistream/shared';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { AppDeps } from './app-deps.ts';
import { ApiErrorCode, retryLater } from './http/api-error.ts';
import { registerDashboard } from './http/dashboard.ts';
import { installErrorHandling } from './http/error-handler.ts';
import { createInFlightLimit, type WorkLimits } from './http/in-flight.ts';
import { registerOpenApi } from './http/openapi.ts';
import { registerSecurity } from './http/security.ts';
import { RETRY_AFTER_SECONDS } from './limits.ts';
import { analyticsRoutes } from './routes/analytics.ts';
import { eventRoutes } from './routes/events.ts';
import { healthRoutes } from './routes/health.ts';
import { liveRoutes } from './routes/live.ts';
import { pipelineRoutes } from './routes/pipeline.ts';
import { ApiErrorSchema } from './schemas/wire-schemas.ts';

export type { AppDeps } from './app-deps.ts';

/** Bounds on Elasticsearch work this instance runs at once; beyond them, 503 with Retry-After. */
function workLimits(config: AppDeps['config']): WorkLimits {
  return {
    queries: createInFlightLimit(config.QUERY_MAX_IN_FLIGHT, () =>
      retryLater(
        503,
        ApiErrorCode.TooManyQueries,
        'Too many queries are running; retry shortly',
        RETRY_AFTER_SECONDS.query,
      ),
    ),
    exports: createInFlightLimit(config.EXPORT_MAX_IN_FLIGHT, () =>
      retryLater(
        503,
        ApiErrorCode.TooManyExports,
        'Too many exports are running; retry shortly',
        RETRY_AFTER_SECONDS.export,
      ),
    ),
  };
}

/**
 * The api as a Fastify instance that is not listening: main.ts listens, tests call inject().
 * Live streams are ended before the server closes, so shutdown never waits on an open stream.
 */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    // Only the listed proxies' X-Forwarded-For is believed (config.ts refuses "trust everything").
    trustProxy: deps.config.TRUST_PROXY === false ? false : [...deps.config.TRUST_PROXY],
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
  // Only through the read alias: a day being rebuilt, or an old version kept, is never read twice.
  const index = readAlias(deps.config.ES_INDEX_PREFIX);
  const limits = workLimits(deps.config);
  healthRoutes(app, deps);
  eventRoutes(app, deps, index, limits);
  analyticsRoutes(app, deps, index, limits.queries);
  liveRoutes(app, deps);
  pipelineRoutes(app, deps, index, limits.queries);
  await registerDashboard(app, deps.config.WEB_DIST_DIR);
  app.addHook('preClose', async () => deps.hub.close());
  return app;
}
