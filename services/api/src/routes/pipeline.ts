import { createHash, timingSafeEqual } from 'node:crypto';
import { driftIndexPattern, topicNames } from '@wikistream/shared';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import type { AppDeps } from '../app-deps.ts';
import { ApiErrorCode, ApiHttpError, wholeNumber } from '../http/api-error.ts';
import type { InFlightLimit } from '../http/in-flight.ts';
import { LIMITS } from '../limits.ts';
import { pipelineReport } from '../pipeline/pipeline-report.ts';
import { redrive } from '../pipeline/redrive.ts';
import { DeadLetterQuerySchema, RedriveBodySchema } from '../schemas/query-schemas.ts';
import { REFUSALS } from '../schemas/refusal-schemas.ts';
import {
  ApiErrorSchema,
  DeadLetterListSchema,
  PipelineResponseSchema,
  RedriveResponseSchema,
} from '../schemas/wire-schemas.ts';

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Bearer ADMIN_TOKEN; without a configured token the admin routes are switched off. */
function requireAdmin(token: string | undefined) {
  return async (request: FastifyRequest) => {
    if (!token)
      throw new ApiHttpError(403, ApiErrorCode.AdminDisabled, 'Admin routes are disabled: set ADMIN_TOKEN');
    const given = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
    if (!timingSafeEqual(digest(given), digest(token)))
      throw new ApiHttpError(401, ApiErrorCode.Unauthorized, 'A valid bearer token is required');
  };
}

export function pipelineRoutes(
  app: FastifyInstance,
  deps: AppDeps,
  index: string,
  queries: InFlightLimit,
): void {
  const topics = topicNames(deps.config.KAFKA_TOPIC, { gaps: deps.config.KAFKA_GAPS_TOPIC });
  const errors = { '4xx': ApiErrorSchema, '5xx': ApiErrorSchema };
  app.get(
    '/api/pipeline',
    {
      schema: {
        tags: ['operations'],
        summary:
          'Lag per partition, rates, freshness, end-to-end latency, dead letters, gaps and schema drift',
        description: 'Parts that cannot be read are named in `unavailable`; the rest is still served.',
        response: { 200: PipelineResponseSchema, ...REFUSALS.pipeline, ...errors },
      },
    },
    async () =>
      queries.run(() =>
        pipelineReport({
          search: deps.search,
          index,
          driftIndex: driftIndexPattern(deps.config.ES_INDEX_PREFIX),
          kafka: deps.kafka,
          dataTopic: topics.data,
          indexerGroup: deps.config.KAFKA_GROUP_ID,
          sampler: deps.sampler,
          deadLetters: deps.deadLetters,
          feedLive: () => deps.feed.state() === 'live',
          clock: deps.clock,
        }),
      ),
  );

  const admin = requireAdmin(deps.config.ADMIN_TOKEN);
  app.get(
    '/api/dlq',
    {
      preHandler: admin,
      schema: {
        tags: ['operations'],
        summary: 'Dead letters: counts by reason and the most recent entries (admin)',
        security: [{ adminToken: [] }],
        querystring: DeadLetterQuerySchema,
        response: { 200: DeadLetterListSchema, ...REFUSALS.any, ...errors },
      },
    },
    async (request) => {
      const query = request.query as Static<typeof DeadLetterQuerySchema>;
      return deps.deadLetters.list(
        query.reason,
        wholeNumber('limit', query.limit, 1, LIMITS.deadLetterEntries, 50),
      );
    },
  );

  app.post(
    '/api/dlq/redrive',
    {
      preHandler: admin,
      schema: {
        tags: ['operations'],
        summary: 'Publish dead letters back to the data topic, unchanged (admin)',
        description:
          'Reads at most `limit` records of one DLQ partition from `fromOffset` (default: the oldest retained). Indexing is idempotent by meta.id, so a repeated re-drive does no harm.',
        security: [{ adminToken: [] }],
        body: RedriveBodySchema,
        response: { 200: RedriveResponseSchema, ...REFUSALS.kafka, ...errors },
      },
    },
    async (request) => {
      const body = (request.body ?? {}) as Static<typeof RedriveBodySchema>;
      return redrive(deps.kafka, topics, {
        ...body,
        partition: wholeNumber('partition', body.partition, 0, 100_000, 0),
        limit: wholeNumber('limit', body.limit, 1, LIMITS.redriveMax, 100),
      });
    },
  );
}
