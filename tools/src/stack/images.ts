import { ENGINE_VERSIONS } from './versions.ts';

/**
 * The images wikistream runs, named once: docker-compose.yml, the Dockerfile, the test suite's
 * containers and `pnpm docker:prepare` all use these names (a test checks the first two).
 */
export const IMAGES = Object.freeze({
  kafka: `apache/kafka:${ENGINE_VERSIONS.kafka}`,
  elasticsearch: `docker.elastic.co/elasticsearch/elasticsearch:${ENGINE_VERSIONS.elasticsearch}`,
  kibana: `docker.elastic.co/kibana/kibana:${ENGINE_VERSIONS.elasticsearch}`,
  node: 'node:24-bookworm-slim',
});

/** Every image `pnpm docker:prepare` builds because it could not be pulled carries this label. */
export const STAND_IN_LABEL = 'org.wikistream.stand-in';
