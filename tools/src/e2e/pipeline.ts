import { setTimeout as sleep } from 'node:timers/promises';
import { type ReplayOptions, type ReplayServer, startReplayServer } from '../replay/server.ts';
import type { ServiceName } from '../run/service-command.ts';
import { deleteIndicesWithPrefix } from '../testing/elasticsearch.ts';
import { deleteConsumerGroups, deleteTopics } from '../testing/kafka.ts';
import { uniqueName } from '../testing/names.ts';
import { freePort } from '../testing/ports.ts';
import { waitFor } from '../testing/wait-for.ts';
import { type ServiceProcess, startService } from './service-process.ts';

/**
 * The whole pipeline as separate processes, as in production: the replay server (in this
 * process, so its log can be compared with what arrives) → producer → N indexers → api. Every
 * Kafka topic, group and index name is unique to the run. A process that ends without being told
 * to is restarted, as a supervisor would, and counted.
 */
export interface PipelineNames {
  readonly topic: string;
  readonly deadLetterTopic: string;
  readonly cursorTopic: string;
  readonly gapsTopic: string;
  readonly producerId: string;
  readonly group: string;
  readonly prefix: string;
}

export interface PipelineOptions {
  readonly kafkaBrokers: string;
  readonly elasticsearchUrl: string;
  /** Short name used in every topic, group and index name. */
  readonly slug: string;
  readonly indexers?: number;
  readonly replay: Omit<ReplayOptions, 'port' | 'host'>;
  readonly producerEnv?: Readonly<Record<string, string>>;
  readonly indexerEnv?: Readonly<Record<string, string>>;
  readonly apiEnv?: Readonly<Record<string, string>>;
  readonly log?: (line: string) => void;
}

export interface Crash {
  readonly label: string;
  readonly code: number | string;
  readonly at: number;
  readonly tail: string;
}

export interface Pipeline {
  readonly names: PipelineNames;
  readonly server: ReplayServer;
  readonly apiUrl: string;
  /** When the replay server started appending events. */
  readonly streamStartedAt: number;
  producer(): ServiceProcess;
  indexers(): readonly ServiceProcess[];
  api(): ServiceProcess;
  /** Every running service process. */
  processes(): readonly ServiceProcess[];
  /** SIGKILL, then a new process with the same environment (the way a supervisor restarts it). */
  killProducer(): Promise<void>;
  killIndexer(index: number): Promise<void>;
  readonly crashes: readonly Crash[];
  /** Stops intake, then indexers, then the api (SIGTERM) and returns their exit codes. */
  stop(): Promise<Record<string, number | string>>;
  /** Stops whatever still runs and deletes every topic, group and index of the run. */
  close(): Promise<void>;
}

export const TEST_USER_AGENT = 'wikistream-e2e/0.1.0 (https://github.com/wikistream/wikistream)';

export function pipelineNames(slug: string): PipelineNames {
  const topic = uniqueName(`e2e-${slug}`);
  return {
    topic,
    deadLetterTopic: `${topic}.dlq`,
    cursorTopic: `${topic}.cursor`,
    gapsTopic: `${topic}.gaps`,
    producerId: `${topic}-producer`,
    group: `${topic}-indexers`,
    prefix: topic,
  };
}

/** A service that is restarted whenever it ends without being told to. */
class Supervised {
  current: ServiceProcess;
  private expected = false;
  private stopped = false;
  readonly label: string;
  private readonly service: ServiceName;
  private readonly env: Readonly<Record<string, string>>;
  private readonly crashes: Crash[];

  constructor(service: ServiceName, label: string, env: Readonly<Record<string, string>>, crashes: Crash[]) {
    this.service = service;
    this.label = label;
    this.env = env;
    this.crashes = crashes;
    this.current = this.launch();
  }

  private launch(): ServiceProcess {
    const started = startService(this.service, this.label, this.env);
    void started.exited.then(async (code) => {
      if (this.expected || this.stopped || started !== this.current) return;
      this.crashes.push({ label: this.label, code, at: Date.now(), tail: started.tail(30) });
      await sleep(1000);
      if (!this.stopped && started === this.current) this.current = this.launch();
    });
    return started;
  }

  async kill(): Promise<void> {
    this.expected = true;
    this.current.kill('SIGKILL');
    await this.current.exited;
    this.expected = false;
    if (!this.stopped) this.current = this.launch();
  }

  async stop(graceMs: number): Promise<number | string> {
    this.stopped = true;
    return this.current.stop(graceMs);
  }
}

function indexerEnv(options: PipelineOptions, names: PipelineNames): Record<string, string> {
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

function apiEnv(options: PipelineOptions, names: PipelineNames, port: number): Record<string, string> {
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

function producerEnv(options: PipelineOptions, names: PipelineNames, upstream: string, since: number) {
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

/** Waits until every indexer owns partitions and together they own them all. */
async function settledGroup(indexers: () => readonly ServiceProcess[], partitions: number): Promise<void> {
  const owned = (indexer: ServiceProcess) =>
    (indexer.entries.findLast((entry) => entry.msg === 'partitions assigned')?.partitions as unknown[])
      ?.length ?? 0;
  await waitFor(
    () => {
      const counts = indexers().map(owned);
      return counts.every((count) => count > 0) && counts.reduce((a, b) => a + b, 0) === partitions;
    },
    { timeoutMs: 120_000, intervalMs: 200 },
  ).catch((error: unknown) => {
    const tails = indexers()
      .map((indexer) => `${indexer.label}:\n${indexer.tail(8)}`)
      .join('\n');
    throw new Error(`the indexer group did not settle:\n${tails}`, { cause: error });
  });
}

export async function startPipeline(options: PipelineOptions): Promise<Pipeline> {
  const log = options.log ?? (() => undefined);
  const names = pipelineNames(options.slug);
  const crashes: Crash[] = [];
  const apiPort = await freePort();
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const indexerSlots = Array.from(
    { length: options.indexers ?? 3 },
    (_, i) => new Supervised('indexer', `indexer-${i + 1}`, indexerEnv(options, names), crashes),
  );
  const api = new Supervised('api', 'api', apiEnv(options, names, apiPort), crashes);
  let producer: Supervised | undefined;
  let server: ReplayServer | undefined;
  let closing: Promise<void> | undefined;
  let stopped: Promise<Record<string, number | string>> | undefined;

  const stop = () => {
    stopped ??= (async () => {
      const codes: Record<string, number | string> = {};
      if (producer) codes.producer = await producer.stop(20_000);
      const indexerCodes = await Promise.all(indexerSlots.map((slot) => slot.stop(30_000)));
      indexerSlots.forEach((slot, i) => {
        codes[slot.label] = indexerCodes[i] as number | string;
      });
      codes.api = await api.stop(20_000);
      return codes;
    })();
    return stopped;
  };
  const close = () => {
    closing ??= (async () => {
      await stop().catch(() => undefined);
      await server?.close();
      await deleteTopics(options.kafkaBrokers, [
        names.topic,
        names.deadLetterTopic,
        names.cursorTopic,
        names.gapsTopic,
      ]).catch(() => undefined);
      await deleteConsumerGroups(options.kafkaBrokers, [names.group]).catch(() => undefined);
      await deleteIndicesWithPrefix(options.elasticsearchUrl, names.prefix).catch(() => undefined);
    })();
    return closing;
  };

  try {
    log(`[e2e] ${options.slug}: starting ${indexerSlots.length} indexers and the api (topic ${names.topic})`);
    await settledGroup(
      () => indexerSlots.map((slot) => slot.current),
      Number(options.indexerEnv?.KAFKA_PARTITIONS ?? 6),
    );
    await waitFor(async () => (await fetch(`${apiUrl}/api/health`)).ok, { timeoutMs: 60_000 }).catch(
      (error: unknown) => {
        throw new Error(`the api did not start:\n${api.current.tail(10)}`, { cause: error });
      },
    );
    server = await startReplayServer(options.replay);
    const streamStartedAt = Date.now();
    producer = new Supervised(
      'producer',
      'producer',
      producerEnv(options, names, server.url, streamStartedAt - 1000),
      crashes,
    );
    log(`[e2e] ${options.slug}: streaming from ${server.url}`);
    const running = producer;
    return {
      names,
      server,
      apiUrl,
      streamStartedAt,
      producer: () => running.current,
      indexers: () => indexerSlots.map((slot) => slot.current),
      api: () => api.current,
      processes: () => [running.current, ...indexerSlots.map((slot) => slot.current), api.current],
      killProducer: () => running.kill(),
      async killIndexer(index) {
        await indexerSlots[index % indexerSlots.length]?.kill();
      },
      crashes,
      stop,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
