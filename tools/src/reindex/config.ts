import {
  type ConfigField,
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
  KAFKA_BROKERS: list({ default: [DEFAULTS.kafkaBrokers], description: 'Kafka brokers (--source kafka)' }),
  KAFKA_TOPIC: string({ default: DEFAULTS.kafkaTopic, description: 'the data topic (--source kafka)' }),
  RETENTION_DAYS: integer({ default: DEFAULTS.retentionDays, min: 1, description: 'as the indexer' }),
  // No default of its own: RETENTION_DAYS, as the indexer resolves it.
  EVENT_TIME_MAX_AGE_DAYS: {
    ...integer({
      min: 1,
      description:
        'how late an event reaches the topic after its day, at most (--source kafka reads that far)',
    }),
    required: false,
  } as ConfigField<number | undefined>,
  REINDEX_LEASE_MS: integer({
    default: 30_000,
    min: 1_000,
    description: 'a run whose owner has not been heard of for this long is taken over by a new start',
  }),
  LOG_LEVEL: oneOf(LOG_LEVELS, { default: 'info', description: 'pino level' }),
} as const;

export type ReindexConfig = Omit<ConfigOf<typeof configSchema>, 'EVENT_TIME_MAX_AGE_DAYS'> & {
  readonly EVENT_TIME_MAX_AGE_DAYS: number;
};

/** One Elasticsearch request (a page, a bulk, a refresh) times out after this. */
export const REQUEST_TIMEOUT_MS = 60_000;

export function readConfig(env: Readonly<Record<string, string | undefined>> = process.env): ReindexConfig {
  const config = loadConfig(configSchema, env);
  return Object.freeze({
    ...config,
    EVENT_TIME_MAX_AGE_DAYS: config.EVENT_TIME_MAX_AGE_DAYS ?? config.RETENTION_DAYS,
  });
}
