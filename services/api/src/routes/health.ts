import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.ts';
import { REFUSALS } from '../schemas/refusal-schemas.ts';
import { ApiErrorSchema, HealthResponseSchema, ReadyResponseSchema } from '../schemas/wire-schemas.ts';

export function healthRoutes(app: FastifyInstance, deps: AppDeps): void {
  const startedAt = deps.clock();
  app.get(
    '/api/health',
    {
      schema: {
        tags: ['operations'],
        summary: 'The process is up (no dependency is asked)',
        response: { 200: HealthResponseSchema, ...REFUSALS.any, '4xx': ApiErrorSchema },
      },
    },
    async () => ({
      status: 'ok' as const,
      version: deps.version,
      uptimeSeconds: (deps.clock() - startedAt) / 1000,
    }),
  );

  app.get(
    '/api/ready',
    {
      schema: {
        tags: ['operations'],
        summary: 'Elasticsearch and Kafka are reachable (503 when either is not)',
        response: {
          200: ReadyResponseSchema,
          503: ReadyResponseSchema,
          ...REFUSALS.any,
          '4xx': ApiErrorSchema,
        },
      },
    },
    async (_request, reply) => {
      const [elasticsearch, kafka] = await Promise.all([deps.search.ping(), deps.kafka.ping()]);
      const ready = elasticsearch && kafka;
      return reply.status(ready ? 200 : 503).send({
        ready,
        elasticsearch: elasticsearch ? 'up' : 'down',
        kafka: kafka ? 'up' : 'down',
      });
    },
  );
}
