/*
 * End-to-end latency, upstream to searchable, at a fixed rate through the whole pipeline as
 * processes (replay server → producer → indexers → Elasticsearch), plus the RSS of every service
 * under that load.
 *
 * Method: every Nth event the replay server appends is a sample; its clock starts at the moment
 * the replay server puts it into its stream (the producer reads live, so that is when it is sent).
 * A poller asks Elasticsearch every `pollMs` for the pending samples with an `ids` search (which,
 * like any search, sees only refreshed documents); a sample's latency ends when the answer that
 * first contains it arrives. The figure therefore includes the producer's batching, the Kafka
 * transaction, the indexer's fetch and bulk, the index refresh interval, and up to one poll
 * interval plus one search of measuring slack — it can only overstate the true latency.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from '@elastic/elasticsearch';
import { type Pipeline, startPipeline } from '../e2e/pipeline.ts';
import { percentile } from '../e2e/process-stats.ts';
import { loadSource } from '../replay/source-events.ts';
import { rssSummary, startRssSampler } from '../soak/rss-sampler.ts';
import { fixtureFiles } from '../testing/fixtures.ts';

export interface LatencyBenchOptions {
  readonly kafkaBrokers: string;
  readonly elasticsearchUrl: string;
  /** Events per second (100× the live stream is 3,000). */
  readonly rate?: number;
  readonly seconds?: number;
  readonly warmupSeconds?: number;
  readonly sampleEvery?: number;
  readonly pollMs?: number;
  /** Extra environment for every service (e.g. NODE_OPTIONS to try heap settings). */
  readonly serviceEnv?: Readonly<Record<string, string>>;
  readonly log?: (line: string) => void;
}

export interface LatencyBenchResult {
  readonly rate: number;
  readonly seconds: number;
  readonly samples: number;
  readonly notFound: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly pollMs: number;
  /** Events the producer had read per second over the measured period (was it keeping up?). */
  readonly servedPerSecond: number;
  readonly rss: Record<string, { peak: number; mean: number }>;
}

interface Probe {
  readonly latencies: number[];
  readonly notFound: number;
}

/**
 * Samples every `sampleEvery`th event appended from now on for `seconds`, and polls the store for
 * them until each is found (or 30 s after the end).
 */
async function probe(
  client: Client,
  pipeline: Pipeline,
  settings: { seconds: number; sampleEvery: number; pollMs: number; log: (line: string) => void },
): Promise<Probe> {
  const { log: events } = pipeline.server;
  const pending = new Map<string, number>();
  const latencies: number[] = [];
  let scanned = events.length;
  const until = Date.now() + settings.seconds * 1000;
  let reported = Date.now();
  while (Date.now() < until || (pending.size > 0 && Date.now() < until + 30_000)) {
    for (; scanned < events.length && Date.now() < until; scanned++) {
      const id = scanned % settings.sampleEvery === 0 ? events.eventId(scanned) : undefined;
      if (id !== undefined) pending.set(id, events.timestamp(scanned));
    }
    if (pending.size > 0) {
      const answer = await client.search({
        index: `${pipeline.names.prefix}-*`,
        size: Math.min(pending.size, 10_000),
        _source: false,
        query: { ids: { values: [...pending.keys()].slice(0, 10_000) } },
        allow_no_indices: true,
        ignore_unavailable: true,
      });
      const now = Date.now();
      for (const hit of answer.hits.hits) {
        const sent = pending.get(hit._id as string);
        if (sent === undefined) continue;
        latencies.push(now - sent);
        pending.delete(hit._id as string);
      }
    }
    if (Date.now() - reported > 10_000) {
      reported = Date.now();
      settings.log(`[bench:latency] ${latencies.length} samples, p50 ${percentile(latencies, 50)} ms so far`);
    }
    await sleep(settings.pollMs);
  }
  return { latencies, notFound: pending.size };
}

export async function runLatencyBench(options: LatencyBenchOptions): Promise<LatencyBenchResult> {
  const log = options.log ?? (() => undefined);
  const rate = options.rate ?? 3000;
  const seconds = options.seconds ?? 60;
  const warmup = options.warmupSeconds ?? 15;
  const pollMs = options.pollMs ?? 100;
  const pipeline = await startPipeline({
    kafkaBrokers: options.kafkaBrokers,
    elasticsearchUrl: options.elasticsearchUrl,
    slug: 'bench-latency',
    replay: {
      source: loadSource(fixtureFiles()).events,
      loops: 0,
      pacing: { kind: 'rate', perSecond: rate },
      canaryIntervalMs: 30_000,
    },
    producerEnv: options.serviceEnv ?? {},
    indexerEnv: options.serviceEnv ?? {},
    apiEnv: options.serviceEnv ?? {},
    log,
  });
  const client = new Client({ node: options.elasticsearchUrl, requestTimeout: 30_000 });
  try {
    log(`[bench:latency] ${rate} events/s: ${warmup} s warm-up, then ${seconds} s measured`);
    await sleep(warmup * 1000);
    const sampler = startRssSampler(pipeline.processes, 2000);
    const framesBefore = pipeline.server.stats().framesSent;
    const { latencies, notFound } = await probe(client, pipeline, {
      seconds,
      sampleEvery: options.sampleEvery ?? 97,
      pollMs,
      log,
    });
    sampler.stop();
    const result = {
      rate,
      seconds,
      samples: latencies.length,
      notFound,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      maxMs: Math.max(...latencies),
      pollMs,
      servedPerSecond: Math.round((pipeline.server.stats().framesSent - framesBefore) / seconds),
      rss: rssSummary(sampler.samples),
    };
    const peaks = Object.fromEntries(Object.entries(result.rss).map(([label, rss]) => [label, rss.peak]));
    log(
      `[bench:latency] p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, max ${result.maxMs} ms over ${result.samples} samples` +
        ` (${result.notFound} not found within 30 s); RSS peaks ${JSON.stringify(peaks)} MiB`,
    );
    return result;
  } finally {
    await client.close();
    await pipeline.close();
  }
}
