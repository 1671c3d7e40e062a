import { stackDown, stackOptions, stackUp } from '../stack/stack.ts';
import { ENGINE_VERSIONS } from '../stack/versions.ts';
import { containerRuntimeAvailable, startContainers } from './containers.ts';

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
 * 2. containers, where a Docker engine answers;
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
  if (await containerRuntimeAvailable()) {
    const containers = await startContainers();
    let stopped: Promise<void> | undefined;
    return {
      ...containers,
      source: 'containers',
      description: `${versions} in containers`,
      stop: () => {
        stopped ??= containers.stop();
        return stopped;
      },
    };
  }
  const options = stackOptions(env);
  const up = await stackUp(options);
  let stopped: Promise<unknown> | undefined;
  const reused = !up.started.kafka && !up.started.elasticsearch;
  return {
    kafkaBrokers: up.kafkaBrokers,
    elasticsearchUrl: up.elasticsearchUrl,
    source: 'local',
    description: `${versions} started locally from Maven Central artifacts${reused ? ' (already running, reused)' : ''}`,
    stop: async () => {
      stopped ??= stackDown(options, { kafka: up.started.kafka, elasticsearch: up.started.elasticsearch });
      await stopped;
    },
  };
}
