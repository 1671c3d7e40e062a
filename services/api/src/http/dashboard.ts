import { existsSync } from 'node:fs';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { ApiErrorCode } from './api-error.ts';

/**
 * The built dashboard at `/`. Without a build the api still works and `/` says how to build it.
 */
export async function registerDashboard(app: FastifyInstance, directory: string): Promise<void> {
  if (existsSync(directory)) {
    await app.register(fastifyStatic, { root: directory, prefix: '/', index: ['index.html'], maxAge: '1h' });
    return;
  }
  app.get('/', { schema: { hide: true } }, async (_request, reply) =>
    reply.status(503).send({
      code: ApiErrorCode.DashboardNotBuilt,
      message: 'The dashboard is not built: run `pnpm build:web`, then reload. The API under /api works.',
    }),
  );
}
