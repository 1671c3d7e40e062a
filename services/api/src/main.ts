import { hostname } from 'node:os';
import {
  createLifecycle,
  createLogger,
  describeConfig,
  type Logger,
  PROJECT_VERSION,
  versionLine,
} from '@wikistream/shared';
import { buildApp } from './app.ts';
import { configSchema, liveGroupId, loadApiConfig } from './config.ts';
import { createSearchPort } from './elasticsearch/search-port.ts';
import { createKafkaPort } from './kafka/kafka-port.ts';
import { createLiveFeed } from './kafka/live-feed.ts';
import { createLiveHub } from './live/live-hub.ts';
import { createDeadLetterLog } from './pipeline/dead-letter-log.ts';
import { createOffsetSampler } from './pipeline/offset-sampler.ts';
import { createRollupWriter } from './rollup/rollup-writer.ts';

/** The composition root: config, clients, the live feed and the HTTP server; signals end here. */
async function main(): Promise<void> {
  if (process.argv.includes('--describe-config')) {
    process.stdout.write(`${JSON.stringify(describeConfig(configSchema))}\n`);
    return;
  }
  if (process.argv.includes('--version')) {
    process.stdout.write(`${versionLine('api')}\n`);
    return;
  }
  const config = loadApiConfig();
  const logger = createLogger({ name: 'api', level: config.LOG_LEVEL });
  const version = PROJECT_VERSION;
  const clock = () => Date.now();
  const search = createSearchPort({
    url: config.ELASTICSEARCH_URL,
    requestTimeoutMs: config.ES_REQUEST_TIMEOUT_MS,
  });
  const kafka = createKafkaPort({
    brokers: config.KAFKA_BROKERS,
    clientId: `wikistream-api-${hostname()}`,
    logger,
  });
  const hub = createLiveHub({ replaySize: config.LIVE_REPLAY_EVENTS });
  const deadLetters = createDeadLetterLog();
  const feed = createLiveFeed({
    kafka,
    hub,
    deadLetters,
    logger: logger.child({ component: 'live-feed' }),
    dataTopic: config.KAFKA_TOPIC,
    gapsTopic: config.KAFKA_GAPS_TOPIC,
    groupId: liveGroupId(),
  });
  const sampler = createOffsetSampler({
    kafka,
    topic: config.KAFKA_TOPIC,
    clock,
    intervalMs: 10_000,
    windowMs: 60_000,
  });
  const rollups = config.ROLLUPS
    ? createRollupWriter({
        search,
        prefix: config.ES_INDEX_PREFIX,
        clock,
        logger: logger.child({ component: 'rollups' }),
        intervalMs: config.ROLLUP_INTERVAL_MS,
        backfillMs: config.ROLLUP_BACKFILL_HOURS * 3_600_000,
        retentionMs: config.ROLLUP_RETENTION_DAYS * 86_400_000,
      })
    : undefined;
  const app = await buildApp({
    rollups,
    config,
    logger,
    search,
    kafka,
    hub,
    feed,
    deadLetters,
    sampler,
    clock,
    version,
  });
  const lifecycle = createLifecycle(
    [
      {
        name: 'clients',
        close: async () => Promise.all([kafka.close(), search.close()]).then(() => undefined),
      },
      feed,
      sampler,
      ...(rollups ? [rollups] : []),
      {
        name: 'http',
        start: async () => void (await app.listen({ port: config.PORT, host: config.HOST })),
        close: () => app.close(),
      },
    ],
    { logger, shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS },
  );
  installSignals(lifecycle, logger);
  await lifecycle.start();
}

function installSignals(lifecycle: { close(): Promise<void> }, logger: Logger): void {
  const stop = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    lifecycle.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
