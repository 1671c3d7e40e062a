import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import type { AppDeps } from '../app-deps.ts';
import { ApiErrorCode, retryLater } from '../http/api-error.ts';
import { RETRY_AFTER_SECONDS } from '../limits.ts';
import { createAddressSlots } from '../live/address-slots.ts';
import { liveMatcher } from '../live/live-filter.ts';
import { createSseConnection } from '../live/sse-connection.ts';
import { parseFilters } from '../query/filters.ts';
import { LiveQuerySchema } from '../schemas/query-schemas.ts';
import { REFUSALS } from '../schemas/refusal-schemas.ts';
import { ApiErrorSchema } from '../schemas/wire-schemas.ts';

/** Streams end between 90 % and 100 % of LIVE_MAX_STREAM_MS, so clients that came together do not all return together. */
const lifetimeMs = (max: number) => Math.round(max * (0.9 + 0.1 * Math.random()));

export function liveRoutes(app: FastifyInstance, deps: AppDeps): void {
  const slots = createAddressSlots(deps.config.LIVE_MAX_CLIENTS_PER_ADDRESS);
  app.get(
    '/api/live',
    {
      schema: {
        tags: ['events'],
        summary: 'Server-Sent Events of new changes matching the filters',
        description:
          '`event: change` with an EventSummary as data and a resume token as id (send it back as Last-Event-ID to resume a short gap); `event: skipped` with `{ "skipped": n }` when a slow client lost the n oldest events; comment lines as heartbeats. A stream ends cleanly after at most LIVE_MAX_STREAM_MS (default 15 min) and when the server shuts down: reconnect with Last-Event-ID (EventSource does) and nothing is lost. A client that stops reading is disconnected once its socket has not drained for LIVE_BLOCKED_TIMEOUT_MS. One client address holds at most LIVE_MAX_CLIENTS_PER_ADDRESS streams (429 too_many_streams).',
        querystring: LiveQuerySchema,
        response: {
          200: {
            description: 'An endless text/event-stream',
            content: { 'text/event-stream': { schema: { type: 'string' } } },
          },
          ...REFUSALS.live,
          '4xx': ApiErrorSchema,
          '5xx': ApiErrorSchema,
        },
      },
    },
    async (request, reply) => {
      const filters = parseFilters(request.query as Static<typeof LiveQuerySchema>);
      if (deps.feed.state() === 'waiting' || deps.feed.state() === 'closed')
        throw retryLater(
          503,
          ApiErrorCode.LiveFeedUnavailable,
          'The live feed cannot read Kafka right now; retry shortly',
          RETRY_AFTER_SECONDS.live,
        );
      if (deps.hub.clientCount() >= deps.config.LIVE_MAX_CLIENTS)
        throw retryLater(
          503,
          ApiErrorCode.TooManyClients,
          'Too many live clients; retry later',
          RETRY_AFTER_SECONDS.live,
        );
      const address = request.ip;
      const release = slots.take(address);
      if (!release)
        throw retryLater(
          429,
          ApiErrorCode.TooManyStreams,
          `This address has ${deps.config.LIVE_MAX_CLIENTS_PER_ADDRESS} live streams open already; close one, or retry later`,
          RETRY_AFTER_SECONDS.live,
        );
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
        blockedTimeoutMs: deps.config.LIVE_BLOCKED_TIMEOUT_MS,
        lifetimeMs: lifetimeMs(deps.config.LIVE_MAX_STREAM_MS),
        onClose: () => {
          subscription.unsubscribe();
          release();
        },
        onEvict: (blockedMs) => request.log.info({ address, blockedMs }, 'live client evicted: not reading'),
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
