import { Writable } from 'node:stream';
import { createLogger, type Logger } from '@wikistream/shared';
import type { FastifyInstance } from 'fastify';
import { inject } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { type ApiConfig, loadApiConfig } from '../../src/config.ts';
import { createSearchPort } from '../../src/elasticsearch/search-port.ts';
import { createKafkaPort } from '../../src/kafka/kafka-port.ts';
import type { KafkaPort } from '../../src/kafka/kafka-types.ts';
import { createLiveFeed, type LiveFeed } from '../../src/kafka/live-feed.ts';
import { createLiveHub, type LiveHub } from '../../src/live/live-hub.ts';
import { createDeadLetterLog, type DeadLetterLog } from '../../src/pipeline/dead-letter-log.ts';
import { createOffsetSampler } from '../../src/pipeline/offset-sampler.ts';
import type { Coverage } from '../../src/query/stats-query.ts';

export interface TestApp {
  readonly app: FastifyInstance;
  readonly config: ApiConfig;
  readonly feed: LiveFeed;
  readonly hub: LiveHub;
  readonly kafka: KafkaPort;
  readonly deadLetters: DeadLetterLog;
  /** JSON log lines written so far. */
  readonly logs: Record<string, unknown>[];
  close(): Promise<void>;
}

export interface TestAppOptions {
  readonly prefix?: string;
  readonly topic?: string;
  readonly env?: Record<string, string>;
  /** Start the shared Kafka consumer (live feed, DLQ, gaps). */
  readonly startFeed?: boolean;
  readonly clock?: () => number;
  readonly elasticsearchUrl?: string;
  readonly kafkaBrokers?: string;
  readonly rollups?: { coverage(): Coverage | undefined };
}

function captureLogger(lines: Record<string, unknown>[]): Logger {
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line.trim()) lines.push(JSON.parse(line));
      done();
    },
  });
  return createLogger({ name: 'api-test', level: 'info', destination });
}

/** The api as main.ts wires it, against the real engines, with unique names; not listening. */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const topic = options.topic ?? 'api-test-missing-topic';
  const config = loadApiConfig({
    ELASTICSEARCH_URL: options.elasticsearchUrl ?? inject('elasticsearchUrl'),
    KAFKA_BROKERS: options.kafkaBrokers ?? inject('kafkaBrokers'),
    ES_INDEX_PREFIX: options.prefix ?? 'api-test-empty',
    KAFKA_TOPIC: topic,
    KAFKA_GAPS_TOPIC: `${topic}.gaps`,
    KAFKA_GROUP_ID: `${topic}-indexer`,
    RATE_LIMIT_MAX: '1000000',
    WEB_DIST_DIR: '/nonexistent/web/dist',
    LIVE_HEARTBEAT_MS: '1000',
    ...options.env,
  });
  const logs: Record<string, unknown>[] = [];
  const logger = captureLogger(logs);
  const clock = options.clock ?? (() => Date.now());
  const search = createSearchPort({
    url: config.ELASTICSEARCH_URL,
    requestTimeoutMs: config.ES_REQUEST_TIMEOUT_MS,
  });
  const kafka = createKafkaPort({
    brokers: config.KAFKA_BROKERS,
    clientId: 'api-test',
    logger,
    timeoutMs: 3_000,
  });
  const hub = createLiveHub({ replaySize: config.LIVE_REPLAY_EVENTS });
  const deadLetters = createDeadLetterLog();
  const feed = createLiveFeed({
    kafka,
    hub,
    deadLetters,
    logger,
    dataTopic: config.KAFKA_TOPIC,
    gapsTopic: config.KAFKA_GAPS_TOPIC,
    groupId: `${topic}-api-live`,
    retryMs: 500,
  });
  const sampler = createOffsetSampler({
    kafka,
    topic: config.KAFKA_TOPIC,
    clock,
    intervalMs: 60_000,
    windowMs: 60_000,
  });
  const app = await buildApp({
    config,
    logger,
    search,
    kafka,
    hub,
    feed,
    deadLetters,
    sampler,
    clock,
    version: '0.0.0-test',
    rollups: options.rollups,
  });
  if (options.startFeed) await feed.start();
  let closing: Promise<void> | undefined;
  return {
    app,
    config,
    feed,
    hub,
    kafka,
    deadLetters,
    logs,
    close() {
      closing ??= (async () => {
        await app.close();
        await feed.close();
        await sampler.close();
        await kafka.close();
        await search.close();
      })();
      return closing;
    },
  };
}
