import { describe, expect, it } from 'vitest';
import type { ApiBenchResult } from '../../src/bench/api.ts';
import { figures } from '../../src/bench/figures.ts';
import type { IndexerBenchResult } from '../../src/bench/indexer.ts';
import type { LatencyBenchResult } from '../../src/bench/latency.ts';

const latency: LatencyBenchResult = {
  rate: 3000,
  seconds: 60,
  samples: 1800,
  notFound: 0,
  p50Ms: 900,
  p99Ms: 2600,
  maxMs: 2700,
  pollMs: 100,
  servedPerSecond: 3000,
  rss: { producer: { peak: 120, mean: 110 }, api: { peak: 151, mean: 140 } },
};

const route = (name: string, p95Ms: number) => ({
  route: name,
  requests: 200,
  p50Ms: p95Ms / 2,
  p95Ms,
  maxMs: p95Ms,
});

const api: ApiBenchResult = {
  prefix: 'bench-api-test',
  documents: 2_600_000,
  seedSeconds: 1,
  clients: 4,
  figures: [route('/api/events (newest 50)', 80), route('/api/stats?last=24h (dashboard)', 150.5)],
};

const indexer: IndexerBenchResult = {
  events: 60_000,
  raw: [],
  rawBest: { batchSize: 2000, concurrency: 4, eventsPerSecond: 34_000 },
  indexerOne: 19_000,
  indexerThree: 16_000,
  indexerCpuMsPerThousand: 38,
  indexerThreeCpuMsPerThousand: 45.5,
  rounds: 3,
  warmupPerProcess: 30_000,
  ratio: 0.56,
  ratios: [0.55, 0.56, 0.58],
  threeVsOne: 0.84,
  threeVsOnes: [0.84, 0.8, 0.91],
};

describe('the benchmark figures', () => {
  it('judges each figure against its goal and says why a missed one is missed', () => {
    const all = figures({ latency, api });
    const byName = (start: string) => all.find((figure) => figure.name.startsWith(start));
    expect(byName('end-to-end latency p50')?.met).toBe(true);
    expect(byName('end-to-end latency p99')?.met).toBe(false);
    expect(byName('RSS producer')?.met).toBe(true);
    expect(byName('RSS api')).toMatchObject({ met: false, value: 'peak 151 MiB (mean 140)' });
    for (const missed of all.filter((figure) => figure.met === false)) expect(missed.miss).toBeTruthy();
  });

  it('puts /api/stats (with its goal) before /api/events (reported, no goal)', () => {
    const rows = figures({ api });
    expect(rows.map((row) => [row.name.split(',')[0], row.goal, row.met])).toEqual([
      ['/api/stats?last=24h (dashboard)', '≤ 150 ms', false],
      ['/api/events (newest 50)', 'reported', undefined],
    ]);
  });

  it('judges the indexer ratio on shared cores and with Elasticsearch on a core of its own', () => {
    const dedicated = {
      cpus: 'Elasticsearch on CPU 1; Kafka, loader and indexers on CPU 0',
      raw: [],
      rawBest: { batchSize: 5000, concurrency: 2, eventsPerSecond: 15_000 },
      indexerOne: 14_000,
      indexerCpuMsPerThousand: 40,
      engineCpuMsPerThousand: { elasticsearchRaw: 33, elasticsearch: 42, kafka: 5 },
      ratio: 0.93,
      ratios: [0.93],
      indexerThree: 13_500,
      indexerThreeCpuMsPerThousand: 44,
      threeVsOne: 0.96,
      threeVsOnes: [0.96],
    };
    const rows = figures({ indexer: { ...indexer, dedicated } });
    expect(rows.map((row) => [row.name, row.met])).toEqual([
      ['Elasticsearch _bulk ceiling, shared cores (raw loader, best grid setting)', undefined],
      ['indexer, 1 process / raw ceiling, shared cores', false],
      ['indexer, 3 processes / 1 process, shared cores', false],
      ['Elasticsearch _bulk ceiling, Elasticsearch on a core of its own', undefined],
      ['indexer, 1 process / raw ceiling, Elasticsearch on a core of its own', true],
      ['indexer, 3 processes / 1 process, Elasticsearch on a core of its own', true],
    ]);
    expect(rows[1]?.miss).toContain('the indexer spends 38 ms of CPU per 1,000 events');
    expect(rows[4]?.value).toBe('0.930 (14,000 events/s)');
    const slow = figures({ indexer: { ...indexer, dedicated: { ...dedicated, ratio: 0.8 } } });
    const dedicatedRatio = slow.find((row) =>
      row.name.startsWith('indexer, 1 process / raw ceiling, Elasticsearch'),
    );
    expect(dedicatedRatio?.met).toBe(false);
    // One core for the indexer (40 ms) and the broker (5 ms) feeds at most 22,222 events/s: 1.48 of 15,000.
    expect(dedicatedRatio?.miss).toContain('at most 22,222 events/s (1.48 of the ceiling)');
    expect(dedicatedRatio?.miss).toContain("Kafka's broker 5.0 ms");
    // Elasticsearch: 42 ms × 14,000 events/s = 59 % of its core; 33 ms × 15,000 = 50 % under the loader.
    expect(dedicatedRatio?.miss).toContain('busy 59 % of an indexer run and 50 % of a raw one');
  });

  it('judges three processes against one as not slower within the rounds’ spread, with their CPU', () => {
    const [shared] = figures({ indexer }).filter((row) => row.name.startsWith('indexer, 3 processes'));
    expect(shared).toMatchObject({
      value: '0.840 (16,000 vs 19,000 events/s; per round 0.84, 0.80, 0.91)',
      goal: '≥ 0.95 (not slower)',
      met: false,
    });
    expect(shared?.miss).toContain(
      'three processes spend 45.5 ms of CPU per 1,000 events together, one spends 38.0 ms',
    );
    const within = figures({ indexer: { ...indexer, threeVsOne: 0.95 } });
    expect(within.find((row) => row.name.startsWith('indexer, 3 processes'))?.met).toBe(true);
    const justShort = figures({ indexer: { ...indexer, threeVsOne: 0.9478 } });
    expect(justShort.find((row) => row.name.startsWith('indexer, 3 processes'))).toMatchObject({
      value: expect.stringMatching(/^0\.948 /),
      met: false,
    });
  });

  it('gives the engines’ CPU under three processes next to one’s, when it was read', () => {
    const engines = { elasticsearchRaw: 33, elasticsearch: 42, kafka: 5 };
    const threeRow = (engineCpuMsPerThousand: typeof engines & Record<string, number>) =>
      figures({ indexer: { ...indexer, engineCpuMsPerThousand } }).find((row) =>
        row.name.startsWith('indexer, 3 processes'),
      );
    expect(threeRow({ ...engines, elasticsearchThree: 47, kafkaThree: 6.5 })?.miss).toContain(
      "Under three processes Elasticsearch spent 47 ms per 1,000 events (42 under one), Kafka's broker 6.5 ms (5.0).",
    );
    expect(threeRow(engines)?.miss).not.toContain('Under three processes');
  });

  it('says how much of the events the busiest of the three processes indexed, when it was recorded', () => {
    const row = (extra: { indexerThreeBusiestShare?: number }) =>
      figures({ indexer: { ...indexer, ...extra } }).find((entry) =>
        entry.name.startsWith('indexer, 3 processes'),
      );
    expect(row({ indexerThreeBusiestShare: 0.3527 })?.miss).toContain(
      'The busiest of the three indexed 35.3 % of the events.',
    );
    expect(row({})?.miss).not.toContain('busiest');
  });

  it('bounds the shared-cores ratio by the CPU the whole pipeline needs per event', () => {
    const measured = {
      ...indexer,
      cores: 2,
      engineCpuMsPerThousand: { elasticsearchRaw: 33, elasticsearch: 42, kafka: 5 },
    };
    // 2 cores × 1,000,000 µs / (38 + 5 + 42 ms per 1,000 events) = 23,529 events/s: 0.69 of 34,000.
    expect(figures({ indexer: measured })[1]?.miss).toContain(
      'Together they need 85 ms per 1,000 events: 2 cores carry about 23,529 events/s of that (0.69 of the ceiling)',
    );
    expect(figures({ indexer })[1]?.miss).not.toContain('cores carry');
  });

  it('counts a CPU split that could not be set up as a miss, with the reason', () => {
    const rows = figures({
      indexer: { ...indexer, dedicated: { unavailable: 'the engines are not local processes' } },
    });
    expect(rows.at(-1)).toMatchObject({
      value: 'not measured: the engines are not local processes',
      met: false,
    });
    expect(figures({ indexer })).toHaveLength(3);
  });
});
