import type { PipelineResponse, StatsResponse } from '@wikistream/shared';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { h, setChildren } from '../dom.ts';
import { formatAxisTime, formatClock, formatCount, formatDateTime } from '../format.ts';
import { createPanel, type Panel } from '../panel.ts';
import { type Band, gapBands, intervalLabel, type ShapedSeries, seriesSums, shapeSeries } from '../series.ts';

const MIN_HEIGHT = 240;
const GROUPS = [
  { key: 'bot', label: 'Bots', color: '--series-bot' },
  { key: 'anonymous', label: 'Anonymous', color: '--series-anonymous' },
  { key: 'human', label: 'Registered humans', color: '--series-human' },
] as const;

export interface EventsChart {
  readonly panel: Panel;
  update(stats: StatsResponse, gaps: PipelineResponse['gaps']): void;
  /** Colours come from the theme's CSS variables: rebuild the chart when the theme changes. */
  retheme(): void;
}

interface ChartInput {
  readonly shaped: ShapedSeries;
  readonly bands: Band[];
  readonly fromSec: number;
  readonly toSec: number;
  readonly interval: string;
}

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

function drawGaps(u: uPlot, bands: readonly Band[]): void {
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

function chartOptions(
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
    bands: [{ series: [1, 2] }, { series: [2, 3] }],
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

function chartData(shaped: ShapedSeries): uPlot.AlignedData {
  const [human, lower, total] = shaped.stacked;
  return [shaped.x, total, lower, human];
}

export function createEventsChart(onSelectRange: (fromMs: number, toMs: number) => void): EventsChart {
  const panel = createPanel({
    id: 'events-over-time',
    title: 'Events over time',
    description:
      'Stacked by editor kind; shaded bands are gaps recorded in the ingestion ledger. Drag to zoom.',
    className: 'span-8 panel-chart',
    skeletonRows: 6,
  });
  const plotHost = h('div', { class: 'chart-host', role: 'img' });
  const legend = h('div', { class: 'chart-legend' });
  let chart: uPlot | null = null;
  let input: ChartInput | null = null;

  const legendItem = (label: string, color: string, value: string, extra = '') =>
    h(
      'span',
      { class: `legend-item ${extra}`.trim() },
      h('span', { class: `legend-swatch swatch-${color}`, 'aria-hidden': 'true' }),
      h('span', { class: 'legend-label' }, label),
      h('span', { class: 'legend-value' }, value),
    );

  const renderLegend = (index: number | null) => {
    if (!input) return;
    const { shaped, bands } = input;
    const at = index !== null && index >= 0 && index < shaped.x.length ? index : null;
    const sums = seriesSums(shaped);
    const pick = (key: 'bot' | 'anonymous' | 'human') =>
      formatCount(at === null ? sums[key] : (shaped[key][at] ?? 0));
    const when = at === null ? 'Whole range' : formatDateTime(new Date((shaped.x[at] ?? 0) * 1000));
    setChildren(
      legend,
      h('span', { class: 'legend-when' }, when),
      ...GROUPS.map((group) => legendItem(group.label, group.key, pick(group.key))),
      bands.length > 0 ? legendItem('Gaps', 'gap', String(bands.length), 'legend-gap') : null,
    );
  };

  const describe = () => {
    if (!input) return;
    const sums = seriesSums(input.shaped);
    plotHost.setAttribute(
      'aria-label',
      `Events over time, ${intervalLabel(input.interval)}: ${formatCount(sums.human)} by registered humans, ` +
        `${formatCount(sums.anonymous)} anonymous, ${formatCount(sums.bot)} by bots; peak ${formatCount(sums.peak)} ` +
        `${intervalLabel(input.interval)}; ${input.bands.length} ingestion gaps.`,
    );
  };

  const build = () => {
    chart?.destroy();
    chart = null;
    if (!input) return;
    const current = input;
    chart = new uPlot(
      chartOptions(() => input ?? current, plotSize(), {
        draw: [(u) => drawGaps(u, input?.bands ?? [])],
        setCursor: [(u) => renderLegend(u.cursor.idx ?? null)],
        setSelect: [
          (u) => {
            if (u.select.width < 8) return;
            const from = u.posToVal(u.select.left, 'x') * 1000;
            const to = u.posToVal(u.select.left + u.select.width, 'x') * 1000;
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
            onSelectRange(Math.round(from), Math.round(to));
          },
        ],
      }),
      chartData(current.shaped),
      plotHost,
    );
  };

  // The plot is absolutely placed inside its host, so the host's size comes from the layout
  // (the panel stretches to its row) and the canvas follows it without feeding back.
  const plotSize = () => ({
    width: Math.max(240, Math.floor(plotHost.clientWidth || panel.body.clientWidth || 600)),
    height: Math.max(MIN_HEIGHT, Math.floor(plotHost.clientHeight)),
  });
  new ResizeObserver(() => {
    if (!chart || plotHost.clientWidth === 0) return;
    const size = plotSize();
    if (Math.abs(chart.width - size.width) > 1 || Math.abs(chart.height - size.height) > 1)
      chart.setSize(size);
  }).observe(plotHost);

  return {
    panel,
    update(stats, gaps) {
      const shaped = shapeSeries(stats.series);
      const fromMs = Date.parse(stats.range.from);
      const toMs = Date.parse(stats.range.to);
      input = {
        shaped,
        bands: gapBands(gaps, fromMs, toMs),
        fromSec: fromMs / 1000,
        toSec: toMs / 1000,
        interval: stats.range.interval,
      };
      panel.meta.replaceChildren(
        h('span', { class: 'chip' }, intervalLabel(stats.range.interval)),
        h(
          'span',
          { class: 'panel-meta-text' },
          `${formatClock(stats.range.from)} – ${formatClock(stats.range.to)}`,
        ),
      );
      if (seriesSums(shaped).total === 0) {
        chart?.destroy();
        chart = null;
        panel.empty('No events in this time range with these filters.');
        return;
      }
      if (panel.state() !== 'ready' || !chart) {
        panel.ready(plotHost, legend);
        build();
      } else {
        chart.setData(chartData(shaped));
        panel.settle();
      }
      describe();
      renderLegend(null);
    },
    retheme() {
      if (chart) build();
    },
  };
}
