import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import { findJava } from './java.ts';
import { ensureKafkaJars } from './maven.ts';
import { assertPortFree } from './ports.ts';
import { groupAlive, readPid, spawnDetached, stopGroup } from './processes.ts';
import { StackError } from './stack-error.ts';
import { ENGINE_VERSIONS } from './versions.ts';

export interface KafkaOptions {
  readonly cacheDir: string;
  readonly stateDir: string;
  readonly port: number;
  readonly controllerPort: number;
  readonly heap: string;
}

export function kafkaDir(stateDir: string): string {
  return join(stateDir, 'kafka');
}

/** Single node, combined broker + controller (KRaft), replication 1 everywhere. */
export function kafkaServerProperties(options: KafkaOptions): string {
  const dir = kafkaDir(options.stateDir);
  return `${[
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${options.controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${options.port},CONTROLLER://127.0.0.1:${options.controllerPort}`,
    `advertised.listeners=PLAINTEXT://localhost:${options.port}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    `log.dirs=${join(dir, 'data')}`,
    'num.partitions=6',
    // Services create their topics with the settings they need (the cursor topic is compacted).
    'auto.create.topics.enable=false',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=12',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'transaction.state.log.num.partitions=12',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    'log.retention.hours=168',
    'delete.topic.enable=true',
  ].join('\n')}\n`;
}

const LOG4J2 = `${[
  'status = warn',
  'appender.console.type = Console',
  'appender.console.name = STDOUT',
  'appender.console.layout.type = PatternLayout',
  'appender.console.layout.pattern = [%d] %p %m (%c)%n',
  'rootLogger.level = WARN',
  'rootLogger.appenderRef.stdout.ref = STDOUT',
  'logger.kafka.name = kafka.server.KafkaRaftServer',
  'logger.kafka.level = INFO',
].join('\n')}\n`;

function classpath(libs: string): string {
  return join(libs, '*');
}

/** A KRaft cluster id: 16 random bytes, base64url; like Kafka's own, never starting with '-'. */
export function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

export function kafkaRunning(stateDir: string): boolean {
  const pid = readPid(join(kafkaDir(stateDir), 'kafka.pid'));
  return pid !== undefined && groupAlive(pid);
}

/** Starts the broker unless ours is already running; returns true when it was started now. */
export async function startKafka(options: KafkaOptions): Promise<boolean> {
  const dir = kafkaDir(options.stateDir);
  if (kafkaRunning(options.stateDir)) return false;
  await assertPortFree(options.port, 'Kafka');
  const java = findJava(17);
  const libs = ensureKafkaJars(options.cacheDir);
  mkdirSync(join(dir, 'data'), { recursive: true });
  const properties = join(dir, 'server.properties');
  writeFileSync(properties, kafkaServerProperties(options));
  writeFileSync(join(dir, 'log4j2.properties'), LOG4J2);
  const javaBin = join(java.home, 'bin', 'java');
  const log4j = `-Dlog4j2.configurationFile=${join(dir, 'log4j2.properties')}`;
  if (!existsSync(join(dir, 'data', 'meta.properties'))) {
    const clusterId = newClusterId();
    const format = spawnSync(
      javaBin,
      [
        log4j,
        '-cp',
        classpath(libs),
        'kafka.tools.StorageTool',
        'format',
        `--cluster-id=${clusterId}`,
        '-c',
        properties,
      ],
      { encoding: 'utf8' },
    );
    if (format.status !== 0) {
      throw new StackError(`formatting Kafka storage failed:\n${format.stdout}${format.stderr}`);
    }
  }
  spawnDetached({
    command: javaBin,
    args: [
      `-Xms${options.heap}`,
      `-Xmx${options.heap}`,
      '-XX:+UseG1GC',
      '-XX:MaxGCPauseMillis=20',
      '-Djava.awt.headless=true',
      log4j,
      `-Dkafka.logs.dir=${dir}`,
      '-cp',
      classpath(libs),
      'kafka.Kafka',
      properties,
    ],
    env: { ...process.env, JAVA_HOME: java.home },
    cwd: dir,
    logFile: join(dir, 'kafka.log'),
    pidFile: join(dir, 'kafka.pid'),
  });
  return true;
}

/** Waits until the broker answers metadata requests. */
export async function waitForKafka(brokers: string, timeoutMs: number, stateDir?: string): Promise<void> {
  const kafka = new Kafka({
    clientId: 'wikistream-stack',
    brokers: [brokers],
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
    connectionTimeout: 1000,
  });
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (stateDir && !kafkaRunning(stateDir)) {
      throw new StackError(`Kafka exited during start-up; see ${join(kafkaDir(stateDir), 'kafka.log')}`);
    }
    const admin = kafka.admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      if (cluster.brokers.length > 0 && cluster.controller !== null) return;
    } catch (error) {
      lastError = error;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    await sleep(250);
  }
  throw new StackError(`Kafka at ${brokers} did not answer within ${timeoutMs} ms`, { cause: lastError });
}

export async function stopKafka(stateDir: string): Promise<boolean> {
  return stopGroup(join(kafkaDir(stateDir), 'kafka.pid'), 20_000);
}

export const KAFKA_VERSION = ENGINE_VERSIONS.kafka;
