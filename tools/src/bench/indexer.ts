/*
 * Indexer benchmark, on the same documents in one run:
 *   (a) the raw Elasticsearch bulk ceiling: a direct _bulk loader (pre-serialized bodies, `index` with
 *       _id = meta.id, same template) over a grid of batch sizes and concurrencies — the best wins;
 *   (b) the indexer as a separate process consuming the same events from Kafka, with one and with three
 *       processes in one group.
 * Prints events/s for each and the ratio indexer / raw ceiling (goal ≥ 0.9).
 *
 *   node --disable-warning=TimeoutNegativeWarning tools/src/bench/indexer.ts [--events 150000]
 *        [--batches 1000,2000,5000] [--concurrency 1,2,4] [--rounds 5] [--warmup 30000]
 *
 * Uses KAFKA_BROKERS / ELASTICSEARCH_URL (defaults: the local stack); every topic, group and index
 * it creates has a unique name and is deleted afterwards.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { Client } from '@elastic/elasticsearch';
import {
  dailyIndexName,
  HEADERS,
  indexTemplate,
  indexTemplateName,
  type Provenance,
  type RecentChangeEvent,
  toDocument,
} from '@wikistream/shared';
import { serviceCommand } from '../run/service-command.ts';
import { engineAddresses } from '../stack/stack.ts';
import { deleteIndicesWithPrefix } from '../testing/elasticsearch.ts';
import { fixtureEvents } from '../testing/fixtures.ts';
import { createTopics, deleteConsumerGroups, deleteTopics, testKafka } from '../testing/kafka.ts';
import { uniqueName } from '../testing/names.ts';
import { waitFor } from '../testing/wait-for.ts';
import type { CpuSplitOutcome, EngineCpu } from './cpu-split.ts';

export interface IndexerBenchOptions {
  readonly elasticsearchUrl: string;
  readonly kafkaBrokers: string;
  readonly events?: number;
  readonly batchSizes?: readonly number[];
  readonly concurrencies?: readonly number[];
  /** Alternating rounds of (raw ceiling, indexer x1, indexer x3) after the grid (default 5); medians are reported. */
  readonly rounds?: number;
  /**
   * Events each indexer process indexes, untimed, before its trial starts (default 30,000; 0 for
   * cold processes). Indexers run for days: a trial of a few seconds from a cold start would mostly
   * measure each process compiling its hot code and growing its heap, a cost three processes pay
   * three times.
   */
  readonly warmupPerProcess?: number;
  /** Extra environment for the indexer processes (e.g. BULK_CHUNK_SIZE) to compare settings. */
  readonly indexerEnv?: Readonly<Record<string, string>>;
  /**
   * When given, the grid and the rounds (without the three-process trial) run again with
   * Elasticsearch on a core of its own (see cpu-split.ts).
   */
  readonly cpuSplit?: () => CpuSplitOutcome;
  /** CPU seconds used so far by the engines' processes, where they can be read (the local stack). */
  readonly engineCpu?: () => EngineCpu;
  readonly log?: (line: string) => void;
}

/** The engines' CPU time per 1,000 events during a trial, where it can be read (the local stack). */
interface EngineCpuDuring {
  readonly elasticsearchCpuMsPerThousand?: number;
  readonly kafkaCpuMsPerThousand?: number;
}

export interface RawTrial extends EngineCpuDuring {
  readonly batchSize: number;
  readonly concurrency: number;
  readonly eventsPerSecond: number;
}

export interface IndexerTrial extends EngineCpuDuring {
  readonly eventsPerSecond: number;
  /** CPU time of the indexer process(es) per 1,000 events. */
  readonly cpuMsPerThousand: number;
  /** The largest share of the trial's events one process indexed (1 for a single process). */
  readonly busiestShare: number;
}

/** CPU ms per 1,000 events of each engine between two readings. */
function enginePerThousand(
  before: EngineCpu | undefined,
  after: EngineCpu | undefined,
  events: number,
): EngineCpuDuring {
  if (before === undefined || after === undefined) return {};
  const perThousand = (seconds: number) => Math.round(((seconds * 1_000_000) / events) * 10) / 10;
  return {
    elasticsearchCpuMsPerThousand: perThousand(after.elasticsearch - before.elasticsearch),
    kafkaCpuMsPerThousand: perThousand(after.kafka - before.kafka),
  };
}

/** Medians over the paired rounds of one CPU arrangement. */
export interface RoundFigures {
  /** The best grid setting, re-measured in each round: median events/s. */
  readonly rawBest: RawTrial;
  readonly indexerOne: number;
  readonly indexerCpuMsPerThousand: number;
  readonly engineCpuMsPerThousand?: EngineCpuPerThousand;
  /** Median over the rounds of indexer x1 / raw ceiling measured in the same round (paired: the machine's load drifts). */
  readonly ratio: number;
  readonly ratios: readonly number[];
  readonly indexerThree: number;
  /** CPU time of the three processes together per 1,000 events. */
  readonly indexerThreeCpuMsPerThousand: number;
  /** The largest share of a trial's events one of the three indexed (median; a third when even). */
  readonly indexerThreeBusiestShare?: number;
  /** Median over the rounds of indexer x3 / indexer x1, paired the same way. */
  readonly threeVsOne: number;
  readonly threeVsOnes: readonly number[];
}

export interface IndexerBenchResult extends RoundFigures {
  readonly events: number;
  /** CPUs the benchmark ran on (every process shared them in the first part). */
  readonly cores?: number;
  /** The grid: every batch size × concurrency tried once. */
  readonly raw: readonly RawTrial[];
  readonly rounds: number;
  /** Events each indexer process indexed, untimed, before each trial. */
  readonly warmupPerProcess: number;
  /** The same with Elasticsearch on a core of its own, or why that could not be set up. */
  readonly dedicated?: DedicatedCoreResult | { readonly unavailable: string };
}

/** The engines' CPU per 1,000 events (medians over the rounds). */
export interface EngineCpuPerThousand {
  /** Elasticsearch under the raw loader. */
  readonly elasticsearchRaw: number;
  /** Elasticsearch while one indexer wrote to it. */
  readonly elasticsearch: number;
  /** Kafka's broker while one indexer read from it. */
  readonly kafka: number;
  /** Elasticsearch and Kafka's broker while three indexer processes wrote and read. */
  readonly elasticsearchThree?: number;
  readonly kafkaThree?: number;
}

export interface DedicatedCoreResult extends RoundFigures {
  /** Which CPUs ran what. */
  readonly cpus: string;
  readonly raw: readonly RawTrial[];
}

/**
 * The recorded fixtures looped to `count` events with new deterministic ids, timed within the 20 hours
 * before `now`.
 */
export function benchEvents(count: number, run: string, now = Date.now()): RecentChangeEvent[] {
  const fixtures = fixtureEvents() as unknown as RecentChangeEvent[];
  return Array.from({ length: count }, (_, n) => {
    const base = fixtures[n % fixtures.length] as RecentChangeEvent;
    const time = now - Math.floor(((count - n) / count) * 20 * 3600 * 1000);
    const id = createHash('sha1').update(`${run}:${n}`).digest('hex');
    return {
      ...base,
      meta: { ...base.meta, id, dt: new Date(time).toISOString() },
      timestamp: Math.floor(time / 1000),
    };
  });
}

export async function putTemplate(client: Client, prefix: string): Promise<void> {
  await client.indices.putIndexTemplate({ name: indexTemplateName(prefix), ...indexTemplate({ prefix }) });
}

/**
 * Provenance like the indexer writes for the `n`th of the benchmark's events (they are keyed by id,
 * so they spread over six partitions): its partition and offset there, a receipt time per 2,000
 * events (the benchmark produces in sends of 2,000) and an index time per bulk of 1,000, 40 ms apart
 * (about the indexer's pace). Constant values would be cheaper for Elasticsearch to index than the
 * indexer's documents, and the loader is to write the same documents.
 */
export function loaderProvenance(n: number, start: number): Provenance {
  return {
    kafkaPartition: n % 6,
    kafkaOffset: String(Math.floor(n / 6)),
    receivedAt: start + Math.floor(n / 2000) * 15,
    indexedAt: start + 5000 + Math.floor(n / 1000) * 40,
  };
}

/** Pre-serialized bulk bodies of `batchSize` documents each (built outside the timed part). */
function bulkBodies(events: readonly RecentChangeEvent[], prefix: string, batchSize: number): string[] {
  const bodies: string[] = [];
  const start = Date.now();
  for (let i = 0; i < events.length; i += batchSize) {
    let body = '';
    events.slice(i, i + batchSize).forEach((event, j) => {
      const document = toDocument(event, loaderProvenance(i + j, start));
      body += `${JSON.stringify({ index: { _index: dailyIndexName(prefix, event.meta.dt), _id: event.meta.id } })}\n`;
      body += `${JSON.stringify(document)}\n`;
    });
    bodies.push(body);
  }
  return bodies;
}

export async function rawTrial(
  client: Client,
  options: IndexerBenchOptions,
  events: readonly RecentChangeEvent[],
  batchSize: number,
  concurrency: number,
): Promise<RawTrial> {
  const url = options.elasticsearchUrl;
  const prefix = uniqueName('bench-raw');
  try {
    await putTemplate(client, prefix);
    const bodies = bulkBodies(events, prefix, batchSize);
    let next = 0;
    const engineBefore = options.engineCpu?.();
    const started = performance.now();
    const worker = async () => {
      for (let body = bodies[next++]; body !== undefined; body = bodies[next++]) {
        const response = (await client.transport.request({
          method: 'POST',
          path: '/_bulk',
          querystring: { filter_path: 'errors,items.*.error' },
          bulkBody: body,
        })) as { errors: boolean; items?: unknown[] };
        if (response.errors) throw new Error(`bulk failed: ${JSON.stringify(response.items?.[0])}`);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const seconds = (performance.now() - started) / 1000;
    return {
      batchSize,
      concurrency,
      eventsPerSecond: events.length / seconds,
      ...enginePerThousand(engineBefore, options.engineCpu?.(), events.length),
    };
  } finally {
    await deleteIndicesWithPrefix(url, prefix);
  }
}

/**
 * Writes every event in one transaction: read-committed consumers see them all at the same moment.
 * Keyed by `meta.id`, not by page as the producer keys (`eventKey`): the 6,105 recorded events looped
 * to 150,000 repeat each page 25 times, which left 35.3 % of the events on one of three members' two
 * partitions; the pages of a day of live traffic spread evenly. The indexer does not read keys.
 */
export async function produceAtOnce(
  brokers: string,
  topic: string,
  events: readonly RecentChangeEvent[],
): Promise<number> {
  const producer = testKafka(brokers, 'wikistream-bench').producer({
    transactionalId: uniqueName('bench-indexer-tx'),
    idempotent: true,
    maxInFlightRequests: 1,
  });
  await producer.connect();
  try {
    const transaction = await producer.transaction();
    for (let i = 0; i < events.length; i += 2000) {
      await transaction.send({
        topic,
        messages: events.slice(i, i + 2000).map((event) => ({
          key: event.meta.id,
          value: JSON.stringify(event),
          headers: { [HEADERS.receivedAt]: String(Date.now()) },
        })),
      });
    }
    await transaction.commit();
    return Date.now();
  } finally {
    await producer.disconnect();
  }
}

interface BenchProcess {
  readonly child: ChildProcess;
  port(): Promise<number>;
  /** Partitions it owns after its latest assignment; undefined before the first one. */
  partitions(): number | undefined;
  metric(name: string): Promise<number>;
}

function spawnIndexer(env: Record<string, string>): BenchProcess {
  const { command, args, cwd, env: scriptEnv } = serviceCommand('indexer');
  const child = spawn(command, args, {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...scriptEnv, METRICS_PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let port: number | undefined;
  let partitions: number | undefined;
  let buffered = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      if (line.includes('"metrics listening"')) port = JSON.parse(line).port as number;
      if (line.includes('"partitions assigned"'))
        partitions = (JSON.parse(line).partitions as number[]).length;
    }
  });
  const bound = () => waitFor(() => port, { timeoutMs: 30_000, message: 'indexer metrics port' });
  return {
    child,
    port: bound,
    partitions: () => partitions,
    async metric(name) {
      const text = await (await fetch(`http://127.0.0.1:${await bound()}/metrics`)).text();
      const line = text.split('\n').find((entry) => entry.startsWith(`${name} `));
      return line === undefined ? 0 : Number(line.split(' ')[1]);
    },
  };
}

/**
 * Events/s of `processes` indexers in one group: the group is formed on an empty topic first, then
 * every event appears at once (one transaction); the clock stops at the last document accepted.
 * `warmup` events, when given, are indexed first and untimed, so the trial measures processes that
 * have compiled their hot code and sized their heaps, as long-running indexers have; they are dated
 * days earlier, so they land in daily indices of their own.
 */
export async function indexerTrial(
  options: IndexerBenchOptions,
  events: readonly RecentChangeEvent[],
  processes: number,
  warmup: readonly RecentChangeEvent[] = [],
): Promise<IndexerTrial> {
  const topic = uniqueName('bench-indexer');
  const prefix = uniqueName('bench-indexer');
  const group = uniqueName('bench-indexer-group');
  await createTopics(options.kafkaBrokers, [{ topic, numPartitions: 6 }]);
  const env = {
    KAFKA_BROKERS: options.kafkaBrokers,
    KAFKA_TOPIC: topic,
    KAFKA_GROUP_ID: group,
    ELASTICSEARCH_URL: options.elasticsearchUrl,
    ES_INDEX_PREFIX: prefix,
    ...options.indexerEnv,
  };
  const running = Array.from({ length: processes }, () => spawnIndexer(env));
  const sum = async (read: (indexer: BenchProcess) => Promise<number>) =>
    (await Promise.all(running.map(read))).reduce((a, b) => a + b, 0);
  try {
    await Promise.all(running.map((indexer) => indexer.port()));
    await waitFor(() => running.reduce((total, indexer) => total + (indexer.partitions() ?? -99), 0) === 6, {
      timeoutMs: 60_000,
      message: 'a stable group owning every partition',
    });
    const cpu = () => sum((indexer) => indexer.metric('wikistream_indexer_process_cpu_seconds_total'));
    const indexedBy = () =>
      Promise.all(running.map((indexer) => indexer.metric('wikistream_indexer_indexed_total')));
    const indexed = (count: number) =>
      waitFor(async () => (await indexedBy()).reduce((a, b) => a + b, 0) >= count, {
        timeoutMs: 600_000,
        intervalMs: 500,
        message: `${count} events indexed`,
      });
    if (warmup.length > 0) {
      await produceAtOnce(options.kafkaBrokers, topic, warmup);
      await indexed(warmup.length);
    }
    const cpuBefore = await cpu();
    const indexedBefore = await indexedBy();
    const engineBefore = options.engineCpu?.();
    const visibleAt = await produceAtOnce(options.kafkaBrokers, topic, events);
    await indexed(warmup.length + events.length);
    const engineAfter = options.engineCpu?.();
    const shares = (await indexedBy()).map((count, i) => (count - (indexedBefore[i] ?? 0)) / events.length);
    const last = Math.max(
      ...(await Promise.all(
        running.map((indexer) => indexer.metric('wikistream_indexer_last_indexed_timestamp_seconds')),
      )),
    );
    return {
      eventsPerSecond: events.length / (last - visibleAt / 1000),
      cpuMsPerThousand: (((await cpu()) - cpuBefore) * 1_000_000) / events.length,
      busiestShare: Math.max(...shares),
      ...enginePerThousand(engineBefore, engineAfter, events.length),
    };
  } finally {
    await Promise.all(
      running.map(
        (indexer) =>
          new Promise<void>((resolve) => {
            indexer.child.once('exit', () => resolve());
            indexer.child.kill('SIGTERM');
          }),
      ),
    );
    await deleteTopics(options.kafkaBrokers, [topic, `${topic}.dlq`]);
    await deleteConsumerGroups(options.kafkaBrokers, [group]);
    await deleteIndicesWithPrefix(options.elasticsearchUrl, prefix);
  }
}

/** Every batch size × concurrency once: the best setting is the one re-measured in the rounds. */
async function rawGrid(
  client: Client,
  options: IndexerBenchOptions,
  events: readonly RecentChangeEvent[],
  label: string,
): Promise<{ raw: RawTrial[]; best: RawTrial }> {
  const raw: RawTrial[] = [];
  for (const batchSize of options.batchSizes ?? [1000, 2000, 5000]) {
    for (const concurrency of options.concurrencies ?? [1, 2, 4]) {
      const trial = await rawTrial(client, options, events, batchSize, concurrency);
      options.log?.(
        `[bench:indexer] ${label}raw bulk ${batchSize} x ${concurrency}: ${trial.eventsPerSecond.toFixed(0)} events/s`,
      );
      raw.push(trial);
    }
  }
  return {
    raw,
    best: raw.reduce((top, trial) => (trial.eventsPerSecond > top.eventsPerSecond ? trial : top)),
  };
}

/** The median of figures every trial could read (the engines' CPU), else undefined. */
export function medianWhenMeasured(values: readonly (number | undefined)[]): number | undefined {
  return values.length > 0 && values.every((value) => value !== undefined)
    ? median(values as number[])
    : undefined;
}

/** Medians of the engines' CPU per 1,000 events, when every trial could read it. */
function engineMedians(
  raw: readonly RawTrial[],
  ones: readonly IndexerTrial[],
  threes: readonly IndexerTrial[],
): { engineCpuMsPerThousand?: EngineCpuPerThousand } {
  const elasticsearchRaw = medianWhenMeasured(raw.map((trial) => trial.elasticsearchCpuMsPerThousand));
  const elasticsearch = medianWhenMeasured(ones.map((trial) => trial.elasticsearchCpuMsPerThousand));
  const kafka = medianWhenMeasured(ones.map((trial) => trial.kafkaCpuMsPerThousand));
  if (elasticsearchRaw === undefined || elasticsearch === undefined || kafka === undefined) return {};
  const elasticsearchThree = medianWhenMeasured(threes.map((trial) => trial.elasticsearchCpuMsPerThousand));
  const kafkaThree = medianWhenMeasured(threes.map((trial) => trial.kafkaCpuMsPerThousand));
  return {
    engineCpuMsPerThousand: {
      elasticsearchRaw,
      elasticsearch,
      kafka,
      ...(elasticsearchThree === undefined || kafkaThree === undefined
        ? {}
        : { elasticsearchThree, kafkaThree }),
    },
  };
}

/**
 * Paired rounds per CPU arrangement, unless told otherwise: single trials on a 2-core machine spread
 * by up to ±15 % (one indexer trial among steady ones ran at 0.74 of its raw pair), and a median of
 * five is not moved by two such trials.
 */
const DEFAULT_ROUNDS = 5;
/** Untimed events each indexer process indexes before a trial, unless told otherwise. */
const DEFAULT_WARMUP = 30_000;
const DAY_MS = 24 * 3600 * 1000;

/**
 * Rounds of (raw loader at its best setting, indexer ×1, indexer ×3), paired by round: the machine's
 * load drifts. The figures are medians over the rounds. `warmup` holds `perProcess` events for each
 * of three processes.
 */
async function rounds(
  client: Client,
  options: IndexerBenchOptions,
  events: readonly RecentChangeEvent[],
  best: RawTrial,
  label: string,
  warmup: { readonly events: readonly RecentChangeEvent[]; readonly perProcess: number },
): Promise<RoundFigures> {
  const raws: RawTrial[] = [];
  const ones: IndexerTrial[] = [];
  const threes: IndexerTrial[] = [];
  for (let round = 1; round <= (options.rounds ?? DEFAULT_ROUNDS); round++) {
    raws.push(await rawTrial(client, options, events, best.batchSize, best.concurrency));
    ones.push(await indexerTrial(options, events, 1, warmup.events.slice(0, warmup.perProcess)));
    threes.push(await indexerTrial(options, events, 3, warmup.events));
    options.log?.(
      `[bench:indexer] ${label}round ${round}: raw ${raws.at(-1)?.eventsPerSecond.toFixed(0)}, ` +
        `indexer x1 ${ones.at(-1)?.eventsPerSecond.toFixed(0)}, x3 ${threes.at(-1)?.eventsPerSecond.toFixed(0)} events/s`,
    );
  }
  const ratios = ones.map((one, i) => one.eventsPerSecond / (raws[i]?.eventsPerSecond ?? Number.NaN));
  const threeVsOnes = ones.map((one, i) => (threes[i]?.eventsPerSecond ?? Number.NaN) / one.eventsPerSecond);
  return {
    rawBest: { ...best, eventsPerSecond: median(raws.map((trial) => trial.eventsPerSecond)) },
    indexerOne: median(ones.map((trial) => trial.eventsPerSecond)),
    indexerCpuMsPerThousand: median(ones.map((trial) => trial.cpuMsPerThousand)),
    ...engineMedians(raws, ones, threes),
    ratio: median(ratios),
    ratios,
    indexerThree: median(threes.map((trial) => trial.eventsPerSecond)),
    indexerThreeCpuMsPerThousand: median(threes.map((trial) => trial.cpuMsPerThousand)),
    indexerThreeBusiestShare: median(threes.map((trial) => trial.busiestShare)),
    threeVsOne: median(threeVsOnes),
    threeVsOnes,
  };
}

export async function runIndexerBench(options: IndexerBenchOptions): Promise<IndexerBenchResult> {
  const count = options.events ?? 150_000;
  const events = benchEvents(count, uniqueName('bench-indexer'));
  const perProcess = options.warmupPerProcess ?? DEFAULT_WARMUP;
  // Dated days earlier: the warm-up lands in daily indices of its own.
  const warmup = {
    events: benchEvents(perProcess * 3, uniqueName('bench-warmup'), Date.now() - 3 * DAY_MS),
    perProcess,
  };
  const client = new Client({ node: options.elasticsearchUrl, requestTimeout: 120_000 });
  try {
    const shared = await rawGrid(client, options, events, '');
    const result = {
      events: count,
      cores: availableParallelism(),
      raw: shared.raw,
      ...(await rounds(client, options, events, shared.best, '', warmup)),
      rounds: options.rounds ?? DEFAULT_ROUNDS,
      warmupPerProcess: perProcess,
    };
    if (options.cpuSplit === undefined) return result;
    const outcome = options.cpuSplit();
    if ('unavailable' in outcome) {
      options.log?.(`[bench:indexer] no CPU split: ${outcome.unavailable}`);
      return { ...result, dedicated: { unavailable: outcome.unavailable } };
    }
    options.log?.(`[bench:indexer] ${outcome.split.description}`);
    try {
      const grid = await rawGrid(client, options, events, 'split: ');
      const split = await rounds(client, options, events, grid.best, 'split: ', warmup);
      return { ...result, dedicated: { cpus: outcome.split.description, raw: grid.raw, ...split } };
    } finally {
      outcome.split.restore();
    }
  } finally {
    await client.close();
  }
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      events: { type: 'string' },
      batches: { type: 'string' },
      concurrency: { type: 'string' },
      rounds: { type: 'string' },
      warmup: { type: 'string' },
    },
  });
  const numbers = (text: string | undefined) => text?.split(',').map(Number);
  const result = await runIndexerBench({
    ...engineAddresses(),
    ...(values.events ? { events: Number(values.events) } : {}),
    ...(values.batches ? { batchSizes: numbers(values.batches) } : {}),
    ...(values.concurrency ? { concurrencies: numbers(values.concurrency) } : {}),
    ...(values.rounds ? { rounds: Number(values.rounds) } : {}),
    ...(values.warmup ? { warmupPerProcess: Number(values.warmup) } : {}),
    log: (line) => process.stdout.write(`${line}\n`),
  });
  const { rawBest } = result;
  process.stdout.write(
    [
      '',
      `events per run                 ${result.events} (medians of ${result.rounds} rounds)`,
      `raw bulk ceiling               ${rawBest.eventsPerSecond.toFixed(0)} events/s (batch ${rawBest.batchSize}, concurrency ${rawBest.concurrency})`,
      `indexer, 1 process             ${result.indexerOne.toFixed(0)} events/s (${result.indexerCpuMsPerThousand.toFixed(0)} ms CPU per 1,000 events)`,
      `indexer, 3 processes           ${result.indexerThree.toFixed(0)} events/s (${result.indexerThreeCpuMsPerThousand.toFixed(0)} ms CPU per 1,000 events)`,
      `ratio indexer / raw            ${result.ratio.toFixed(2)} (goal >= 0.9; per round ${result.ratios.map((r) => r.toFixed(2)).join(', ')})`,
      `3 processes / 1 process        ${result.threeVsOne.toFixed(2)} (per round ${result.threeVsOnes.map((r) => r.toFixed(2)).join(', ')})`,
      `warm-up per indexer process    ${result.warmupPerProcess} events, untimed`,
      '',
    ].join('\n'),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
