import {
  boolean,
  type ConfigField,
  type ConfigOf,
  DEFAULTS,
  integer,
  LOG_LEVELS,
  list,
  loadConfig,
  oneOf,
  optionalString,
  port,
  string,
  url,
} from '@wikistream/shared';
import { PRODUCER_DEFAULTS as D } from './defaults.ts';

/** `SINCE`: ISO 8601 time or integer milliseconds, as EventStreams' `?since=` takes them. */
function sinceField(): ConfigField<number | undefined> {
  return {
    kind: 'time',
    description: 'backfill start (ISO time or ms) used only when there is no cursor yet',
    required: false,
    parse(raw) {
      if (raw.trim() === '') return undefined;
      const ms = /^\d+$/.test(raw.trim()) ? Number(raw) : Date.parse(raw);
      if (Number.isNaN(ms)) throw new Error(`must be an ISO 8601 time or milliseconds, got "${raw}"`);
      return ms;
    },
  };
}

const positive = (fallback: number, description: string) =>
  integer({ default: fallback, min: 1, description });

/** Every variable the producer reads; `--describe-config` prints this list. */
export const producerSchema = {
  KAFKA_BROKERS: list({
    default: [DEFAULTS.kafkaBrokers],
    description: 'Kafka bootstrap brokers, comma-separated',
  }),
  KAFKA_TOPIC: string({ default: DEFAULTS.kafkaTopic, description: 'data topic; the DLQ is <topic>.dlq' }),
  KAFKA_CURSOR_TOPIC: optionalString('cursor topic (default wikistream.producer.cursor)'),
  KAFKA_GAPS_TOPIC: optionalString('gap ledger topic (default wikistream.gaps)'),
  KAFKA_PARTITIONS: positive(D.partitions, 'partitions of the data topic when the producer creates it'),
  KAFKA_COMPRESSION: oneOf(['gzip', 'none'] as const, {
    default: D.compression,
    description: 'record compression',
  }),
  KAFKA_RETRIES: positive(
    D.kafkaRetries,
    'kafkajs retries per request before a batch fails and is retried whole',
  ),
  KAFKA_COMMIT_TIMEOUT_MS: positive(
    D.commitTimeoutMs,
    'a transaction slower than this counts as Kafka unavailable',
  ),
  EVENTSTREAMS_URL: url({ default: DEFAULTS.eventStreamsUrl, description: 'the recentchange SSE endpoint' }),
  USER_AGENT: string({ default: D.userAgent, description: 'sent upstream; add your contact' }),
  SINCE: sinceField(),
  PRODUCER_ID: string({ default: D.producerId, description: 'transactional id and cursor key' }),
  RESET_CURSOR: boolean({
    default: false,
    description:
      "drop a stored cursor of another upstream or topic (records a gap) instead of refusing to start; this configuration's own cursor is kept",
  }),
  BATCH_SIZE: positive(D.batchSize, 'events per transaction at most'),
  BATCH_MAX_MS: positive(D.batchMaxMs, 'longest time a batch fills before it is committed'),
  BATCH_MAX_BYTES: positive(D.batchMaxBytes, 'uncompressed bytes per transaction at most'),
  STALL_TIMEOUT_MS: positive(
    D.stallTimeoutMs,
    'no complete event (data, canary or dead letter) for this long = stalled: reconnect, /readyz 503',
  ),
  GAP_THRESHOLD_MS: positive(
    D.gapThresholdMs,
    'a resume landing further than this after the cursor is a gap',
  ),
  RESUME_OVERLAP_MS: integer({
    default: D.resumeOverlapMs,
    min: 0,
    description: 'resume this much before the cursor',
  }),
  DEDUPE_MAX_IDS: positive(D.dedupeMaxIds, 'meta.ids kept (in the cursor) to drop re-sent events'),
  RECONNECT_BASE_MS: positive(D.reconnectBaseMs, 'first reconnect delay'),
  RECONNECT_MAX_MS: positive(
    D.reconnectMaxMs,
    'longest reconnect delay (also the retry delay after a 403 or a refused redirect)',
  ),
  SHUTDOWN_TIMEOUT_MS: positive(D.shutdownTimeoutMs, 'graceful stop deadline'),
  METRICS_PORT: port({
    default: D.metricsPort,
    description: '/metrics, /healthz, /readyz; 0 = any free port',
  }),
  LOG_LEVEL: oneOf(LOG_LEVELS, { default: 'info', description: 'pino log level' }),
};

export type ProducerConfig = ConfigOf<typeof producerSchema>;

export function loadProducerConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): ProducerConfig {
  return loadConfig(producerSchema, env);
}
