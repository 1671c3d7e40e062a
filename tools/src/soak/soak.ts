import { waitForDocuments } from '../e2e/outcome.ts';
import { startPipeline } from '../e2e/pipeline.ts';
import { loadSource } from '../replay/source-events.ts';
import { fixtureFiles } from '../testing/fixtures.ts';
import { startDashboardClient } from './dashboard-client.ts';
import { type MemoryTrend, memoryTrends } from './memory-trend.ts';
import { type RssSample, startRssSampler } from './rss-sampler.ts';

/**
 * The whole pipeline (replay server → producer → indexers → api, the api with a dashboard's
 * traffic) at a steady rate for a long time, RSS of every service sampled at an interval.
 */
export interface SoakOptions {
  readonly kafkaBrokers: string;
  readonly elasticsearchUrl: string;
  readonly minutes: number;
  /** Events per second (the live stream is ≈30/s). */
  readonly rate: number;
  readonly intervalSeconds: number;
  readonly indexers: number;
  readonly thresholdMiBPerHour: number;
  readonly log: (line: string) => void;
}

export interface SoakResult {
  readonly startedAt: string;
  readonly minutes: number;
  readonly rate: number;
  readonly intervalSeconds: number;
  readonly samples: readonly RssSample[];
  readonly trends: readonly MemoryTrend[];
  readonly grows: boolean;
  readonly verdict: 'memory does not grow' | 'memory grows' | 'too short to tell';
  readonly thresholdMiBPerHour: number;
  readonly eventsServed: number;
  readonly indexedAll: boolean;
  readonly catchUpSeconds: number;
  readonly crashes: number;
  readonly apiRequests: number;
  readonly apiFailures: number;
}

function sampleLine(sample: RssSample): string {
  const cells = Object.entries(sample.rss).map(([label, mib]) => {
    const heap = sample.heapUsed?.[label];
    return `${label} ${mib.toFixed(1)}${heap === undefined ? '' : ` (heap ${heap.toFixed(0)})`}`;
  });
  return `t=${String(Math.round(sample.t)).padStart(5)} s  ${cells.join('  ')}  MiB`;
}

export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const { log } = options;
  const startedAt = new Date().toISOString();
  const pipeline = await startPipeline({
    kafkaBrokers: options.kafkaBrokers,
    elasticsearchUrl: options.elasticsearchUrl,
    slug: 'soak',
    indexers: options.indexers,
    replay: {
      source: loadSource(fixtureFiles()).events,
      loops: 0,
      pacing: { kind: 'rate', perSecond: options.rate },
      inject: { canaryEvery: 997, invalidEvery: 1999 },
      canaryIntervalMs: 30_000,
    },
    apiEnv: { LOG_LEVEL: 'warn', ANALYTICS_CACHE_MS: '10000', ROLLUP_INTERVAL_MS: '20000' },
    log,
  });
  try {
    const dashboard = startDashboardClient(pipeline.apiUrl);
    log(`[soak] ${options.minutes} min at ${options.rate} events/s; RSS every ${options.intervalSeconds} s`);
    const sampler = startRssSampler(
      pipeline.processes,
      options.intervalSeconds * 1000,
      (sample) => log(sampleLine(sample)),
      true,
    );
    sampler.sample();
    await new Promise((resolve) => setTimeout(resolve, options.minutes * 60_000));
    sampler.stop();
    await dashboard.stop();
    const served = pipeline.server.log.validIds().length;
    const endedAt = Date.now();
    const drained = await waitForDocuments(options.elasticsearchUrl, pipeline.names.prefix, served, {
      timeoutMs: 180_000,
      stallMs: 60_000,
    });
    const trends = memoryTrends(sampler.samples, options.thresholdMiBPerHour);
    return {
      startedAt,
      minutes: options.minutes,
      rate: options.rate,
      intervalSeconds: options.intervalSeconds,
      samples: sampler.samples,
      trends,
      grows: trends.some((trend) => trend.verdict === 'grows'),
      verdict: trends.some((trend) => trend.verdict === 'grows')
        ? 'memory grows'
        : trends.some((trend) => trend.verdict === 'too short')
          ? 'too short to tell'
          : 'memory does not grow',
      thresholdMiBPerHour: options.thresholdMiBPerHour,
      eventsServed: served,
      indexedAll: drained.reached,
      catchUpSeconds: Math.round((drained.at - endedAt) / 100) / 10,
      crashes: pipeline.crashes.length,
      apiRequests: dashboard.requests,
      apiFailures: dashboard.failures,
    };
  } finally {
    await pipeline.close();
  }
}
