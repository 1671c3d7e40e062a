/*
 * Producer benchmark: the replay server at --rate max (in this process) → the producer as its own
 * process → the real broker. Reports events acknowledged by Kafka per second (committed
 * transactions, from the producer's own counter) and the producer's RSS. Goal: ≥ 20,000 events/s.
 *
 *   node --disable-warning=TimeoutNegativeWarning tools/src/bench/producer.ts [--seconds 20]
 *        [--warmup 5] [--compression gzip,none] [--batch-size 2000]
 *
 * Uses KAFKA_BROKERS (default: the local stack); its topics have unique names and are deleted after.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { cpuSeconds, rssMb } from '../e2e/process-stats.ts';
import { startReplayServer } from '../replay/server.ts';
import { serviceCommand } from '../run/service-command.ts';
import { engineAddresses } from '../stack/stack.ts';
import { fixtureFiles } from '../testing/fixtures.ts';
import { deleteTopics } from '../testing/kafka.ts';
import { uniqueName } from '../testing/names.ts';
import { freePort } from '../testing/ports.ts';
import { waitFor } from '../testing/wait-for.ts';

export interface ProducerBenchOptions {
  readonly kafkaBrokers: string;
  readonly seconds?: number;
  readonly warmupSeconds?: number;
  /** Extra producer environment (KAFKA_COMPRESSION, BATCH_SIZE, …). */
  readonly producerEnv?: Readonly<Record<string, string>>;
  readonly log?: (line: string) => void;
}

export interface ProducerBenchResult {
  readonly eventsPerSecond: number;
  readonly events: number;
  readonly seconds: number;
  readonly rssPeakMb: number;
  readonly rssMeanMb: number;
  /** Producer CPU per acknowledged event: what throughput costs, less sensitive to a busy machine. */
  readonly cpuMicrosPerEvent: number;
  readonly settings: Readonly<Record<string, string>>;
}

async function produced(port: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('wikistream_producer_events_produced_total '));
  return Number(line?.split(' ')[1] ?? 0);
}

function spawnProducer(env: Record<string, string>): ChildProcess {
  const { command, args, cwd, env: scriptEnv } = serviceCommand('producer');
  const child = spawn(command, args, {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...scriptEnv, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return child;
}

export async function runProducerBench(options: ProducerBenchOptions): Promise<ProducerBenchResult> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const seconds = options.seconds ?? 20;
  const warmup = options.warmupSeconds ?? 5;
  const topic = uniqueName('bench-producer');
  const topics = [topic, `${topic}.dlq`, `${topic}.cursor`, `${topic}.gaps`];
  const server = await startReplayServer({ files: fixtureFiles(), pacing: { kind: 'max' }, loops: 0 });
  const port = await freePort();
  const settings = { KAFKA_COMPRESSION: 'gzip', ...options.producerEnv };
  const child = spawnProducer({
    KAFKA_BROKERS: options.kafkaBrokers,
    KAFKA_TOPIC: topic,
    KAFKA_CURSOR_TOPIC: `${topic}.cursor`,
    KAFKA_GAPS_TOPIC: `${topic}.gaps`,
    PRODUCER_ID: topic,
    EVENTSTREAMS_URL: server.url,
    METRICS_PORT: String(port),
    LOG_LEVEL: 'warn',
    ...settings,
  });
  try {
    await waitFor(() => produced(port).catch(() => 0), {
      timeoutMs: 60_000,
      message: 'the first committed batch',
    });
    await sleep(warmup * 1000);
    const rss: number[] = [];
    const pid = child.pid as number;
    const gone = (): never => {
      throw new Error('the producer ended during the measurement');
    };
    const cpu = () => cpuSeconds(pid) ?? gone();
    const start = { at: performance.now(), count: await produced(port), cpu: cpu() };
    for (let i = 0; i < seconds; i++) {
      await sleep(1000);
      rss.push(rssMb(pid) ?? gone());
    }
    const end = { at: performance.now(), count: await produced(port), cpu: cpu() };
    const elapsed = (end.at - start.at) / 1000;
    const result = {
      eventsPerSecond: Math.round((end.count - start.count) / elapsed),
      events: end.count - start.count,
      seconds: Math.round(elapsed * 10) / 10,
      rssPeakMb: Math.round(Math.max(...rss)),
      rssMeanMb: Math.round(rss.reduce((a, b) => a + b, 0) / rss.length),
      cpuMicrosPerEvent: Math.round(((end.cpu - start.cpu) * 1e6) / Math.max(end.count - start.count, 1)),
      settings,
    };
    log(
      `producer ${JSON.stringify(settings)}: ${result.eventsPerSecond.toLocaleString('en-US')} events/s acked ` +
        `(${result.events} in ${result.seconds} s), producer CPU ${result.cpuMicrosPerEvent} µs/event, ` +
        `RSS peak ${result.rssPeakMb} MB, mean ${result.rssMeanMb} MB`,
    );
    return result;
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(null)));
    await server.close();
    await deleteTopics(options.kafkaBrokers, topics).catch(() => undefined);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((arg, index) => !(index === 0 && arg === '--')),
    options: {
      seconds: { type: 'string' },
      warmup: { type: 'string' },
      compression: { type: 'string' },
      'batch-size': { type: 'string' },
    },
  });
  const brokers = engineAddresses().kafkaBrokers;
  for (const compression of (values.compression ?? 'gzip').split(',')) {
    await runProducerBench({
      kafkaBrokers: brokers,
      seconds: Number(values.seconds ?? 20),
      warmupSeconds: Number(values.warmup ?? 5),
      producerEnv: {
        KAFKA_COMPRESSION: compression,
        ...(values['batch-size'] ? { BATCH_SIZE: values['batch-size'] } : {}),
      },
    });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
