/** The closed list of `code`s an error answer can carry (ApiError in the wire contract). */
export const ApiErrorCode = {
  InvalidParameter: 'invalid_parameter',
  BadRequest: 'bad_request',
  NotFound: 'not_found',
  Unauthorized: 'unauthorized',
  AdminDisabled: 'admin_disabled',
  RateLimited: 'rate_limited',
  /** One client address holds LIVE_MAX_CLIENTS_PER_ADDRESS live streams already (429). */
  TooManyStreams: 'too_many_streams',
  /** Every live slot is taken (503). */
  TooManyClients: 'too_many_clients',
  /** QUERY_MAX_IN_FLIGHT reads of Elasticsearch run already (503). */
  TooManyQueries: 'too_many_queries',
  /** EXPORT_MAX_IN_FLIGHT exports stream already (503). */
  TooManyExports: 'too_many_exports',
  ElasticsearchUnavailable: 'elasticsearch_unavailable',
  KafkaUnavailable: 'kafka_unavailable',
  LiveFeedUnavailable: 'live_feed_unavailable',
  DashboardNotBuilt: 'dashboard_not_built',
  Internal: 'internal',
} as const;
export type ApiErrorCode = (typeof ApiErrorCode)[keyof typeof ApiErrorCode];

/**
 * An error whose answer is known: status, code, a message safe to show, the offending field, and
 * for a refusal that passes (429, 503) when to try again.
 */
export class ApiHttpError extends Error {
  readonly statusCode: number;
  readonly code: ApiErrorCode;
  readonly field: string | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(
    statusCode: number,
    code: ApiErrorCode,
    message: string,
    field?: string,
    retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiHttpError';
    this.statusCode = statusCode;
    this.code = code;
    this.field = field;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** A refusal that passes: the answer carries `Retry-After`. */
export function retryLater(
  statusCode: 429 | 503,
  code: ApiErrorCode,
  message: string,
  seconds: number,
): ApiHttpError {
  return new ApiHttpError(statusCode, code, message, undefined, Math.max(1, Math.ceil(seconds)));
}

export function invalidParameter(field: string, message: string): ApiHttpError {
  return new ApiHttpError(400, ApiErrorCode.InvalidParameter, `${field} ${message}`, field);
}

/**
 * A whole-number parameter, checked again after schema validation: the validator coerces "1e999"
 * to Infinity and lets it through its integer and maximum checks.
 */
export function wholeNumber(
  field: string,
  value: unknown,
  min: number,
  max: number,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max)
    throw invalidParameter(field, `must be a whole number from ${min} to ${max}`);
  return value;
}
