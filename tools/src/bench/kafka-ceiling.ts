/*
 * The raw Kafka produce ceiling on this machine: Kafka's own ProducerPerformance tool (from the
 * same jars the local broker runs) writing records of our median event size, unthrottled, acks=all.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { classifyEvent } from '@wikistream/shared';
import { findJava } from '../stack/java.ts';
import { ensureKafkaJars } from '../stack/maven.ts';
import { stackPaths } from '../stack/paths.ts';
import { fixtureLines } from '../testing/fixtures.ts';
import { createTopics, deleteTopics } from '../testing/kafka.ts';
import { uniqueName } from '../testing/names.ts';

export interface KafkaCeilingOptions {
  readonly kafkaBrokers: string;
  readonly records?: number;
  readonly log?: (line: string) => void;
}

export interface KafkaCeilingResult {
  readonly recordsPerSecond: number;
  readonly mbPerSecond: number;
  readonly avgLatencyMs: number;
  readonly records: number;
  readonly recordSize: number;
  readonly settings: string;
}

/** Median size in bytes of a valid recorded event as compact JSON (what the producer writes). */
export function medianEventSize(): number {
  const sizes: number[] = [];
  for (const { text } of fixtureLines()) {
    const result = classifyEvent(text);
    if (result.ok && !result.canary) sizes.push(Buffer.byteLength(JSON.stringify(JSON.parse(text))));
  }
  sizes.sort((a, b) => a - b);
  return sizes[Math.floor(sizes.length / 2)] ?? 1000;
}

/** "200000 records sent, 51234.5 records/sec (48.90 MB/sec), 310.2 ms avg latency, …" */
export function parseSummary(output: string): {
  recordsPerSecond: number;
  mbPerSecond: number;
  avgLatencyMs: number;
} {
  const match =
    /(\d+) records sent, ([\d.]+) records\/sec \(([\d.]+) MB\/sec\), ([\d.]+) ms avg latency/.exec(
      output.split('\n').findLast((line) => line.includes('records sent')) ?? '',
    );
  if (!match) throw new Error(`no ProducerPerformance summary in:\n${output.slice(-2000)}`);
  return {
    recordsPerSecond: Number(match[2]),
    mbPerSecond: Number(match[3]),
    avgLatencyMs: Number(match[4]),
  };
}

export async function runKafkaCeiling(options: KafkaCeilingOptions): Promise<KafkaCeilingResult> {
  const log = options.log ?? (() => undefined);
  const records = options.records ?? 300_000;
  const recordSize = medianEventSize();
  const libs = ensureKafkaJars(stackPaths().cacheDir);
  const java = join(findJava(17).home, 'bin', 'java');
  const topic = uniqueName('bench-kafka-ceiling');
  await createTopics(options.kafkaBrokers, [{ topic, numPartitions: 6 }]);
  const settings = `acks=all, ${recordSize} B records, 6 partitions, unthrottled, no compression`;
  log(`[bench:kafka] ProducerPerformance: ${records} records, ${settings}`);
  try {
    const child = spawn(
      java,
      [
        '-Xmx512m',
        '-cp',
        join(libs, '*'),
        'org.apache.kafka.tools.ProducerPerformance',
        '--topic',
        topic,
        '--num-records',
        String(records),
        '--record-size',
        String(recordSize),
        '--throughput',
        '-1',
        '--bootstrap-server',
        options.kafkaBrokers,
        '--command-property',
        'acks=all',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    if (code !== 0) throw new Error(`ProducerPerformance exited with ${code}:\n${output.slice(-2000)}`);
    const summary = parseSummary(output);
    log(
      `[bench:kafka] ${summary.recordsPerSecond.toFixed(0)} records/s (${summary.mbPerSecond} MB/s), avg latency ${summary.avgLatencyMs} ms`,
    );
    return { ...summary, records, recordSize, settings };
  } finally {
    await deleteTopics(options.kafkaBrokers, [topic]).catch(() => undefined);
  }
}
