import {
  type ConfigOf,
  DEFAULTS,
  integer,
  LOG_LEVELS,
  list,
  loadConfig,
  oneOf,
  string,
  url,
} from '@wikistream/shared';

/** The variables `pnpm reindex` reads: the indexer's names and defaults, so one environment serves both. */
export const configSchema = {
  ELASTICSEARCH_URL: url({ default: DEFAULTS.elasticsearchUrl, description: 'Elasticsearch node' }),
  ES_INDEX_PREFIX: string({
    default: DEFAULTS.esIndexPrefix,
    description: 'daily indices are `<prefix>-YYYY.MM.DD`',
  }),
  ES_REQUEST_TIMEOUT_MS: integer({
    default: 60_000,
    min: 1_000,
    description: 'one Elasticsearch request times out after',
  }),
  KAFKA_BROKERS: list({
    default: [DEFAULTS.kafkaBrokers],
    description: 'Kafka bootstrap brokers (--source kafka)',
  }),
  KAFKA_TOPIC: string({ default: DEFAULTS.kafkaTopic, description: 'the data topic (--source kafka)' }),
  EVENT_TIME_MAX_AGE_DAYS: integer({
    default: DEFAULTS.retentionDays,
    min: 1,
    description: 'how late an event may reach the topic after its day (--source kafka reads that far)',
  }),
  REINDEX_LEASE_MS: integer({
    default: 30_000,
    min: 1_000,
    description: 'a run whose owner has not been heard of for this long is taken over by a new start',
  }),
  LOG_LEVEL: oneOf(LOG_LEVELS, { default: 'info', description: 'pino level' }),
} as const;

export type ReindexConfig = ConfigOf<typeof configSchema>;

export function readConfig(env: Readonly<Record<string, string | undefined>> = process.env): ReindexConfig {
  return loadConfig(configSchema, env);
}
