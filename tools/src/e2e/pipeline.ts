import { type ReplayOptions, type ReplayServer, startReplayServer } from '../replay/server.ts';
import { deleteIndicesWithPrefix } from '../testing/elasticsearch.ts';
import { deleteConsumerGroups, deleteTopics } from '../testing/kafka.ts';
import { uniqueName } from '../testing/names.ts';
import { freePort } from '../testing/ports.ts';
import { waitFor } from '../testing/wait-for.ts';
import { apiEnv, indexerEnv, producerEnv } from './service-env.ts';
import type { ServiceProcess } from './service-process.ts';
import { type Crash, Supervised } from './supervised.ts';

export { TEST_USER_AGENT } from './service-env.ts';
export type { Crash } from './supervised.ts';

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

/** The processes of one run, started in order, stopped in order (intake, indexers, api). */
interface Services {
  readonly crashes: Crash[];
  readonly indexers: Supervised[];
  readonly api: Supervised;
  producer?: Supervised;
}

async function stopInOrder(services: Services): Promise<Record<string, number | string>> {
  const codes: Record<string, number | string> = {};
  if (services.producer) codes.producer = await services.producer.stop(20_000);
  const indexerCodes = await Promise.all(services.indexers.map((slot) => slot.stop(30_000)));
  services.indexers.forEach((slot, i) => {
    codes[slot.label] = indexerCodes[i] as number | string;
  });
  codes.api = await services.api.stop(20_000);
  return codes;
}

async function deleteRunData(options: PipelineOptions, names: PipelineNames): Promise<void> {
  const topics = [names.topic, names.deadLetterTopic, names.cursorTopic, names.gapsTopic];
  await deleteTopics(options.kafkaBrokers, topics).catch(() => undefined);
  await deleteConsumerGroups(options.kafkaBrokers, [names.group]).catch(() => undefined);
  await deleteIndicesWithPrefix(options.elasticsearchUrl, names.prefix).catch(() => undefined);
}

/** Indexers and api first, so the stream starts into a pipeline that is ready for it. */
async function startConsumers(options: PipelineOptions, apiUrl: string, services: Services) {
  await settledGroup(
    () => services.indexers.map((slot) => slot.current),
    Number(options.indexerEnv?.KAFKA_PARTITIONS ?? 6),
  );
  await waitFor(async () => (await fetch(`${apiUrl}/api/health`)).ok, { timeoutMs: 60_000 }).catch(
    (error: unknown) => {
      throw new Error(`the api did not start:\n${services.api.current.tail(10)}`, { cause: error });
    },
  );
}

export async function startPipeline(options: PipelineOptions): Promise<Pipeline> {
  const log = options.log ?? (() => undefined);
  const names = pipelineNames(options.slug);
  const apiPort = await freePort();
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const crashes: Crash[] = [];
  const services: Services = {
    crashes,
    indexers: Array.from(
      { length: options.indexers ?? 3 },
      (_, i) => new Supervised('indexer', `indexer-${i + 1}`, indexerEnv(options, names), crashes),
    ),
    api: new Supervised('api', 'api', apiEnv(options, names, apiPort), crashes),
  };
  let server: ReplayServer | undefined;
  let stopped: Promise<Record<string, number | string>> | undefined;
  let closing: Promise<void> | undefined;
  const stop = () => {
    stopped ??= stopInOrder(services);
    return stopped;
  };
  const close = () => {
    closing ??= stop()
      .catch(() => undefined)
      .then(() => server?.close())
      .then(() => deleteRunData(options, names));
    return closing;
  };
  try {
    log(
      `[e2e] ${options.slug}: starting ${services.indexers.length} indexers and the api (topic ${names.topic})`,
    );
    await startConsumers(options, apiUrl, services);
    server = await startReplayServer(options.replay);
    const streamStartedAt = Date.now();
    const producer = new Supervised(
      'producer',
      'producer',
      producerEnv(options, names, server.url, streamStartedAt - 1000),
      crashes,
    );
    services.producer = producer;
    log(`[e2e] ${options.slug}: streaming from ${server.url}`);
    const indexers = () => services.indexers.map((slot) => slot.current);
    return {
      names,
      server,
      apiUrl,
      streamStartedAt,
      producer: () => producer.current,
      indexers,
      api: () => services.api.current,
      processes: () => [producer.current, ...indexers(), services.api.current],
      killProducer: () => producer.kill(),
      async killIndexer(index) {
        await services.indexers[index % services.indexers.length]?.kill();
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
