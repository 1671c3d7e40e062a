import type { PipelineNames, PipelineOptions } from './pipeline.ts';

/**
 * Each service's environment in the end-to-end runs: the run's unique names, free ports, and
 * settings that keep outages short to wait out (a killed indexer's session, reconnect back-off).
 */
export const TEST_USER_AGENT = 'wikistream-e2e/0.1.0 (https://github.com/wikistream/wikistream)';

export function indexerEnv(options: PipelineOptions, names: PipelineNames): Record<string, string> {
  return {
    KAFKA_BROKERS: options.kafkaBrokers,
    KAFKA_TOPIC: names.topic,
    KAFKA_GROUP_ID: names.group,
    ELASTICSEARCH_URL: options.elasticsearchUrl,
    ES_INDEX_PREFIX: names.prefix,
    METRICS_PORT: '0',
    LOG_LEVEL: 'info',
    // A SIGKILLed member holds its partitions until its session expires: keep that short.
    KAFKA_SESSION_TIMEOUT_MS: '10000',
    KAFKA_HEARTBEAT_INTERVAL_MS: '1000',
    KAFKA_REBALANCE_TIMEOUT_MS: '20000',
    ES_REQUEST_TIMEOUT_MS: '10000',
    BULK_RETRY_MAX_MS: '2000',
    ...options.indexerEnv,
  };
}

export function apiEnv(options: PipelineOptions, names: PipelineNames, port: number): Record<string, string> {
  return {
    PORT: String(port),
    HOST: '127.0.0.1',
    ELASTICSEARCH_URL: options.elasticsearchUrl,
    ES_INDEX_PREFIX: names.prefix,
    KAFKA_BROKERS: options.kafkaBrokers,
    KAFKA_TOPIC: names.topic,
    KAFKA_GAPS_TOPIC: names.gapsTopic,
    KAFKA_GROUP_ID: names.group,
    // Exact answers for the comparison: no shared answers, rollups recomputed often.
    ANALYTICS_CACHE_MS: '0',
    ROLLUP_INTERVAL_MS: '5000',
    RATE_LIMIT_MAX: '100000',
    LOG_LEVEL: 'warn',
    ...options.apiEnv,
  };
}

export function producerEnv(options: PipelineOptions, names: PipelineNames, upstream: string, since: number) {
  return {
    KAFKA_BROKERS: options.kafkaBrokers,
    KAFKA_TOPIC: names.topic,
    KAFKA_CURSOR_TOPIC: names.cursorTopic,
    KAFKA_GAPS_TOPIC: names.gapsTopic,
    PRODUCER_ID: names.producerId,
    EVENTSTREAMS_URL: upstream,
    USER_AGENT: TEST_USER_AGENT,
    SINCE: String(since),
    METRICS_PORT: '0',
    LOG_LEVEL: 'info',
    RECONNECT_BASE_MS: '250',
    RECONNECT_MAX_MS: '5000',
    ...options.producerEnv,
  };
}
