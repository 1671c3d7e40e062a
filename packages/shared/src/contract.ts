/** Names and defaults every wikistream component agrees on (ARCHITECTURE.md, "Contract"). */
export const DEFAULTS = {
  kafkaBrokers: 'localhost:9092',
  kafkaTopic: 'wikimedia.recentchange',
  elasticsearchUrl: 'http://localhost:9200',
  eventStreamsUrl: 'https://stream.wikimedia.org/v2/stream/recentchange',
  kafkaGroupId: 'wikistream-indexer',
  esIndexPrefix: 'wikimedia-recentchange',
  retentionDays: 7,
  apiPort: 3000,
  producerMetricsPort: 9101,
  indexerMetricsPort: 9102,
  partitions: 6,
} as const;

/** Topics derived from the data topic name, so a test can use a unique family of topics. */
export function topicsFor(dataTopic: string) {
  return {
    data: dataTopic,
    deadLetter: `${dataTopic}.dlq`,
  } as const;
}

export const CURSOR_TOPIC = 'wikistream.producer.cursor';
export const GAPS_TOPIC = 'wikistream.gaps';

/** Kafka record headers written by the producer and read downstream. */
export const HEADERS = {
  sseId: 'sse-id',
  receivedAt: 'received-at',
  producerVersion: 'producer-version',
  reason: 'dlq-reason',
  detail: 'dlq-detail',
  sourceTopic: 'dlq-source-topic',
  sourcePartition: 'dlq-source-partition',
  sourceOffset: 'dlq-source-offset',
  failedAt: 'dlq-failed-at',
  stage: 'dlq-stage',
} as const;
