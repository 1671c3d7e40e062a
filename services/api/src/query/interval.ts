/** Time-series buckets fitted to a range: the finest interval that gives at most MAX_BUCKETS. */
const MAX_BUCKETS = 120;
const MINUTE = 60_000;

export interface Interval {
  readonly name: string;
  readonly ms: number;
}

export const INTERVALS: readonly Interval[] = [
  { name: '1m', ms: MINUTE },
  { name: '5m', ms: 5 * MINUTE },
  { name: '10m', ms: 10 * MINUTE },
  { name: '15m', ms: 15 * MINUTE },
  { name: '30m', ms: 30 * MINUTE },
  { name: '1h', ms: 60 * MINUTE },
  { name: '3h', ms: 180 * MINUTE },
  { name: '6h', ms: 360 * MINUTE },
  { name: '12h', ms: 720 * MINUTE },
  { name: '1d', ms: 1440 * MINUTE },
  { name: '7d', ms: 7 * 1440 * MINUTE },
  { name: '30d', ms: 30 * 1440 * MINUTE },
  { name: '365d', ms: 365 * 1440 * MINUTE },
];

export function fitInterval(rangeMs: number): Interval {
  const fitted = INTERVALS.find((interval) => rangeMs / interval.ms <= MAX_BUCKETS);
  return fitted ?? (INTERVALS.at(-1) as Interval);
}
