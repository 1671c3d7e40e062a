import { GenericContainer, getContainerRuntimeClient, type StartedTestContainer, Wait } from 'testcontainers';
import { ENGINE_VERSIONS } from '../stack/versions.ts';
import { freePort } from './ports.ts';

/** True when a Docker (or compatible) engine answers; fails fast when there is none. */
export async function containerRuntimeAvailable(): Promise<boolean> {
  try {
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

export interface StartedContainers {
  readonly kafkaBrokers: string;
  readonly elasticsearchUrl: string;
  stop(): Promise<void>;
}

/**
 * The same engine versions as the local stack and docker-compose.yml, as containers.
 * Kafka listens inside the container on the same port number it is published on, so the
 * advertised address works from the host without knowing the mapping in advance.
 */
export async function startContainers(): Promise<StartedContainers> {
  const kafkaPort = await freePort();
  const kafkaStart = new GenericContainer(`apache/kafka:${ENGINE_VERSIONS.kafka}`)
    .withEnvironment({
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_LISTENERS: `PLAINTEXT://:${kafkaPort},CONTROLLER://:9093`,
      KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://localhost:${kafkaPort}`,
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR: '1',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
    })
    .withExposedPorts({ container: kafkaPort, host: kafkaPort })
    .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
    .start();
  const elasticsearchStart = new GenericContainer(
    `docker.elastic.co/elasticsearch/elasticsearch:${ENGINE_VERSIONS.elasticsearch}`,
  )
    .withEnvironment({
      'discovery.type': 'single-node',
      'xpack.security.enabled': 'false',
      ES_JAVA_OPTS: '-Xms1g -Xmx1g',
    })
    .withExposedPorts(9200)
    .withWaitStrategy(Wait.forHttp('/_cluster/health?wait_for_status=yellow', 9200).forStatusCode(200))
    .withStartupTimeout(180_000)
    .start();
  const started = await Promise.allSettled([kafkaStart, elasticsearchStart]);
  const containers = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failure = started.find((result) => result.status === 'rejected');
  if (failure) {
    await Promise.all(containers.map((container) => container.stop()));
    throw failure.reason;
  }
  const [kafka, elasticsearch] = containers as [StartedTestContainer, StartedTestContainer];
  return {
    kafkaBrokers: `localhost:${kafkaPort}`,
    elasticsearchUrl: `http://${elasticsearch.getHost()}:${elasticsearch.getMappedPort(9200)}`,
    async stop() {
      await Promise.all([kafka.stop(), elasticsearch.stop()]);
    },
  };
}
