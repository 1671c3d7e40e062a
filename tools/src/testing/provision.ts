import { stackDown, stackOptions, stackUp } from '../stack/stack.ts';
import { ENGINE_VERSIONS } from '../stack/versions.ts';
import {
  containerRuntimeAvailable,
  engineImages,
  removeLeftoverContainers,
  startContainers,
} from './containers.ts';

export type ProvisionSource = 'environment' | 'containers' | 'local';

export interface ProvisionedServices {
  readonly kafkaBrokers: string;
  readonly elasticsearchUrl: string;
  readonly source: ProvisionSource;
  readonly description: string;
  /** Stops what this provisioning started, nothing else. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Real Kafka and Elasticsearch for tests, in this order of preference:
 * 1. KAFKA_BROKERS and ELASTICSEARCH_URL as given;
 * 2. containers, where a Docker engine answers and has the engine images or can pull them;
 * 3. local engines from Maven Central artifacts (the Docker-free path), reused when already up.
 */
export async function provisionServices(env: NodeJS.ProcessEnv = process.env): Promise<ProvisionedServices> {
  const versions = `Kafka ${ENGINE_VERSIONS.kafka}, Elasticsearch ${ENGINE_VERSIONS.elasticsearch}`;
  if (env.KAFKA_BROKERS && env.ELASTICSEARCH_URL) {
    return {
      kafkaBrokers: env.KAFKA_BROKERS,
      elasticsearchUrl: env.ELASTICSEARCH_URL,
      source: 'environment',
      description: `Kafka at ${env.KAFKA_BROKERS} and Elasticsearch at ${env.ELASTICSEARCH_URL} (from the environment)`,
      stop: async () => undefined,
    };
  }
  let notUsed = '';
  if (await containerRuntimeAvailable()) {
    const images = await engineImages();
    if (images.usable) {
      return startTestContainers(versions, images.standIns, env);
    }
    notUsed = `; containers not used: ${images.reason}`;
  }
  const options = stackOptions(env);
  const up = await stackUp(options);
  let stopped: Promise<unknown> | undefined;
  const reused = !up.started.kafka && !up.started.elasticsearch;
  return {
    kafkaBrokers: up.kafkaBrokers,
    elasticsearchUrl: up.elasticsearchUrl,
    source: 'local',
    description: `${versions} started locally from Maven Central artifacts${reused ? ' (already running, reused)' : ''}${notUsed}`,
    stop: async () => {
      stopped ??= stackDown(options, { kafka: up.started.kafka, elasticsearch: up.started.elasticsearch });
      await stopped;
    },
  };
}

async function startTestContainers(
  versions: string,
  standIns: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<ProvisionedServices> {
  // Stand-ins mean this engine can pull nothing, Ryuk's image included: the suite removes its own
  // containers instead (at teardown, and leftovers of killed runs at the next start).
  const withoutRyuk = standIns.length > 0 && env.TESTCONTAINERS_RYUK_DISABLED === undefined;
  if (withoutRyuk) process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';
  const leftovers = await removeLeftoverContainers();
  const containers = await startContainers();
  let stopped: Promise<void> | undefined;
  const notes = [
    standIns.length > 0 ? `local stand-in images for ${standIns.join(', ')}` : '',
    withoutRyuk ? 'without Ryuk' : '',
    leftovers > 0 ? `${leftovers} leftover container(s) of killed runs removed` : '',
  ].filter(Boolean);
  return {
    ...containers,
    source: 'containers',
    description: `${versions} in containers${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`,
    stop: () => {
      stopped ??= containers.stop();
      return stopped;
    },
  };
}
