import { invalidParameter } from '../http/api-error.ts';
import { type Filters, resolveRange } from './filters.ts';
import { fitInterval, type Interval } from './interval.ts';

/**
 * The window /api/stats answers for, and what its shared answer is keyed by.
 * - relative (`last`, or neither from nor to): resolved when computed, so every client asking the
 *   same question shares one answer;
 * - fixed (from and/or to): widened to whole buckets of its interval — from rounded down, to
 *   rounded up — so requests whose bounds differ by less than a bucket share one answer. The
 *   answer's `range` names the widened window, which covers all that was asked.
 */
export type StatsWindow =
  | { readonly kind: 'relative'; readonly lengthMs: number }
  | { readonly kind: 'fixed'; readonly from: number; readonly to: number; readonly interval: Interval };

export interface WindowBounds {
  /** Longest range that may be asked (STATS_MAX_RANGE_HOURS). */
  readonly maxMs: number;
  /** Length of a range without from and to, and of one with only to. */
  readonly defaultMs: number;
}

const HOUR = 3_600_000;
const hours = (ms: number) => `${Math.ceil((ms / HOUR) * 10) / 10} hours`;

/** Checks the span (400 beyond the bound) and fixes the window; `now` resolves an open end. */
export function statsWindow(
  filters: Filters,
  lastMs: number | undefined,
  now: number,
  bounds: WindowBounds,
): StatsWindow {
  if (lastMs !== undefined) {
    if (lastMs > bounds.maxMs) throw invalidParameter('last', `must be at most ${hours(bounds.maxMs)}`);
    return { kind: 'relative', lengthMs: lastMs };
  }
  if (filters.from === undefined && filters.to === undefined)
    return { kind: 'relative', lengthMs: bounds.defaultMs };
  const range = resolveRange(filters, now, bounds.defaultMs);
  const span = range.to - range.from;
  if (span > bounds.maxMs)
    throw invalidParameter(
      'from',
      `must be at most ${hours(bounds.maxMs)} before to (or before now, without to); this range spans ${hours(span)}`,
    );
  const interval = fitInterval(span);
  return {
    kind: 'fixed',
    from: Math.floor(range.from / interval.ms) * interval.ms,
    to: Math.ceil(range.to / interval.ms) * interval.ms,
    interval,
  };
}

/** The [from, to) range and buckets to compute, at `now`. */
export function resolveWindow(
  window: StatsWindow,
  now: number,
): { from: number; to: number; interval: Interval } {
  if (window.kind === 'fixed') return window;
  return { from: now - window.lengthMs, to: now, interval: fitInterval(window.lengthMs) };
}

/** The cache key of a question: the attribute filters, the window (not the instant) and the rest. */
export function windowKey(filters: Filters, window: StatsWindow, extra: Record<string, unknown>): string {
  const { from: _from, to: _to, ...attributes } = filters;
  const when = window.kind === 'fixed' ? { from: window.from, to: window.to } : { last: window.lengthMs };
  return JSON.stringify({ attributes, ...when, ...extra });
}
