export {
  elasticsearchDir,
  startElasticsearch,
  stopElasticsearch,
  waitForElasticsearch,
} from './elasticsearch.ts';
export { kafkaDir, startKafka, stopKafka, waitForKafka } from './kafka.ts';
export { type StackPaths, stackPaths } from './paths.ts';
export {
  endpoints,
  engineAddresses,
  type StackEndpoints,
  type StackOptions,
  type StackUpResult,
  stackDown,
  stackOptions,
  stackStatus,
  stackUp,
} from './stack.ts';
export { StackError } from './stack-error.ts';
export { ENGINE_VERSIONS } from './versions.ts';
