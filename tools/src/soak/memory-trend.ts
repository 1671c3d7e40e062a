import { slope } from '../e2e/process-stats.ts';
import type { RssSample } from './rss-sampler.ts';

/**
 * Does memory grow? Per service: the least-squares slope of RSS over the second half of the run
 * (the first half is warm-up: heaps, caches and buffers reach their working size), in MiB per hour.
 * A slope counts as growth only when it is above `thresholdMiBPerHour` and the rise it predicts
 * over that half is clearly above the sample noise (twice the residuals' standard deviation):
 * garbage-collector saw-teeth make short runs noisy. When the second half is shorter than
 * `minimumMinutes`, heaps may still be warming up and the verdict is "too short".
 */
export interface MemoryTrend {
  readonly label: string;
  readonly samples: number;
  readonly firstMiB: number;
  readonly lastMiB: number;
  readonly peakMiB: number;
  readonly slopeMiBPerHour: number;
  readonly noiseMiB: number;
  readonly grows: boolean;
  /** The same slope of the V8 heap in use, where the service reports it: RSS rising over a flat heap is V8 sizing, not retention. */
  readonly heapSlopeMiBPerHour: number | undefined;
  readonly verdict: 'flat' | 'grows' | 'too short';
}

export const DEFAULT_THRESHOLD_MIB_PER_HOUR = 10;
export const MINIMUM_HALF_MINUTES = 10;

export function memoryTrends(
  samples: readonly RssSample[],
  thresholdMiBPerHour = DEFAULT_THRESHOLD_MIB_PER_HOUR,
  minimumMinutes = MINIMUM_HALF_MINUTES,
): MemoryTrend[] {
  const labels = [...new Set(samples.flatMap((sample) => Object.keys(sample.rss)))];
  const half = samples.slice(Math.floor(samples.length / 2));
  return labels.map((label) => {
    const all = samples.flatMap((s) =>
      s.rss[label] === undefined ? [] : [{ x: s.t, y: s.rss[label] as number }],
    );
    const points = half.flatMap((s) =>
      s.rss[label] === undefined ? [] : [{ x: s.t / 3600, y: s.rss[label] as number }],
    );
    const perHour = slope(points);
    const meanX = points.reduce((sum, p) => sum + p.x, 0) / Math.max(points.length, 1);
    const meanY = points.reduce((sum, p) => sum + p.y, 0) / Math.max(points.length, 1);
    const residuals = points.map((p) => p.y - (meanY + perHour * (p.x - meanX)));
    const noise = Math.sqrt(residuals.reduce((sum, r) => sum + r * r, 0) / Math.max(residuals.length, 1));
    const span = points.length > 1 ? (points.at(-1)?.x ?? 0) - (points[0]?.x ?? 0) : 0;
    const grows = perHour > thresholdMiBPerHour && perHour * span > 2 * noise;
    const heap = half.flatMap((s) =>
      s.heapUsed?.[label] === undefined ? [] : [{ x: s.t / 3600, y: s.heapUsed[label] as number }],
    );
    return {
      label,
      samples: all.length,
      firstMiB: all[0]?.y ?? Number.NaN,
      lastMiB: all.at(-1)?.y ?? Number.NaN,
      peakMiB: Math.max(...all.map((p) => p.y)),
      slopeMiBPerHour: Math.round(perHour * 10) / 10,
      noiseMiB: Math.round(noise * 10) / 10,
      grows,
      heapSlopeMiBPerHour: heap.length > 1 ? Math.round(slope(heap) * 10) / 10 : undefined,
      verdict: span * 60 < minimumMinutes ? 'too short' : grows ? 'grows' : 'flat',
    };
  });
}
