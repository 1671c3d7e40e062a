import type uPlot from 'uplot';
import { EDITOR_KIND_LABELS, EDITOR_KINDS } from '../editor-kinds.ts';
import { formatAxisTime, formatCount } from '../format.ts';
import type { Band, ShapedSeries } from '../series.ts';

/**
 * The uPlot side of the events chart: options from the theme's CSS variables, data, gap bands.
 * One series per kind of editor, top of the stack first (the order of the legend too), each in
 * its theme colour `--series-<kind>`.
 */
export const GROUPS = [...EDITOR_KINDS].reverse().map((key) => ({
  key,
  label: EDITOR_KIND_LABELS[key],
  color: `--series-${key}`,
}));

export interface ChartInput {
  readonly shaped: ShapedSeries;
  readonly bands: Band[];
  readonly fromSec: number;
  readonly toSec: number;
  readonly interval: string;
}

export function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

export function drawGaps(u: uPlot, bands: readonly Band[]): void {
  if (bands.length === 0) return;
  const { ctx } = u;
  const { top, height } = u.bbox;
  ctx.save();
  ctx.fillStyle = cssVar('--gap-fill');
  ctx.strokeStyle = cssVar('--gap-stroke');
  ctx.lineWidth = 1;
  for (const [start, end] of bands) {
    const left = u.valToPos(start, 'x', true);
    const width = Math.max(2, u.valToPos(end, 'x', true) - left);
    ctx.fillRect(left, top, width, height);
    ctx.strokeRect(left, top, width, height);
    if (width > 28) {
      ctx.fillStyle = cssVar('--gap-text');
      ctx.font = `600 ${Math.round(10 * devicePixelRatio)}px ${cssVar('--font-sans')}`;
      ctx.textAlign = 'left';
      ctx.textBaseline = 'top';
      ctx.fillText('gap', left + 4 * devicePixelRatio, top + 4 * devicePixelRatio);
      ctx.fillStyle = cssVar('--gap-fill');
    }
  }
  ctx.restore();
}

export function chartOptions(
  current: () => ChartInput,
  size: { width: number; height: number },
  hooks: uPlot.Hooks.Arrays,
): uPlot.Options {
  const axis = {
    stroke: cssVar('--text-muted'),
    grid: { stroke: cssVar('--grid'), width: 1 },
    ticks: { show: false },
  };
  const font = `11px ${cssVar('--font-sans')}`;
  return {
    ...size,
    scales: {
      x: { time: true, range: () => [current().fromSec, current().toSec] },
      y: { range: (_u, _min, max) => [0, Math.max(4, max * 1.08)] },
    },
    series: [
      {},
      ...GROUPS.map((group) => ({
        label: group.label,
        stroke: cssVar(group.color),
        fill: cssVar(`${group.color}-fill`),
        width: 1.5,
        points: { show: false },
      })),
    ],
    // Each series is filled down to the one below it, the bottom one to zero.
    bands: GROUPS.slice(1).map((_, i) => ({ series: [i + 1, i + 2] as [number, number] })),
    axes: [
      {
        ...axis,
        font,
        values: (_u, splits) => {
          const span = (current().toSec - current().fromSec) * 1000;
          return splits.map((v) => formatAxisTime(new Date(v * 1000), span));
        },
      },
      { ...axis, font, size: 52, values: (_u, splits) => splits.map((v) => formatCount(v)) },
    ],
    legend: { show: false },
    cursor: { drag: { x: true, y: false, setScale: false }, points: { size: 6 } },
    hooks,
  };
}

/** x, then the cumulative tops from the top of the stack down, matching GROUPS. */
export function chartData(shaped: ShapedSeries): uPlot.AlignedData {
  return [shaped.x, ...[...shaped.stacked].reverse()];
}
