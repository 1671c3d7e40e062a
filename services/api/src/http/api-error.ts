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
