import { mkdirSync } from 'node:fs';
import {
  elasticsearchRunning,
  startElasticsearch,
  stopElasticsearch,
  waitForElasticsearch,
} from './elasticsearch.ts';
import { kafkaRunning, startKafka, stopKafka, waitForKafka } from './kafka.ts';
import { type StackPaths, stackPaths } from './paths.ts';
import { ENGINE_VERSIONS } from './versions.ts';

export interface StackOptions extends StackPaths {
  readonly kafkaPort: number;
  readonly kafkaControllerPort: number;
  readonly kafkaHeap: string;
  readonly elasticsearchPort: number;
  readonly elasticsearchTransportPort: number;
  readonly elasticsearchHeap: string;
  readonly readyTimeoutMs: number;
}

export interface StackEndpoints {
  readonly kafkaBrokers: string;
  readonly elasticsearchUrl: string;
}

export interface StackUpResult extends StackEndpoints {
  /** Which engines this call started (false = already running, reused). */
  readonly started: { readonly kafka: boolean; readonly elasticsearch: boolean };
}

export function stackOptions(env: NodeJS.ProcessEnv = process.env): StackOptions {
  const number = (name: string, fallback: number) => (env[name] ? Number(env[name]) : fallback);
  return {
    ...stackPaths(env),
    kafkaPort: number('WIKISTREAM_KAFKA_PORT', 9092),
    kafkaControllerPort: number('WIKISTREAM_KAFKA_CONTROLLER_PORT', 9093),
    kafkaHeap: env.WIKISTREAM_KAFKA_HEAP ?? '512m',
    elasticsearchPort: number('WIKISTREAM_ES_PORT', 9200),
    elasticsearchTransportPort: number('WIKISTREAM_ES_TRANSPORT_PORT', 9300),
    elasticsearchHeap: env.WIKISTREAM_ES_HEAP ?? '1g',
    readyTimeoutMs: number('WIKISTREAM_READY_TIMEOUT_MS', 180_000),
  };
}

export function endpoints(options: StackOptions): StackEndpoints {
  return {
    kafkaBrokers: `localhost:${options.kafkaPort}`,
    elasticsearchUrl: `http://localhost:${options.elasticsearchPort}`,
  };
}

/** The engines the tools address: KAFKA_BROKERS / ELASTICSEARCH_URL when set, else the local stack's. */
export function engineAddresses(env: NodeJS.ProcessEnv = process.env): StackEndpoints {
  const local = endpoints(stackOptions(env));
  return {
    kafkaBrokers: env.KAFKA_BROKERS ?? local.kafkaBrokers,
    elasticsearchUrl: env.ELASTICSEARCH_URL ?? local.elasticsearchUrl,
  };
}

/** Starts whatever is not running yet and waits until both engines answer. Idempotent. */
export async function stackUp(options: StackOptions = stackOptions()): Promise<StackUpResult> {
  mkdirSync(options.cacheDir, { recursive: true });
  mkdirSync(options.stateDir, { recursive: true });
  const urls = endpoints(options);
  const kafka = await startKafka({
    cacheDir: options.cacheDir,
    stateDir: options.stateDir,
    port: options.kafkaPort,
    controllerPort: options.kafkaControllerPort,
    heap: options.kafkaHeap,
  });
  let elasticsearch = false;
  try {
    elasticsearch = await startElasticsearch({
      cacheDir: options.cacheDir,
      stateDir: options.stateDir,
      port: options.elasticsearchPort,
      transportPort: options.elasticsearchTransportPort,
      heap: options.elasticsearchHeap,
    });
    await Promise.all([
      waitForKafka(urls.kafkaBrokers, options.readyTimeoutMs, options.stateDir),
      waitForElasticsearch(urls.elasticsearchUrl, options.readyTimeoutMs, options.stateDir),
    ]);
  } catch (error) {
    if (kafka) await stopKafka(options.stateDir);
    if (elasticsearch) await stopElasticsearch(options.stateDir);
    throw error;
  }
  return { ...urls, started: { kafka, elasticsearch } };
}

/** Stops both engines (SIGTERM, then SIGKILL); idempotent. */
export async function stackDown(
  options: StackPaths = stackPaths(),
  which: { kafka?: boolean; elasticsearch?: boolean } = { kafka: true, elasticsearch: true },
): Promise<{ kafka: boolean; elasticsearch: boolean }> {
  const [kafka, elasticsearch] = await Promise.all([
    which.kafka ? stopKafka(options.stateDir) : false,
    which.elasticsearch ? stopElasticsearch(options.stateDir) : false,
  ]);
  return { kafka, elasticsearch };
}

export function stackStatus(options: StackPaths = stackPaths()) {
  return {
    kafka: { version: ENGINE_VERSIONS.kafka, running: kafkaRunning(options.stateDir) },
    elasticsearch: {
      version: ENGINE_VERSIONS.elasticsearch,
      running: elasticsearchRunning(options.stateDir),
    },
    stateDir: options.stateDir,
    cacheDir: options.cacheDir,
  };
}
