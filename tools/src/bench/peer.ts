/*
 * Our indexer against a peer doing the same job in Go (bench/peers/go-indexer: franz-go and
 * go-elasticsearch, at-least-once, _id = meta.id, offsets committed after the bulk succeeded),
 * one process each, on the same events, in alternating rounds. Each consumes the events from a
 * topic of its own into indices of its own made from the same template.
 *
 * Our rate is measured from the moment the events become visible in Kafka to the last document
 * accepted; the peer reports its own rate from its first fetched record to its last commit, which
 * leaves out its fetch wait: a comparison that can only flatter the peer.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@elastic/elasticsearch';
import { deleteIndicesWithPrefix } from '../testing/elasticsearch.ts';
import { REPO_ROOT } from '../testing/fixtures.ts';
import { createTopics, deleteConsumerGroups, deleteTopics, testKafka } from '../testing/kafka.ts';
import { uniqueName } from '../testing/names.ts';
import { waitFor } from '../testing/wait-for.ts';
import { benchEvents, indexerTrial, produceAtOnce, putTemplate } from './indexer.ts';

export interface PeerBenchOptions {
  readonly kafkaBrokers: string;
  readonly elasticsearchUrl: string;
  readonly events?: number;
  readonly rounds?: number;
  readonly log?: (line: string) => void;
}

export interface PeerBenchResult {
  readonly events: number;
  readonly rounds: number;
  /** Medians, events/s. */
  readonly ours: number;
  readonly peer: number;
  /** Median over the rounds of ours / peer measured in the same round. */
  readonly ratio: number;
  readonly ratios: readonly number[];
}

const PEER_DIR = join(REPO_ROOT, 'bench', 'peers', 'go-indexer');

/** Builds the peer once per run; returns the binary. */
export function buildPeer(): string {
  const out = join(mkdtempSync(join(tmpdir(), 'wikistream-go-indexer-')), 'go-indexer');
  const result = spawnSync('go', ['build', '-o', out, '.'], { cwd: PEER_DIR, encoding: 'utf8' });
  if (result.error || result.status !== 0)
    throw new Error(`go build failed: ${result.error?.message ?? ''}${result.stderr ?? ''}`);
  return out;
}

async function groupStable(brokers: string, group: string): Promise<boolean> {
  const admin = testKafka(brokers).admin();
  await admin.connect();
  try {
    const { groups } = await admin.describeGroups([group]);
    return groups[0]?.state === 'Stable' && (groups[0]?.members.length ?? 0) > 0;
  } finally {
    await admin.disconnect();
  }
}

async function peerTrial(
  binary: string,
  options: PeerBenchOptions,
  events: Parameters<typeof produceAtOnce>[2],
): Promise<number> {
  const topic = uniqueName('bench-peer');
  const prefix = uniqueName('bench-peer');
  const group = uniqueName('bench-peer-group');
  const client = new Client({ node: options.elasticsearchUrl });
  await createTopics(options.kafkaBrokers, [{ topic, numPartitions: 6 }]);
  await putTemplate(client, prefix);
  const args = ['-brokers', options.kafkaBrokers, '-topic', topic, '-group', group];
  args.push('-es', options.elasticsearchUrl, '-prefix', prefix, '-expect', String(events.length));
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  try {
    await waitFor(() => groupStable(options.kafkaBrokers, group), {
      timeoutMs: 60_000,
      intervalMs: 250,
      message: 'the peer in its group',
    });
    await produceAtOnce(options.kafkaBrokers, topic, events);
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([
      exited,
      new Promise((resolve) => {
        timer = setTimeout(resolve, 600_000, 'timeout');
      }),
    ]).finally(() => clearTimeout(timer));
    if (code !== 0) throw new Error(`go-indexer ended with ${code}:\n${output.slice(-2000)}`);
    const line = output.split('\n').findLast((entry) => entry.startsWith('{"indexed"'));
    const { indexed, seconds } = JSON.parse(line ?? '{}') as { indexed: number; seconds: number };
    if (indexed < events.length) throw new Error(`the peer indexed ${indexed} of ${events.length}`);
    return indexed / seconds;
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await client.close();
    await deleteTopics(options.kafkaBrokers, [topic]).catch(() => undefined);
    await deleteConsumerGroups(options.kafkaBrokers, [group]).catch(() => undefined);
    await deleteIndicesWithPrefix(options.elasticsearchUrl, prefix).catch(() => undefined);
  }
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

export async function runPeerBench(options: PeerBenchOptions): Promise<PeerBenchResult> {
  const log = options.log ?? (() => undefined);
  const count = options.events ?? 60_000;
  const rounds = options.rounds ?? 3;
  log('[bench:peer] building bench/peers/go-indexer');
  const binary = buildPeer();
  const events = benchEvents(count, uniqueName('bench-peer'));
  const ours: number[] = [];
  const peer: number[] = [];
  for (let round = 1; round <= rounds; round++) {
    const mine = await indexerTrial(options, events, 1);
    ours.push(mine.eventsPerSecond);
    peer.push(await peerTrial(binary, options, events));
    log(
      `[bench:peer] round ${round}: ours ${ours.at(-1)?.toFixed(0)} events/s, Go peer ${peer.at(-1)?.toFixed(0)} events/s`,
    );
  }
  const ratios = ours.map((value, i) => value / (peer[i] as number));
  return { events: count, rounds, ours: median(ours), peer: median(peer), ratio: median(ratios), ratios };
}
