import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import type { AppDeps } from '../app-deps.ts';
import { ApiErrorCode, ApiHttpError } from '../http/api-error.ts';
import { liveMatcher } from '../live/live-filter.ts';
import { createSseConnection } from '../live/sse-connection.ts';
import { parseFilters } from '../query/filters.ts';
import { LiveQuerySchema } from '../schemas/query-schemas.ts';
import { ApiErrorSchema } from '../schemas/wire-schemas.ts';

export function liveRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.get(
    '/api/live',
    {
      schema: {
        tags: ['events'],
        summary: 'Server-Sent Events of new changes matching the filters',
        description:
          '`event: change` with an EventSummary as data and a resume token as id (send it back as Last-Event-ID to resume a short gap); `event: skipped` with `{ "skipped": n }` when a slow client lost the n oldest events; comment lines as heartbeats. The stream ends when the server shuts down.',
        querystring: LiveQuerySchema,
        response: {
          200: {
            description: 'An endless text/event-stream',
            content: { 'text/event-stream': { schema: { type: 'string' } } },
          },
          '4xx': ApiErrorSchema,
          '5xx': ApiErrorSchema,
        },
      },
    },
    async (request, reply) => {
      const filters = parseFilters(request.query as Static<typeof LiveQuerySchema>);
      if (deps.feed.state() === 'waiting' || deps.feed.state() === 'closed')
        throw new ApiHttpError(
          503,
          ApiErrorCode.LiveFeedUnavailable,
          'The live feed cannot read Kafka right now; retry shortly',
        );
      if (deps.hub.clientCount() >= deps.config.LIVE_MAX_CLIENTS)
        throw new ApiHttpError(503, ApiErrorCode.TooManyClients, 'Too many live clients; retry later');
      const lastEventId = request.headers['last-event-id'];
      reply.hijack();
      const response = reply.raw;
      response.writeHead(200, {
        ...(reply.getHeaders() as Record<string, string>),
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      response.socket?.setNoDelay(true);
      const connection = createSseConnection(response, {
        bufferSize: deps.config.LIVE_CLIENT_BUFFER,
        heartbeatMs: deps.config.LIVE_HEARTBEAT_MS,
        onClose: () => subscription.unsubscribe(),
      });
      const subscription = deps.hub.subscribe(
        liveMatcher(filters),
        connection,
        typeof lastEventId === 'string' ? lastEventId : undefined,
      );
      connection.start(subscription.replay, subscription.missed);
    },
  );
}
