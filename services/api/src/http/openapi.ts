import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { DOCS_CSP } from './security.ts';

/** `/openapi.json` from the route schemas, and Swagger UI at `/docs` (with its own CSP). */
export async function registerOpenApi(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'wikistream API',
        version,
        description:
          'Search, statistics, trending pages, a live feed and the health of the wikistream pipeline (Wikimedia recent changes through Kafka into Elasticsearch). Errors are `{ code, message, field? }`.',
      },
      tags: [
        { name: 'events', description: 'Search and live feed' },
        { name: 'analytics', description: 'Statistics and trending' },
        { name: 'operations', description: 'Health, readiness, pipeline and dead letters' },
      ],
      components: {
        securitySchemes: { adminToken: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN' } },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: DOCS_CSP });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
