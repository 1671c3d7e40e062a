import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import {
  type Component,
  createLifecycle,
  driftPrefix,
  type Logger,
  topicNames,
  topicSpecs,
} from '@wikistream/shared';
import { bulkConcurrency } from './bulk-concurrency.ts';
import type { IndexerConfig } from './config.ts';
import { createDeadLetterSink, type RecordSender } from './dead-letter-sink.ts';
import { createDriftCounter } from './drift-counter.ts';
import { createDriftFlusher } from './drift-flusher.ts';
import { createSearchStore } from './elasticsearch.ts';
import { installIndexTemplateWhenReachable } from './index-template-installer.ts';
import { createIndexingPipeline, type IndexingPipeline } from './indexing-pipeline.ts';
import { createKafkaPort, type KafkaPort, type RunningConsumer } from './kafka.ts';
import { createIndexerMetrics, type IndexerMetrics } from './metrics.ts';
import { createMetricsServer } from './metrics-server.ts';
import { createRetentionJob } from './retention-job.ts';

const DAY_MS = 86_400_000;

export interface Indexer {
  start(): Promise<void>;
  /** Stops intake, finishes the bulk in flight, commits, leaves the group; idempotent. */
  close(): Promise<void>;
  readonly metrics: IndexerMetrics;
  metricsPort(): number;
  /** This instance's name in the schema drift documents it writes. */
  readonly member: string;
}

export interface IndexerOptions {
  readonly config: IndexerConfig;
  readonly logger: Logger;
  /** The consumer gave up for good: the process should exit non-zero and be restarted. */
  readonly onFatal?: (error: Error) => void;
}

/** Wires the indexer from its config: metrics server, template, topics, DLQ producer, consumer, retention. */
export function createIndexer({ config, logger, onFatal }: IndexerOptions): Indexer {
  const metrics = createIndexerMetrics();
  const stopping = new AbortController();
  const abandon = new AbortController();
  const state = { consuming: false };
  const store = createSearchStore({
    url: config.ELASTICSEARCH_URL,
    requestTimeoutMs: config.ES_REQUEST_TIMEOUT_MS,
  });
  const kafka = createKafkaPort({ brokers: config.KAFKA_BROKERS, clientId: 'wikistream-indexer', logger });
  const topics = topicNames(config.KAFKA_TOPIC);
  const backoff = { baseMs: config.BULK_RETRY_BASE_MS, maxMs: config.BULK_RETRY_MAX_MS };
  let sender: (RecordSender & { close(): Promise<void> }) | undefined;
  let consumer: RunningConsumer | undefined;
  let pipeline: IndexingPipeline | undefined;
  // A process, not a group member: Kafka gives a new member id at every re-join.
  const member = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const drift = createDriftCounter();

  const server = createMetricsServer({
    port: config.METRICS_PORT,
    registry: metrics.registry,
    // Asked on every probe, so an outage shows even while no event is flowing.
    readiness: async () => {
      const elasticsearch = await store.ping();
      return { ready: state.consuming && elasticsearch, consuming: state.consuming, elasticsearch };
    },
    logger,
  });
  const elasticsearch: Component = {
    name: 'elasticsearch',
    async start() {
      const settings = {
        prefix: config.ES_INDEX_PREFIX,
        shards: config.ES_SHARDS,
        replicas: config.ES_REPLICAS,
        refreshInterval: config.ES_REFRESH_INTERVAL,
      };
      await installIndexTemplateWhenReachable(store, settings, logger, { backoff, signal: stopping.signal });
    },
    close: () => store.close(),
  };
  const deadLetters: Component = {
    name: 'kafka-topics-and-dlq-producer',
    async start() {
      // Only the topics the indexer reads or writes; the producer owns the cursor and gap topics.
      const specs = topicSpecs(topics, config.KAFKA_PARTITIONS).filter(
        (spec) => spec.topic === topics.data || spec.topic === topics.deadLetter,
      );
      await kafka.ensureTopics(specs);
      sender = await kafka.createSender();
    },
    close: async () => sender?.close(),
  };
  const consuming: Component = {
    name: 'consumer',
    async start() {
      const indexing = createIndexingPipeline({
        topic: config.KAFKA_TOPIC,
        indexPrefix: config.ES_INDEX_PREFIX,
        chunkSize: config.BULK_CHUNK_SIZE,
        chunkBytes: config.BULK_CHUNK_BYTES,
        concurrency: config.BULK_CONCURRENCY,
        heartbeatIntervalMs: config.KAFKA_HEARTBEAT_INTERVAL_MS,
        backoff,
        eventTimes: {
          maxAgeMs: config.EVENT_TIME_MAX_AGE_DAYS * DAY_MS,
          maxSkewMs: config.EVENT_TIME_MAX_SKEW_MS,
        },
        sender: store,
        deadLetters: createDeadLetterSink(sender as RecordSender, topics.deadLetter),
        metrics,
        drift,
        logger: logger.child({ component: 'batch' }),
        stopping: stopping.signal,
        abandon: abandon.signal,
        // Batches (and so commits and rewinds) only come once the consumer below is running.
        commit: async (offsets) => {
          if (consumer === undefined) throw new Error('the consumer is not running yet');
          await consumer.commit(offsets);
        },
        rewind: (partition, offset) => consumer?.rewind(partition, offset),
      });
      pipeline = indexing;
      const shareOfBulks = bulkShare(kafka, config, indexing, logger);
      consumer = await kafka.startConsumer(consumerSettings(config), indexing.handle, {
        onAssignment: (partitions) => {
          indexing.newGeneration();
          onAssignment(partitions, metrics, logger, state);
          shareOfBulks(partitions.length);
        },
        onMarkersOnly: indexing.markersOnly,
        ...(onFatal ? { onFatal } : {}),
      });
    },
    async close() {
      state.consuming = false;
      stopping.abort();
      // Finish the bulks in flight and commit them, but not past half the shutdown budget.
      const deadline = setTimeout(() => abandon.abort(), config.SHUTDOWN_TIMEOUT_MS / 2);
      try {
        await pipeline?.drain();
        await consumer?.stop();
      } finally {
        clearTimeout(deadline);
      }
    },
  };
  const retention = createRetentionJob({
    store,
    prefix: config.ES_INDEX_PREFIX,
    retentionDays: config.RETENTION_DAYS,
    intervalMs: config.RETENTION_CHECK_INTERVAL_MS,
    logger: logger.child({ component: 'retention' }),
    metrics,
  });
  // Flushed once more at close, after the consumer stopped and before the store closes.
  const driftFlusher = createDriftFlusher({
    counter: drift,
    store,
    prefix: config.ES_INDEX_PREFIX,
    member,
    intervalMs: config.DRIFT_FLUSH_INTERVAL_MS,
    closeTimeoutMs: config.SHUTDOWN_TIMEOUT_MS / 4,
    logger: logger.child({ component: 'schema-drift' }),
    metrics,
  });
  const driftRetention = createRetentionJob({
    store,
    prefix: driftPrefix(config.ES_INDEX_PREFIX),
    retentionDays: config.RETENTION_DAYS,
    intervalMs: config.RETENTION_CHECK_INTERVAL_MS,
    logger: logger.child({ component: 'schema-drift-retention' }),
    metrics,
  });
  const components = [server, elasticsearch, deadLetters, driftFlusher, consuming, retention, driftRetention];
  const lifecycle = createLifecycle(components, { logger, shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS });
  return {
    start: () => lifecycle.start(),
    close() {
      stopping.abort();
      return lifecycle.close();
    },
    metrics,
    metricsPort: () => server.port(),
    member,
  };
}

function consumerSettings(config: IndexerConfig) {
  return {
    groupId: config.KAFKA_GROUP_ID,
    topic: config.KAFKA_TOPIC,
    sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
    heartbeatIntervalMs: config.KAFKA_HEARTBEAT_INTERVAL_MS,
    rebalanceTimeoutMs: config.KAFKA_REBALANCE_TIMEOUT_MS,
    maxBytesPerPartition: config.KAFKA_MAX_BYTES_PER_PARTITION,
    maxBytes: config.KAFKA_MAX_BYTES,
    maxWaitMs: config.KAFKA_MAX_WAIT_MS,
    partitionsConcurrently: config.KAFKA_PARTITIONS_CONCURRENTLY,
    explicitCommits: true,
  };
}

/**
 * After each assignment: this member's share of the group's bulks in flight (`bulkConcurrency`),
 * once the topic's partition count is known. Only the latest assignment's answer is applied; when
 * the count cannot be read the limit stays as it was.
 */
function bulkShare(
  kafka: KafkaPort,
  config: IndexerConfig,
  pipeline: IndexingPipeline,
  logger: Logger,
): (owned: number) => void {
  let latest = 0;
  return (owned) => {
    const assignment = ++latest;
    kafka.partitionCount(config.KAFKA_TOPIC).then(
      (partitions) => {
        if (assignment !== latest) return;
        const limit = bulkConcurrency(config.BULK_CONCURRENCY, owned, partitions);
        pipeline.setConcurrency(limit);
        logger.info({ owned, partitions, bulkConcurrency: limit }, 'bulk concurrency set');
      },
      (error: unknown) =>
        logger.warn({ err: error }, 'could not read the partition count; bulk concurrency unchanged'),
    );
  };
}

/** Lag gauges only for partitions this member owns: a revoked partition's lag is another member's. */
function onAssignment(
  partitions: readonly number[],
  metrics: IndexerMetrics,
  logger: Logger,
  state: { consuming: boolean },
): void {
  state.consuming = true;
  metrics.lag.reset();
  logger.info({ partitions }, 'partitions assigned');
}
