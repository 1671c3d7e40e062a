import type { PipelineResponse, SeriesPoint } from '@wikistream/shared';

/**
 * Stats series → the column arrays uPlot draws. The three groups are stacked (humans at the
 * bottom, then anonymous, then bots on top) so the outline is the total; the raw values are kept
 * for the legend and the screen-reader summary.
 */
export interface ShapedSeries {
  /** Bucket starts, seconds since the epoch, ascending. */
  readonly x: number[];
  readonly human: number[];
  readonly anonymous: number[];
  readonly bot: number[];
  readonly total: number[];
  /** Cumulative tops: human, human + anonymous, human + anonymous + bot. */
  readonly stacked: readonly [number[], number[], number[]];
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}

export function shapeSeries(points: readonly SeriesPoint[]): ShapedSeries {
  const rows = points
    .map((point) => ({ t: Date.parse(point.t) / 1000, point }))
    .filter((row) => Number.isFinite(row.t))
    .sort((a, b) => a.t - b.t);
  const x = rows.map((row) => row.t);
  const human = rows.map((row) => count(row.point.human));
  const anonymous = rows.map((row) => count(row.point.anonymous));
  const bot = rows.map((row) => count(row.point.bot));
  const lower = human.map((h, i) => h + (anonymous[i] ?? 0));
  const total = lower.map((l, i) => l + (bot[i] ?? 0));
  return { x, human, anonymous, bot, total, stacked: [human, lower, total] };
}

export interface SeriesSums {
  readonly human: number;
  readonly anonymous: number;
  readonly bot: number;
  readonly total: number;
  readonly peak: number;
}

export function seriesSums(shaped: ShapedSeries): SeriesSums {
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  return {
    human: sum(shaped.human),
    anonymous: sum(shaped.anonymous),
    bot: sum(shaped.bot),
    total: sum(shaped.total),
    peak: shaped.total.reduce((a, b) => Math.max(a, b), 0),
  };
}

export type Band = readonly [startSeconds: number, endSeconds: number];

/**
 * Gap-ledger entries → shaded bands in chart seconds, clipped to the visible range, sorted,
 * with overlapping gaps merged so they are not painted twice.
 */
export function gapBands(gaps: PipelineResponse['gaps'], fromMs: number, toMs: number): Band[] {
  const clipped = gaps
    .map((gap) => [Date.parse(gap.from), Date.parse(gap.to)] as const)
    .filter(([start, end]) => Number.isFinite(start) && Number.isFinite(end) && end >= start)
    .map(([start, end]) => [Math.max(start, fromMs), Math.min(end, toMs)] as const)
    .filter(([start, end]) => end > start || (end === start && start > fromMs && start < toMs))
    .sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [start, end] of clipped) {
    const last = merged.at(-1);
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged.map(([start, end]) => [start / 1000, end / 1000] as const);
}

/** `1m`, `30s`, `1h` → a short label for the y axis: "per minute". */
export function intervalLabel(interval: string): string {
  const match = /^(\d+)\s*(ms|s|m|h|d)$/.exec(interval.trim());
  if (!match) return `per ${interval}`;
  const amount = Number(match[1]);
  const unit = { ms: 'millisecond', s: 'second', m: 'minute', h: 'hour', d: 'day' }[match[2] as string];
  return amount === 1 ? `per ${unit}` : `per ${amount} ${unit}s`;
}
