import { slope } from '../e2e/process-stats.ts';
import type { RssSample } from './rss-sampler.ts';

/**
 * Does memory grow? Per service, two measures over the run:
 * - the least-squares slope of RSS over the second half (the first half is warm-up: heaps, caches
 *   and buffers reach their working size), in MiB per hour;
 * - the high-water mark of the last third against that of the middle third: memory that grows
 *   without bound keeps reaching new highs until the end, memory that settled does not.
 * Memory grows when the slope is above `thresholdMiBPerHour`, the rise it predicts over the second
 * half is clearly above the sample noise (twice the residuals' standard deviation: garbage-collector
 * saw-teeth make short runs noisy), and the last third's peak is above the middle third's by at
 * least half of what growth at the threshold would add in a third of the run. A step that happens
 * once in the second half and then holds (a native buffer pool or an allocator arena reaching its
 * size) tilts the slope but makes no new highs, and is reported as "settled". When the second half
 * is shorter than `minimumMinutes`, heaps may still be warming up and the verdict is "too short".
 */
export interface MemoryTrend {
  readonly label: string;
  readonly samples: number;
  readonly firstMiB: number;
  readonly lastMiB: number;
  readonly peakMiB: number;
  readonly slopeMiBPerHour: number;
  readonly noiseMiB: number;
  /** Peak of the last third minus peak of the middle third. */
  readonly newHighMiB: number;
  readonly grows: boolean;
  /** The same slope of the V8 heap in use, where the service reports it: RSS rising over a flat heap is V8 sizing, not retention. */
  readonly heapSlopeMiBPerHour: number | undefined;
  readonly verdict: 'flat' | 'settled' | 'grows' | 'too short';
}

export const DEFAULT_THRESHOLD_MIB_PER_HOUR = 10;
export const MINIMUM_HALF_MINUTES = 10;

interface Point {
  readonly x: number;
  readonly y: number;
}

/** Standard deviation of the residuals around the least-squares line with slope `perHour`. */
function residualNoise(points: readonly Point[], perHour: number): number {
  const n = Math.max(points.length, 1);
  const meanX = points.reduce((sum, p) => sum + p.x, 0) / n;
  const meanY = points.reduce((sum, p) => sum + p.y, 0) / n;
  const squares = points.reduce((sum, p) => sum + (p.y - (meanY + perHour * (p.x - meanX))) ** 2, 0);
  return Math.sqrt(squares / n);
}

/** Peak of the points with `from <= x < to` (hours). */
function peakBetween(points: readonly Point[], from: number, to: number): number {
  return Math.max(...points.filter((p) => p.x >= from && p.x < to).map((p) => p.y));
}

export function memoryTrends(
  samples: readonly RssSample[],
  thresholdMiBPerHour = DEFAULT_THRESHOLD_MIB_PER_HOUR,
  minimumMinutes = MINIMUM_HALF_MINUTES,
): MemoryTrend[] {
  const labels = [...new Set(samples.flatMap((sample) => Object.keys(sample.rss)))];
  const half = samples.slice(Math.floor(samples.length / 2));
  const endHours = (samples.at(-1)?.t ?? 0) / 3600;
  const third = endHours / 3;
  return labels.map((label) => {
    const all = samples.flatMap((s) =>
      s.rss[label] === undefined ? [] : [{ x: s.t / 3600, y: s.rss[label] as number }],
    );
    const points = half.flatMap((s) =>
      s.rss[label] === undefined ? [] : [{ x: s.t / 3600, y: s.rss[label] as number }],
    );
    const perHour = slope(points);
    const noise = residualNoise(points, perHour);
    const span = points.length > 1 ? (points.at(-1)?.x ?? 0) - (points[0]?.x ?? 0) : 0;
    const newHigh =
      peakBetween(all, 2 * third, Number.POSITIVE_INFINITY) - peakBetween(all, third, 2 * third);
    const rising = perHour > thresholdMiBPerHour && perHour * span > 2 * noise;
    const grows = rising && newHigh >= (thresholdMiBPerHour * third) / 2;
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
      newHighMiB: Math.round(newHigh * 10) / 10,
      grows,
      heapSlopeMiBPerHour: heap.length > 1 ? Math.round(slope(heap) * 10) / 10 : undefined,
      verdict: span * 60 < minimumMinutes ? 'too short' : grows ? 'grows' : rising ? 'settled' : 'flat',
    };
  });
}
