import type { EditorKind, PipelineResponse, SeriesPoint } from '@wikistream/shared';
import { EDITOR_KINDS } from './editor-kinds.ts';

/**
 * Stats series → the column arrays uPlot draws. The four kinds of editor are stacked in
 * EDITOR_KINDS order (registered at the bottom, then temporary accounts, IP addresses, bots on
 * top) so the outline is the total; the raw values are kept for the legend and the screen-reader
 * summary.
 */
export interface ShapedSeries extends Readonly<Record<EditorKind, number[]>> {
  /** Bucket starts, seconds since the epoch, ascending. */
  readonly x: number[];
  readonly total: number[];
  /** Cumulative tops in EDITOR_KINDS order: registered, + temporary, + ip, + bot (the total). */
  readonly stacked: readonly number[][];
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}

export function shapeSeries(points: readonly SeriesPoint[]): ShapedSeries {
  const rows = points
    .map((point) => ({ t: Date.parse(point.t) / 1000, point }))
    .filter((row) => Number.isFinite(row.t))
    .sort((a, b) => a.t - b.t);
  const column = (kind: EditorKind) => rows.map((row) => count(row.point[kind]));
  const parts = {
    registered: column('registered'),
    temporary: column('temporary'),
    ip: column('ip'),
    bot: column('bot'),
  };
  const stacked: number[][] = [];
  let below = rows.map(() => 0);
  for (const kind of EDITOR_KINDS) {
    below = below.map((value, i) => value + (parts[kind][i] ?? 0));
    stacked.push(below);
  }
  return { x: rows.map((row) => row.t), ...parts, total: below, stacked };
}

export interface SeriesSums extends Readonly<Record<EditorKind, number>> {
  readonly total: number;
  readonly peak: number;
}

export function seriesSums(shaped: ShapedSeries): SeriesSums {
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  return {
    registered: sum(shaped.registered),
    temporary: sum(shaped.temporary),
    ip: sum(shaped.ip),
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
