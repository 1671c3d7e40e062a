import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { elasticsearchYml } from '../../src/stack/elasticsearch.ts';
import { findJava, javaMajor } from '../../src/stack/java.ts';
import { kafkaServerProperties } from '../../src/stack/kafka.ts';
import { stackPaths } from '../../src/stack/paths.ts';
import { engineAddresses } from '../../src/stack/stack.ts';
import { StackError } from '../../src/stack/stack-error.ts';
import { ENGINE_VERSIONS } from '../../src/stack/versions.ts';

function fakeJdk(root: string, name: string, version: string): string {
  const home = join(root, name);
  mkdirSync(join(home, 'bin'), { recursive: true });
  writeFileSync(join(home, 'bin', 'java'), '');
  writeFileSync(join(home, 'release'), `IMPLEMENTOR="x"\nJAVA_VERSION="${version}"\n`);
  return home;
}

describe('engine configuration', () => {
  it('pins Kafka 4.x and Elasticsearch 9.x', () => {
    expect(ENGINE_VERSIONS.kafka).toMatch(/^4\.\d+\.\d+$/);
    expect(ENGINE_VERSIONS.elasticsearch).toMatch(/^9\.\d+\.\d+$/);
  });

  it('runs Kafka as one KRaft node with replication 1 for its internal topics', () => {
    const properties = kafkaServerProperties({
      cacheDir: '/c',
      stateDir: '/s',
      port: 9092,
      controllerPort: 9093,
      heap: '512m',
    });
    expect(properties).toContain('process.roles=broker,controller');
    expect(properties).toContain('controller.quorum.voters=1@127.0.0.1:9093');
    expect(properties).toContain('advertised.listeners=PLAINTEXT://localhost:9092');
    expect(properties).toContain('transaction.state.log.replication.factor=1');
    expect(properties).toContain('offsets.topic.replication.factor=1');
    expect(properties).toContain('log.dirs=/s/kafka/data');
  });

  it('runs Elasticsearch as a single node on loopback without security', () => {
    const yml = elasticsearchYml({
      cacheDir: '/c',
      stateDir: '/s',
      port: 9200,
      transportPort: 9300,
      heap: '1g',
    });
    expect(yml).toContain('discovery.type: single-node');
    expect(yml).toContain('network.host: 127.0.0.1');
    expect(yml).toContain('xpack.security.enabled: false');
    expect(yml).toContain('path.data: /s/elasticsearch/data');
  });

  it('keeps data and downloads in the directories the environment names', () => {
    expect(stackPaths({ WIKISTREAM_CACHE_DIR: '/a', WIKISTREAM_STATE_DIR: '/b' })).toEqual({
      cacheDir: '/a',
      stateDir: '/b',
    });
  });
});

describe('findJava', () => {
  it('reads the major version of old and new JDKs', () => {
    const root = mkdtempSync(join(tmpdir(), 'jdks-'));
    expect(javaMajor(fakeJdk(root, 'jdk8', '1.8.0_392'))).toBe(8);
    expect(javaMajor(fakeJdk(root, 'jdk25', '25.0.1'))).toBe(25);
    expect(javaMajor(join(root, 'missing'))).toBeUndefined();
  });

  it('prefers JAVA_HOME when it is new enough', () => {
    const root = mkdtempSync(join(tmpdir(), 'jdks-'));
    const home = fakeJdk(root, 'jdk21', '21.0.2');
    const found = findJava(21, { JAVA_HOME: home });
    expect(found.major).toBeGreaterThanOrEqual(21);
  });

  it('says what to install when no JDK is new enough', () => {
    expect(() => findJava(99, {})).toThrow(StackError);
    expect(() => findJava(99, {})).toThrow(/install a JDK 99/);
  });
});

describe('engine addresses for the tools', () => {
  it('takes KAFKA_BROKERS and ELASTICSEARCH_URL when set', () => {
    expect(
      engineAddresses({ KAFKA_BROKERS: 'k1:9092,k2:9092', ELASTICSEARCH_URL: 'http://es:9200' }),
    ).toEqual({
      kafkaBrokers: 'k1:9092,k2:9092',
      elasticsearchUrl: 'http://es:9200',
    });
  });

  it("falls back to the local stack's ports, as configured", () => {
    expect(engineAddresses({})).toEqual({
      kafkaBrokers: 'localhost:9092',
      elasticsearchUrl: 'http://localhost:9200',
    });
    expect(engineAddresses({ WIKISTREAM_KAFKA_PORT: '19092', WIKISTREAM_ES_PORT: '19200' })).toEqual({
      kafkaBrokers: 'localhost:19092',
      elasticsearchUrl: 'http://localhost:19200',
    });
  });
});
