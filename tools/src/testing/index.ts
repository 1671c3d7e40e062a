// How a test starts a service: the same `start` script the images and `pnpm start` run.
export { type ServiceName, serviceCommand } from '../run/service-command.ts';
export { createTestIndexPrefix, deleteIndicesWithPrefix, testElasticsearch } from './elasticsearch.ts';
export {
  type FixtureLine,
  fixtureEvents,
  fixtureFiles,
  fixtureLines,
  fixturesDir,
  REPO_ROOT,
} from './fixtures.ts';
export { createTestTopic, createTopics, deleteConsumerGroups, deleteTopics, testKafka } from './kafka.ts';
export { uniqueName } from './names.ts';
export { freePort, freePorts } from './ports.ts';
export { type PrivateEngine, startPrivateElasticsearch, startPrivateKafka } from './private-engines.ts';
export { type ProvisionedServices, provisionServices } from './provision.ts';
export { forEachRecord, readTopic } from './read-topic.ts';
export { retime, type SeedEvent, seedDocuments, seededRandom, validFixtureEvents } from './seed.ts';
export { startTcpProxy, type TcpProxy } from './tcp-proxy.ts';
export { waitFor } from './wait-for.ts';
