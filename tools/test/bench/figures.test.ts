import { describe, expect, it } from 'vitest';
import type { ApiBenchResult } from '../../src/bench/api.ts';
import { figures } from '../../src/bench/figures.ts';
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
});
