import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { memoryTrends } from '../../src/soak/memory-trend.ts';
import type { RssSample } from '../../src/soak/rss-sampler.ts';
import { seededRandom } from '../../src/testing/seed.ts';

/** One sample every 10 s for `minutes`, RSS of one service from `mib(t seconds)` plus ±`jitter` MiB. */
function series(minutes: number, mib: (seconds: number) => number, jitter = 0.5, seed = 7): RssSample[] {
  const random = seededRandom(seed);
  return Array.from({ length: minutes * 6 + 1 }, (_, i) => {
    const t = i * 10;
    return { t, rss: { service: mib(t) + (random() * 2 - 1) * jitter } };
  });
}

const only = (samples: RssSample[]) => {
  const [trend] = memoryTrends(samples);
  if (trend === undefined) throw new Error('no trend');
  return trend;
};

describe('memoryTrends', () => {
  it('calls a level series with garbage-collector noise flat', () => {
    const trend = only(series(30, () => 150, 3));
    expect(trend.verdict).toBe('flat');
    expect(trend.grows).toBe(false);
    expect(Math.abs(trend.slopeMiBPerHour)).toBeLessThan(10);
  });

  it('finds a leak of 20 MiB/h in a 30-minute run', () => {
    const trend = only(series(30, (t) => 150 + (20 * t) / 3600));
    expect(trend.slopeMiBPerHour).toBeGreaterThan(15);
    expect(trend.newHighMiB).toBeGreaterThan(2);
    expect(trend.verdict).toBe('grows');
  });

  it('finds a leak that only starts after the warm-up', () => {
    const trend = only(series(45, (t) => (t < 1200 ? 150 : 150 + (15 * (t - 1200)) / 3600)));
    expect(trend.verdict).toBe('grows');
  });

  it('calls a rise that stopped in the second half settled, not growth (a measured producer series)', () => {
    const recorded = JSON.parse(
      readFileSync(new URL('./fixtures/producer-step-45min.json', import.meta.url), 'utf8'),
    ) as { intervalSeconds: number; rssMiB: number[] };
    const samples = recorded.rssMiB.map((mib, i) => ({
      t: i * recorded.intervalSeconds,
      rss: { service: mib },
    }));
    const trend = only(samples);
    expect(trend.slopeMiBPerHour).toBeGreaterThan(10);
    expect(trend.newHighMiB).toBeLessThan(1);
    expect(trend.verdict).toBe('settled');
    expect(trend.grows).toBe(false);
  });

  it('calls the same series growth when the last third keeps rising', () => {
    const recorded = JSON.parse(
      readFileSync(new URL('./fixtures/producer-step-45min.json', import.meta.url), 'utf8'),
    ) as { intervalSeconds: number; rssMiB: number[] };
    const samples = recorded.rssMiB.map((mib, i) => {
      const t = i * recorded.intervalSeconds;
      return { t, rss: { service: mib + (t > 1800 ? (20 * (t - 1800)) / 3600 : 0) } };
    });
    expect(only(samples).verdict).toBe('grows');
  });

  it('does not call a slow rise under the threshold growth', () => {
    expect(only(series(60, (t) => 150 + (5 * t) / 3600, 0.2)).verdict).toBe('flat');
  });

  it('says too short when the second half is under 10 minutes', () => {
    const trend = only(series(15, (t) => 150 + (60 * t) / 3600));
    expect(trend.verdict).toBe('too short');
    expect(trend.grows).toBe(true);
  });

  it('reports the heap slope beside the RSS slope', () => {
    const samples = series(30, () => 150).map((sample) => ({
      ...sample,
      heapUsed: { service: 20 + (30 * sample.t) / 3600 },
    }));
    expect(only(samples).heapSlopeMiBPerHour).toBeCloseTo(30, 0);
  });
});
