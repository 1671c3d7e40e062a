import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StackError } from './stack-error.ts';
import { ENGINE_VERSIONS } from './versions.ts';

/**
 * The engines come from Maven Central through `mvn`, so only the registry has to be reachable.
 * Each resolved directory gets a `.complete` marker; a half-done download is redone.
 */
const DEPENDENCY_PLUGIN = `org.apache.maven.plugins:maven-dependency-plugin:${ENGINE_VERSIONS.mavenDependencyPlugin}`;

function requireMaven(): void {
  const probe = spawnSync('mvn', ['--version'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) {
    throw new StackError(
      'Maven (mvn) not found: install it (e.g. apt-get install maven) or set KAFKA_BROKERS and ELASTICSEARCH_URL',
    );
  }
}

function runMaven(args: string[], cwd: string, what: string): void {
  const result = spawnSync('mvn', ['-B', '-q', ...args], { cwd, encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
    throw new StackError(`mvn failed while resolving ${what}:\n${output}`, { cause: result.error });
  }
}

function dependency(coordinates: string): string {
  const [groupId, artifactId, version] = coordinates.split(':');
  return `<dependency><groupId>${groupId}</groupId><artifactId>${artifactId}</artifactId><version>${version}</version></dependency>`;
}

/** The Kafka broker (KRaft), its tools (ProducerPerformance) and the Log4j 2 binding it logs through. */
export function kafkaArtifacts(): string[] {
  const v = ENGINE_VERSIONS;
  return [
    `org.apache.kafka:kafka_${v.scala}:${v.kafka}`,
    `org.apache.kafka:kafka-tools:${v.kafka}`,
    `org.apache.logging.log4j:log4j-core:${v.log4j}`,
    `org.apache.logging.log4j:log4j-slf4j2-impl:${v.log4j}`,
    `org.slf4j:slf4j-api:${v.slf4j}`,
  ];
}

/** Resolves Kafka's runtime classpath into `<cacheDir>/kafka-<ver>/libs`; returns that directory. */
export function ensureKafkaJars(cacheDir: string): string {
  const home = join(cacheDir, `kafka-${ENGINE_VERSIONS.kafka}`);
  const libs = join(home, 'libs');
  if (existsSync(join(home, '.complete'))) return libs;
  requireMaven();
  rmSync(home, { recursive: true, force: true });
  mkdirSync(home, { recursive: true });
  const pom = `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>wikistream</groupId><artifactId>local-kafka</artifactId><version>1</version><packaging>pom</packaging>
  <dependencies>${kafkaArtifacts().map(dependency).join('')}</dependencies>
</project>\n`;
  writeFileSync(join(home, 'pom.xml'), pom);
  runMaven(
    [`${DEPENDENCY_PLUGIN}:copy-dependencies`, `-DoutputDirectory=${libs}`, '-DincludeScope=runtime'],
    home,
    `Kafka ${ENGINE_VERSIONS.kafka}`,
  );
  // Two SLF4J APIs on the classpath would pick one at random; keep the 2.x one.
  for (const jar of readdirSync(libs)) {
    if (/^slf4j-api-1\./.test(jar)) rmSync(join(libs, jar));
  }
  writeFileSync(join(home, '.complete'), new Date().toISOString());
  return libs;
}

/** Unpacks Elastic's official integ-test-zip distribution; returns its home directory. */
export function ensureElasticsearchDistribution(cacheDir: string): string {
  const version = ENGINE_VERSIONS.elasticsearch;
  const root = join(cacheDir, `elasticsearch-dist-${version}`);
  const home = join(root, `elasticsearch-${version}`);
  if (existsSync(join(root, '.complete'))) return home;
  requireMaven();
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  runMaven(
    [
      `${DEPENDENCY_PLUGIN}:unpack`,
      `-Dartifact=org.elasticsearch.distribution.integ-test-zip:elasticsearch:${version}:zip`,
      `-DoutputDirectory=${root}`,
    ],
    root,
    `Elasticsearch ${version}`,
  );
  if (!existsSync(join(home, 'bin', 'elasticsearch'))) {
    throw new StackError(`the Elasticsearch ${version} archive did not contain bin/elasticsearch`);
  }
  for (const script of readdirSync(join(home, 'bin'))) chmodSync(join(home, 'bin', script), 0o755);
  writeFileSync(join(root, '.complete'), new Date().toISOString());
  return home;
}
