/**
 * Errors are data: a code from a closed list, whether retrying can help, and the cause.
 * Classify at the boundary that understands the failure; tests assert on `code`.
 */
export const ErrorCode = {
  ConfigInvalid: 'config_invalid',
  KafkaUnavailable: 'kafka_unavailable',
  ElasticsearchUnavailable: 'elasticsearch_unavailable',
  UpstreamHttp: 'upstream_http',
  UpstreamStalled: 'upstream_stalled',
  UpstreamClosed: 'upstream_closed',
  InvalidEvent: 'invalid_event',
  BulkItemRejected: 'bulk_item_rejected',
  ShutdownTimeout: 'shutdown_timeout',
  /** The stored resume position belongs to another upstream or topic. */
  CursorMismatch: 'cursor_mismatch',
  /** Another `pnpm reindex` runs, or an unfinished one covers another window. */
  ReindexInProgress: 'reindex_in_progress',
  /** A re-index source cannot rebuild a day exactly (beyond Kafka's retention, counts that differ). */
  ReindexIncomplete: 'reindex_incomplete',
  Internal: 'internal',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface WikistreamErrorOptions {
  retriable?: boolean;
  cause?: unknown;
  details?: Record<string, unknown>;
}

export class WikistreamError extends Error {
  readonly code: ErrorCode;
  readonly retriable: boolean;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, options: WikistreamErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'WikistreamError';
    this.code = code;
    this.retriable = options.retriable ?? false;
    this.details = Object.freeze({ ...options.details });
  }
}

export function isWikistreamError(error: unknown, code?: ErrorCode): error is WikistreamError {
  return error instanceof WikistreamError && (code === undefined || error.code === code);
}
