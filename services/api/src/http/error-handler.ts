import type { ApiError } from '@wikistream/shared';
import { ErrorCode, isWikistreamError } from '@wikistream/shared';
import type { FastifyError, FastifyInstance } from 'fastify';
import { RETRY_AFTER_SECONDS } from '../limits.ts';
import { FIELD_HINTS } from '../schemas/query-schemas.ts';
import { ApiErrorCode, ApiHttpError, retryLater } from './api-error.ts';

interface ValidationIssue {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** Refusals by a bound of this service: the bound working, not a failure. */
const BOUNDS: ReadonlySet<string> = new Set([
  ApiErrorCode.TooManyQueries,
  ApiErrorCode.TooManyExports,
  ApiErrorCode.TooManyClients,
]);

const HINTED = new Set(['pattern', 'format', 'type', 'anyOf', 'const', 'enum']);

/** Fastify/ajv validation errors → one 400 that names the first offending field. */
function validationAnswer(issues: ValidationIssue[], context: string | undefined): ApiHttpError {
  const issue = issues[0] ?? {};
  const missing = issue.params?.missingProperty ?? issue.params?.additionalProperty;
  const path = (issue.instancePath ?? '').replace(/^\//, '').split('/')[0] ?? '';
  const field = path !== '' ? path : typeof missing === 'string' ? missing : (context ?? 'request');
  const hint = FIELD_HINTS[field];
  let message = `${field} ${issue.message ?? 'is invalid'}`;
  if (hint && HINTED.has(issue.keyword ?? '')) message = `${field} ${hint}`;
  if (issue.keyword === 'additionalProperties') message = `${field} is not an accepted property`;
  if (issue.keyword === 'enum' || (issue.keyword === 'anyOf' && field === 'format'))
    message = `${field} must be one of json, ndjson, csv`;
  return new ApiHttpError(400, ApiErrorCode.InvalidParameter, message, field);
}

/**
 * Pure: any error → the status, body and Retry-After (seconds) the client sees. 5xx bodies never
 * carry internals.
 */
export function errorAnswer(error: unknown): { status: number; body: ApiError; retryAfter?: number } {
  const fastifyError = error as Partial<FastifyError> & { validation?: ValidationIssue[] };
  let known: ApiHttpError | undefined;
  if (error instanceof ApiHttpError) known = error;
  else if (Array.isArray(fastifyError.validation))
    known = validationAnswer(fastifyError.validation, fastifyError.validationContext);
  else if (isWikistreamError(error, ErrorCode.ElasticsearchUnavailable))
    known = retryLater(
      503,
      ApiErrorCode.ElasticsearchUnavailable,
      'Elasticsearch is unavailable; try again shortly',
      RETRY_AFTER_SECONDS.unavailable,
    );
  else if (isWikistreamError(error, ErrorCode.KafkaUnavailable))
    known = retryLater(
      503,
      ApiErrorCode.KafkaUnavailable,
      'Kafka is unavailable; try again shortly',
      RETRY_AFTER_SECONDS.unavailable,
    );
  else if (
    typeof fastifyError.statusCode === 'number' &&
    fastifyError.statusCode >= 400 &&
    fastifyError.statusCode < 500
  )
    // Fastify's own client errors (bad JSON body, unsupported media type, too large) say nothing internal.
    known = new ApiHttpError(
      fastifyError.statusCode,
      ApiErrorCode.BadRequest,
      fastifyError.message ?? 'bad request',
    );
  if (!known) return { status: 500, body: { code: ApiErrorCode.Internal, message: 'Internal error' } };
  const body: ApiError = { code: known.code, message: known.message };
  if (known.field !== undefined) body.field = known.field;
  return {
    status: known.statusCode,
    body,
    ...(known.retryAfterSeconds === undefined ? {} : { retryAfter: known.retryAfterSeconds }),
  };
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const { status, body, retryAfter } = errorAnswer(error);
    if (status >= 500 && !BOUNDS.has(body.code))
      request.log.error({ err: error, code: body.code }, 'request failed');
    else request.log.info({ code: body.code, field: body.field }, body.message);
    if (retryAfter !== undefined) reply.header('retry-after', String(retryAfter));
    return reply.status(status).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]?.slice(0, 200) ?? '';
    return reply
      .status(404)
      .send({ code: ApiErrorCode.NotFound, message: `No route for ${request.method} ${path}` });
  });
}
