/** The closed list of `code`s an error answer can carry (ApiError in the wire contract). */
export const ApiErrorCode = {
  InvalidParameter: 'invalid_parameter',
  BadRequest: 'bad_request',
  NotFound: 'not_found',
  Unauthorized: 'unauthorized',
  AdminDisabled: 'admin_disabled',
  RateLimited: 'rate_limited',
  TooManyClients: 'too_many_clients',
  ElasticsearchUnavailable: 'elasticsearch_unavailable',
  KafkaUnavailable: 'kafka_unavailable',
  LiveFeedUnavailable: 'live_feed_unavailable',
  DashboardNotBuilt: 'dashboard_not_built',
  Internal: 'internal',
} as const;
export type ApiErrorCode = (typeof ApiErrorCode)[keyof typeof ApiErrorCode];

/** An error whose answer is known: status, code, a message safe to show, and the offending field. */
export class ApiHttpError extends Error {
  readonly statusCode: number;
  readonly code: ApiErrorCode;
  readonly field: string | undefined;

  constructor(statusCode: number, code: ApiErrorCode, message: string, field?: string) {
    super(message);
    this.name = 'ApiHttpError';
    this.statusCode = statusCode;
    this.code = code;
    this.field = field;
  }
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
