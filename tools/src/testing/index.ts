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
export { type ProvisionedServices, provisionServices } from './provision.ts';
