import compress from '@fastify/compress';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { ApiErrorCode, retryLater } from './api-error.ts';

/** The dashboard's policy: everything from this origin, no inline script or style, no framing. */
export const STRICT_CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/** Swagger UI sets inline style attributes; only its own routes get this policy. */
export const DOCS_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

export interface SecurityOptions {
  readonly rateLimitMax: number;
  readonly corsOrigin: string | undefined;
}

export async function registerSecurity(app: FastifyInstance, options: SecurityOptions): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: STRICT_CSP },
    crossOriginEmbedderPolicy: false,
  });
  if (options.corsOrigin) {
    const origins = options.corsOrigin.split(',').map((origin) => origin.trim());
    await app.register(cors, {
      origin: origins.length === 1 ? origins[0] : origins,
      methods: ['GET', 'POST'],
    });
  }
  await app.register(rateLimit, {
    max: options.rateLimitMax,
    timeWindow: '1 minute',
    // Keyed by request.ip: the socket's address, or what a trusted proxy (TRUST_PROXY) saw.
    errorResponseBuilder: (_request, context) =>
      retryLater(
        429,
        ApiErrorCode.RateLimited,
        `Too many requests; retry in ${Math.ceil(context.ttl / 1000)} s`,
        context.ttl / 1000,
      ),
  });
  // Server-Sent Events bypass this: the live route writes to the raw response itself.
  await app.register(compress, { global: true, threshold: 1024, encodings: ['br', 'gzip', 'deflate'] });
}
