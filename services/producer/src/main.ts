/*
 * The producer's composition root: EventStreams (SSE) → Kafka, gap-free. Reads the config, wires
 * the logger, metrics, Kafka port and service, and is the only place that handles signals or exits.
 * `--describe-config` prints the variables it reads and exits without connecting to anything.
 */
import {
  ConfigError,
  createLifecycle,
  createLogger,
  describeConfig,
  type Logger,
  topicNames,
  topicSpecs,
  versionLine,
} from '@wikistream/shared';
import { loadProducerConfig, type ProducerConfig, producerSchema } from './config.ts';
import { streamIdentity } from './cursor-owner.ts';
import { MAX_RECORD_BYTES } from './defaults.ts';
import { type OpsServer, startOpsServer } from './http-server.ts';
import { createKafkaPort } from './kafka-port.ts';
import { createMetrics } from './metrics.ts';
import { createProducerService } from './producer-service.ts';
import { PRODUCER_VERSION } from './version.ts';

function readConfig(): ProducerConfig {
  try {
    // `--reset-cursor` is RESET_CURSOR=1 for one start.
    const flag = process.argv.includes('--reset-cursor') ? { RESET_CURSOR: '1' } : {};
    return loadProducerConfig({ ...process.env, ...flag });
  } catch (error) {
    process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
    process.exit(1);
  }
}

function build(config: ProducerConfig, logger: Logger) {
  const metrics = createMetrics();
  const topics = topicNames(config.KAFKA_TOPIC, {
    ...(config.KAFKA_CURSOR_TOPIC ? { cursor: config.KAFKA_CURSOR_TOPIC } : {}),
    ...(config.KAFKA_GAPS_TOPIC ? { gaps: config.KAFKA_GAPS_TOPIC } : {}),
  });
  const kafka = createKafkaPort({
    brokers: config.KAFKA_BROKERS,
    transactionalId: config.PRODUCER_ID,
    topics,
    compression: config.KAFKA_COMPRESSION,
    retries: config.KAFKA_RETRIES,
    commitTimeoutMs: config.KAFKA_COMMIT_TIMEOUT_MS,
    logger,
  });
  const service = createProducerService({
    producerId: config.PRODUCER_ID,
    since: config.SINCE,
    resetCursor: config.RESET_CURSOR,
    topicSpecs: topicSpecs(topics, config.KAFKA_PARTITIONS),
    settings: {
      window: { overlapMs: config.RESUME_OVERLAP_MS, maxIds: config.DEDUPE_MAX_IDS },
      overlapMs: config.RESUME_OVERLAP_MS,
      gapThresholdMs: config.GAP_THRESHOLD_MS,
      classify: { producerVersion: PRODUCER_VERSION, compressed: config.KAFKA_COMPRESSION === 'gzip' },
      owner: { stream: streamIdentity(config.EVENTSTREAMS_URL), topic: config.KAFKA_TOPIC },
      batchSize: config.BATCH_SIZE,
      // Uncompressed, one partition's record batch could reach the broker's 1 MB limit.
      batchMaxBytes:
        config.KAFKA_COMPRESSION === 'gzip'
          ? config.BATCH_MAX_BYTES
          : Math.min(config.BATCH_MAX_BYTES, MAX_RECORD_BYTES),
    },
    batchMaxMs: config.BATCH_MAX_MS,
    upstream: {
      url: config.EVENTSTREAMS_URL,
      userAgent: config.USER_AGENT,
      stallTimeoutMs: config.STALL_TIMEOUT_MS,
      backoff: { baseMs: config.RECONNECT_BASE_MS, maxMs: config.RECONNECT_MAX_MS },
    },
    kafka,
    logger,
    metrics,
  });
  let ops: OpsServer | undefined;
  const opsComponent = {
    name: 'ops-http',
    async start() {
      ops = await startOpsServer({
        port: config.METRICS_PORT,
        registry: metrics.registry,
        ready: service.ready,
      });
      logger.info({ port: ops.port }, 'metrics, /healthz and /readyz listening');
    },
    close: async () => ops?.close(),
  };
  return { service, components: [opsComponent, service] };
}

async function main(): Promise<void> {
  if (process.argv.includes('--describe-config')) {
    process.stdout.write(`${JSON.stringify(describeConfig(producerSchema))}\n`);
    return;
  }
  if (process.argv.includes('--version')) {
    process.stdout.write(`${versionLine('producer')}\n`);
    return;
  }
  const config = readConfig();
  const logger = createLogger({ name: 'producer', level: config.LOG_LEVEL });
  const { service, components } = build(config, logger);
  const lifecycle = createLifecycle(components, { logger, shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS });
  const stop = (reason: string, code: number) => {
    logger.info({ reason }, 'stopping: closing the upstream, committing the last batch');
    lifecycle.close().then(
      () => exit(logger, code),
      (error: unknown) => {
        logger.error({ err: error }, 'forced stop');
        exit(logger, 1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM', 0));
  process.once('SIGINT', () => stop('SIGINT', 0));
  service.crashed.catch(() => stop('crash', 1));
  await lifecycle.start();
  logger.info(
    { version: PRODUCER_VERSION, upstream: config.EVENTSTREAMS_URL, topic: config.KAFKA_TOPIC },
    'producer started',
  );
}

function exit(logger: Logger, code: number): void {
  logger.flush();
  process.exit(code);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `producer: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
