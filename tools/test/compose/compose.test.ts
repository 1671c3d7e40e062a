import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type ComposeFacts, checkCompose, initTopics } from '../../src/compose/check-compose.ts';
import { composeFacts } from '../../src/compose/compose-facts.ts';
import { REPO_ROOT } from '../../src/testing/index.ts';

// The mutations below reach deep into the parsed YAML; typing every level would only add noise.
// biome-ignore lint/suspicious/noExplicitAny: parsed YAML of known shape
type Doc = Record<string, any>;

const text = readFileSync(join(REPO_ROOT, 'docker-compose.yml'), 'utf8');
const load = (): Doc => parse(text, { merge: true }) as Doc;

describe('docker-compose.yml', () => {
  let facts: ComposeFacts;
  beforeAll(() => {
    facts = composeFacts(REPO_ROOT);
  });

  it('passes every static check', () => {
    expect(checkCompose(load(), facts)).toEqual([]);
  });

  it('creates the same topics as the services, with the same settings', () => {
    const created = initTopics(load().services['kafka-init'].command);
    expect(Object.keys(created).sort()).toEqual(Object.keys(facts.topics).sort());
    expect(created['wikistream.producer.cursor']).toMatchObject({ 'cleanup.policy': 'compact' });
  });

  const mutations: [string, (doc: Doc) => void, RegExp][] = [
    ['a top-level version key', (d) => (d.version = '3.8'), /obsolete top-level version/],
    [
      'a Kafka tag other than the tested one',
      (d) => (d.services.kafka.image = 'apache/kafka:3.9.0'),
      /kafka: image tag/,
    ],
    [
      'an Elasticsearch tag other than the tested one',
      (d) => (d.services.elasticsearch.image = 'docker.elastic.co/elasticsearch/elasticsearch:8.19.0'),
      /elasticsearch: image tag/,
    ],
    [
      'Kibana on another version',
      (d) => (d.services.kibana.image = 'docker.elastic.co/kibana/kibana:9.0.0'),
      /kibana: image tag/,
    ],
    [
      'a service without image or build',
      (d) => delete d.services.producer.build,
      /producer: has neither image nor build/,
    ],
    ['a missing Dockerfile', (d) => (d.services.api.build.dockerfile = 'Nope.Dockerfile'), /does not exist/],
    ['an unknown build target', (d) => (d.services.api.build.target = 'apx'), /not a stage/],
    [
      'a missing healthcheck',
      (d) => delete d.services.elasticsearch.healthcheck,
      /elasticsearch: no healthcheck/,
    ],
    [
      'a healthcheck not on /readyz',
      (d) => (d.services.indexer.healthcheck.test = ['CMD', 'true']),
      /indexer: healthcheck/,
    ],
    [
      'a container_name on the indexer',
      (d) => (d.services.indexer.container_name = 'indexer'),
      /container_name/,
    ],
    [
      'an indexer publishing a port',
      (d) => (d.services.indexer.ports = ['9102:9102']),
      /indexer: publishes ports/,
    ],
    [
      'Kafka published outside a profile',
      (d) => (d.services.kafka.ports = ['9092:9092']),
      /kafka: publishes ports/,
    ],
    [
      'the api published on every interface',
      (d) => (d.services.api.ports = ['$' + '{API_PORT:-3000}:3000']),
      /api: publishes .* on every interface/,
    ],
    [
      'the api bound to a fixed address instead of API_BIND',
      (d) => (d.services.api.ports = ['0.0.0.0:$' + '{API_PORT:-3000}:3000']),
      /api: must publish \$\{API_BIND:-127\.0\.0\.1\}/,
    ],
    [
      'a profiled service published on every interface',
      (d) => (d.services.kibana.ports = ['5601:5601']),
      /kibana: publishes .* on every interface/,
    ],
    ['an unknown variable', (d) => (d.services.api.environment.APIPORT = '1'), /APIPORT is not a variable/],
    [
      'waiting for health of a service without healthcheck',
      (d) => (d.services.api.depends_on['kafka-init'] = { condition: 'service_healthy' }),
      /kafka-init has no healthcheck/,
    ],
    [
      'depending without a condition',
      (d) => (d.services.producer.depends_on = ['kafka', 'kafka-init']),
      /must state a condition/,
    ],
    [
      'a non-compacted cursor topic',
      (d) =>
        (d.services['kafka-init'].command[0] = d.services['kafka-init'].command[0].replace(
          'cleanup.policy=compact',
          'cleanup.policy=delete',
        )),
      /cleanup.policy=compact/,
    ],
    ['no restart policy', (d) => delete d.services.producer.restart, /producer: no restart policy/],
  ];

  it.each(mutations)('fails with %s', (_name, mutate, problem) => {
    const doc = load();
    mutate(doc);
    expect(checkCompose(doc, facts).join('\n')).toMatch(problem);
  });

  it('fails when a required variable is not given', () => {
    const withRequired: ComposeFacts = {
      ...facts,
      serviceConfig: { ...facts.serviceConfig, producer: [{ variable: 'SECRET_THING', required: true }] },
    };
    expect(checkCompose(load(), withRequired).join('\n')).toMatch(/required variable SECRET_THING/);
  });
});

describe('.env.example', () => {
  it('documents every variable of every service', () => {
    const documented = new Set(
      readFileSync(join(REPO_ROOT, '.env.example'), 'utf8')
        .split('\n')
        .map((line) => /^#? ?([A-Z][A-Z0-9_]*)=/.exec(line)?.[1])
        .filter((name): name is string => name !== undefined),
    );
    const facts = composeFacts(REPO_ROOT);
    const missing = Object.entries(facts.serviceConfig).flatMap(([service, variables]) =>
      variables.filter((v) => !documented.has(v.variable)).map((v) => `${service}: ${v.variable}`),
    );
    expect(missing).toEqual([]);
  });
});
