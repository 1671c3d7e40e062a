import { hostname } from 'node:os';
import {
  GenericContainer,
  getContainerRuntimeClient,
  ImageName,
  type StartedTestContainer,
  Wait,
} from 'testcontainers';
import { alive } from '../e2e/process-stats.ts';
import { IMAGES, STAND_IN_LABEL } from '../stack/images.ts';
import { freePort } from './ports.ts';

/** Label of every container the suite starts: `<host>:<pid>` of the run that owns it. */
export const TEST_RUN_LABEL = 'org.wikistream.test-run';

/** True when a Docker (or compatible) engine answers; fails fast when there is none. */
export async function containerRuntimeAvailable(): Promise<boolean> {
  try {
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

export type ImagesCheck =
  | { readonly usable: true; readonly standIns: readonly string[] }
  | { readonly usable: false; readonly reason: string };

/** The engine images are on the engine, or can be pulled now; which of them are local stand-ins. */
export async function engineImages(): Promise<ImagesCheck> {
  const client = await getContainerRuntimeClient();
  const standIns: string[] = [];
  for (const image of [IMAGES.kafka, IMAGES.elasticsearch]) {
    const name = ImageName.fromString(image);
    if (!(await client.image.exists(name))) {
      try {
        await client.image.pull(name);
      } catch (error) {
        return {
          usable: false,
          reason: `${image} is not on the engine and cannot be pulled (${(error as Error).message.split('\n')[0]}); pnpm docker:prepare builds a local stand-in`,
        };
      }
    }
    const labels = (await client.image.inspect(name)).Config?.Labels ?? {};
    if (labels[STAND_IN_LABEL] !== undefined) standIns.push(image);
  }
  return { usable: true, standIns };
}

/**
 * Removes containers that earlier runs on this host left behind (a run killed before its teardown):
 * without Ryuk, nothing else would. A container is left behind when its owning process is gone.
 */
export async function removeLeftoverContainers(): Promise<number> {
  const client = await getContainerRuntimeClient();
  const containers = await client.container.dockerode.listContainers({
    all: true,
    filters: { label: [TEST_RUN_LABEL] },
  });
  let removed = 0;
  for (const info of containers) {
    const [host, pid] = (info.Labels[TEST_RUN_LABEL] ?? '').split(':');
    if (host !== hostname() || alive(Number(pid))) continue;
    await client.container.dockerode
      .getContainer(info.Id)
      .remove({ force: true, v: true })
      .then(() => removed++)
      .catch(() => undefined);
  }
  return removed;
}

export interface StartedContainers {
  readonly kafkaBrokers: string;
  readonly elasticsearchUrl: string;
  stop(): Promise<void>;
}

/**
 * The same engine images as docker-compose.yml, as containers labelled with this run.
 * Kafka listens inside the container on the same port number it is published on, so the
 * advertised address works from the host without knowing the mapping in advance.
 */
export async function startContainers(): Promise<StartedContainers> {
  const labels = { [TEST_RUN_LABEL]: `${hostname()}:${process.pid}` };
  const kafkaPort = await freePort();
  const kafkaStart = new GenericContainer(IMAGES.kafka)
    .withLabels(labels)
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
    .withStartupTimeout(120_000)
    .start();
  const elasticsearchStart = new GenericContainer(IMAGES.elasticsearch)
    .withLabels(labels)
    .withEnvironment({
      'discovery.type': 'single-node',
      'xpack.security.enabled': 'false',
      // As the local engines: a nearly full disk must not turn test indices read-only.
      'cluster.routing.allocation.disk.threshold_enabled': 'false',
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
