import { DEFAULTS } from '@wikistream/shared';
import { PRODUCER_VERSION } from './version.ts';

/** Every producer default in one place (README.md lists them with their variables). */
export const PRODUCER_DEFAULTS = {
  producerId: 'wikistream-producer',
  userAgent: `wikistream/${PRODUCER_VERSION} (https://github.com/wikistream/wikistream)`,
  metricsPort: DEFAULTS.producerMetricsPort,
  partitions: DEFAULTS.partitions,
  batchSize: 2000,
  batchMaxMs: 250,
  /** Uncompressed bytes a transaction carries; gzip keeps every partition's record batch under the broker's 1 MB limit. */
  batchMaxBytes: 2 * 1024 * 1024,
  stallTimeoutMs: 60_000,
  gapThresholdMs: 60_000,
  /** Resume this much before the cursor so events sharing its last millisecond are not skipped. */
  resumeOverlapMs: 1000,
  dedupeMaxIds: 2000,
  reconnectBaseMs: 1000,
  reconnectMaxMs: 60_000,
  kafkaRetries: 12,
  commitTimeoutMs: 10_000,
  compression: 'gzip',
  shutdownTimeoutMs: 9000,
} as const;

/** Kafka's default message.max.bytes is 1 MB: uncompressed batches stay below this, and a single record above it is cut down for the DLQ. */
export const MAX_RECORD_BYTES = 900 * 1024;
/** A single SSE line longer than this is not an event the upstream could send. */
export const MAX_SSE_BUFFER_BYTES = 16 * 1024 * 1024;
/**
 * SSE frames are cut to this before the parser sees them, so none can overflow its buffer; above
 * the 1 MiB the event contract accepts, so every valid event passes whole.
 */
export const MAX_SSE_FRAME_BYTES = 4 * 1024 * 1024;
/** Redirects followed within the upstream's own origin before the connection is refused. */
export const MAX_REDIRECTS = 5;
/** An SSE id timestamp further than this after the frame's receipt is no position (clock skew is far less). */
export const MAX_ID_AHEAD_MS = 24 * 3600 * 1000;
/** Real SSE ids are about 130 characters; a longer one would bloat every record header and the cursor. */
export const MAX_SSE_ID_CHARS = 4096;
/** A meta.id longer than this (real ones are UUIDs) is kept in the dedupe window as its hash. */
export const MAX_DEDUPE_KEY_CHARS = 128;
