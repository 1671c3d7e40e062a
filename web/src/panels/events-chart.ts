import type { PipelineResponse, StatsResponse } from '@wikistream/shared';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { describeChart, renderLegend } from '../charts/events-legend.ts';
import { type ChartInput, chartData, chartOptions, drawGaps } from '../charts/events-plot.ts';
import { h } from '../dom.ts';
import { formatClock } from '../format.ts';
import { createPanel, type Panel } from '../panel.ts';
import { gapBands, intervalLabel, seriesSums, shapeSeries } from '../series.ts';

const MIN_HEIGHT = 240;

export interface EventsChart {
  readonly panel: Panel;
  update(stats: StatsResponse, gaps: PipelineResponse['gaps']): void;
  /** Colours come from the theme's CSS variables: rebuild the chart when the theme changes. */
  retheme(): void;
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

  const showLegend = (index: number | null) => {
    if (input) renderLegend(legend, input, index);
  };

  const build = () => {
    chart?.destroy();
    chart = null;
    if (!input) return;
    const current = input;
    chart = new uPlot(
      chartOptions(() => input ?? current, plotSize(), {
        draw: [(u) => drawGaps(u, input?.bands ?? [])],
        setCursor: [(u) => showLegend(u.cursor.idx ?? null)],
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
      plotHost.setAttribute('aria-label', describeChart(input));
      showLegend(null);
    },
    retheme() {
      if (chart) build();
    },
  };
}
