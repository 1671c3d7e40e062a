import {
  ConfigError,
  type ConfigField,
  type ConfigOf,
  DEFAULTS,
  integer,
  LOG_LEVELS,
  list,
  loadConfig,
  oneOf,
  port,
  string,
  url,
} from '@wikistream/shared';

/** Every variable the indexer reads, with its default. The only place that knows about the environment. */
export const configSchema = {
  KAFKA_BROKERS: list({
    default: [DEFAULTS.kafkaBrokers],
    description: 'Kafka bootstrap brokers, comma-separated',
  }),
  KAFKA_TOPIC: string({ default: DEFAULTS.kafkaTopic, description: 'data topic; the DLQ is `<topic>.dlq`' }),
  KAFKA_GROUP_ID: string({
    default: DEFAULTS.kafkaGroupId,
    description: 'consumer group shared by all indexers',
  }),
  KAFKA_PARTITIONS: integer({
    default: DEFAULTS.partitions,
    min: 1,
    max: 1000,
    description: 'partitions of the data topic when the indexer has to create it',
  }),
  KAFKA_SESSION_TIMEOUT_MS: integer({
    default: 30_000,
    min: 6_000,
    description: 'group session timeout; a member silent this long is dropped',
  }),
  KAFKA_HEARTBEAT_INTERVAL_MS: integer({
    default: 3_000,
    min: 100,
    description: 'heartbeats, also sent while a bulk is in flight or retried',
  }),
  KAFKA_REBALANCE_TIMEOUT_MS: integer({
    default: 60_000,
    min: 1_000,
    description: 'time members get to finish their bulk and rejoin; must exceed ES_REQUEST_TIMEOUT_MS',
  }),
  KAFKA_MAX_BYTES_PER_PARTITION: integer({
    default: 2 * 1024 * 1024,
    min: 1024,
    description: 'fetch size per partition; with KAFKA_MAX_BYTES it bounds memory',
  }),
  KAFKA_MAX_WAIT_MS: integer({
    default: 1_000,
    min: 10,
    max: 30_000,
    description: 'longest a fetch waits on the broker for new records',
  }),
  KAFKA_MAX_BYTES: integer({ default: 16 * 1024 * 1024, min: 1024, description: 'fetch size per request' }),
  KAFKA_PARTITIONS_CONCURRENTLY: integer({
    default: 6,
    min: 1,
    max: 64,
    description: 'fetched partition batches cut into chunks at once per indexer',
  }),
  ELASTICSEARCH_URL: url({ default: DEFAULTS.elasticsearchUrl, description: 'Elasticsearch node' }),
  ES_INDEX_PREFIX: string({
    default: DEFAULTS.esIndexPrefix,
    description: 'daily indices are `<prefix>-YYYY.MM.DD`',
  }),
  ES_SHARDS: integer({ default: 1, min: 1, max: 1024, description: 'primary shards per daily index' }),
  ES_REPLICAS: integer({ default: 0, min: 0, max: 16, description: 'replicas per daily index' }),
  ES_REFRESH_INTERVAL: string({ default: '1s', description: 'index.refresh_interval of new daily indices' }),
  ES_REQUEST_TIMEOUT_MS: integer({
    default: 30_000,
    min: 100,
    description: 'one bulk request times out after',
  }),
  BULK_CHUNK_SIZE: integer({
    default: 1000,
    min: 1,
    max: 100_000,
    description: 'events per bulk request, at most',
  }),
  BULK_CHUNK_BYTES: integer({
    default: 8 * 1024 * 1024,
    min: 1024,
    description: 'bulk body size, at most (one larger event still goes alone)',
  }),
  BULK_CONCURRENCY: integer({
    default: 10,
    min: 1,
    max: 64,
    description:
      'bulk requests in flight at once for the whole group: each indexer keeps its share by owned partitions (at least 1); fetching goes on while they run',
  }),
  BULK_RETRY_BASE_MS: integer({ default: 200, min: 1, description: 'first back-off before retrying items' }),
  BULK_RETRY_MAX_MS: integer({
    default: 10_000,
    min: 1,
    description: 'back-off cap; items are retried forever',
  }),
  RETENTION_DAYS: integer({
    default: DEFAULTS.retentionDays,
    min: 1,
    description: 'daily indices whose whole day is older than this are deleted',
  }),
  // No default of its own: RETENTION_DAYS, resolved in readConfig.
  EVENT_TIME_MAX_AGE_DAYS: {
    ...integer({
      min: 1,
      description:
        'meta.dt older than this many days is dead-lettered (time_out_of_range); default RETENTION_DAYS',
    }),
    required: false,
  } as ConfigField<number | undefined>,
  EVENT_TIME_MAX_SKEW_MS: integer({
    default: 86_400_000,
    min: 0,
    description: 'meta.dt later than the clock by more than this is dead-lettered (time_out_of_range)',
  }),
  RETENTION_CHECK_INTERVAL_MS: integer({
    default: 3_600_000,
    min: 1_000,
    description: 'how often retention runs',
  }),
  DRIFT_FLUSH_INTERVAL_MS: integer({
    default: 10_000,
    min: 100,
    max: 600_000,
    description:
      'how often the schema drift counters (events per $schema version, unknown top-level fields) are written to <prefix>_drift-YYYY.MM.DD',
  }),
  METRICS_PORT: port({
    default: DEFAULTS.indexerMetricsPort,
    description: '/metrics, /healthz, /readyz; 0 picks a free port (logged)',
  }),
  SHUTDOWN_TIMEOUT_MS: integer({
    default: 14_000,
    min: 1_000,
    description: 'graceful stop deadline; the bulk in flight is abandoned after half of it',
  }),
  LOG_LEVEL: oneOf(LOG_LEVELS, { default: 'info', description: 'pino level' }),
} as const;

export type IndexerConfig = Omit<ConfigOf<typeof configSchema>, 'EVENT_TIME_MAX_AGE_DAYS'> & {
  readonly EVENT_TIME_MAX_AGE_DAYS: number;
};

/** Parses the environment once; every problem is reported together. */
export function readConfig(env: Readonly<Record<string, string | undefined>> = process.env): IndexerConfig {
  const config = loadConfig(configSchema, env);
  const problems = [];
  if (config.ES_REQUEST_TIMEOUT_MS >= config.KAFKA_REBALANCE_TIMEOUT_MS) {
    problems.push({
      variable: 'ES_REQUEST_TIMEOUT_MS',
      message: 'must be below KAFKA_REBALANCE_TIMEOUT_MS, or a member in a slow bulk misses the rebalance',
    });
  }
  if (config.KAFKA_HEARTBEAT_INTERVAL_MS * 3 > config.KAFKA_SESSION_TIMEOUT_MS) {
    problems.push({
      variable: 'KAFKA_HEARTBEAT_INTERVAL_MS',
      message: 'must be at most a third of KAFKA_SESSION_TIMEOUT_MS',
    });
  }
  if (problems.length > 0) throw new ConfigError(problems);
  // Older events would only land in indices that retention deletes at its next pass.
  return Object.freeze({
    ...config,
    EVENT_TIME_MAX_AGE_DAYS: config.EVENT_TIME_MAX_AGE_DAYS ?? config.RETENTION_DAYS,
  });
}
