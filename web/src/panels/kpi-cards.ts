import type { StatsResponse } from '@wikistream/shared';
import { h, s } from '../dom.ts';
import { EDITOR_KINDS } from '../editor-kinds.ts';
import { computeKpis, type Kpi } from '../kpis.ts';
import { createPanel, type Panel } from '../panel.ts';
import { shapeSeries } from '../series.ts';

const TREND_ARROWS = { up: '\u25b2', down: '\u25bc', flat: '\u25c6', none: '' } as const;

/** A tiny line of the total events per bucket, drawn in SVG (no style attributes needed). */
function sparkline(values: readonly number[]): SVGSVGElement | null {
  if (values.length < 2) return null;
  const width = 120;
  const height = 28;
  const max = Math.max(1, ...values);
  const step = width / (values.length - 1);
  const points = values.map(
    (v, i) => `${(i * step).toFixed(1)},${(height - 2 - (v / max) * (height - 4)).toFixed(1)}`,
  );
  return s(
    'svg',
    {
      class: 'sparkline',
      viewBox: `0 0 ${width} ${height}`,
      preserveAspectRatio: 'none',
      'aria-hidden': 'true',
    },
    s('polyline', { points: `0,${height} ${points.join(' ')} ${width},${height}`, class: 'sparkline-area' }),
    s('polyline', { points: points.join(' '), class: 'sparkline-line' }),
  );
}

function card(kpi: Kpi, spark: SVGSVGElement | null): HTMLElement {
  const arrow = TREND_ARROWS[kpi.change.trend];
  return h(
    'li',
    { class: 'kpi', 'data-kpi': kpi.id },
    h('p', { class: 'kpi-label' }, kpi.label),
    h('p', { class: 'kpi-value' }, kpi.value),
    h(
      'p',
      { class: `kpi-change trend-${kpi.change.trend}`, title: kpi.hint },
      arrow ? h('span', { 'aria-hidden': 'true', class: 'kpi-arrow' }, arrow) : null,
      h('span', {}, kpi.change.text),
      h('span', { class: 'visually-hidden' }, ` ${kpi.hint}`),
      h('span', { class: 'kpi-vs', 'aria-hidden': 'true' }, ' vs prev.'),
    ),
    spark,
  );
}

export interface KpiCards {
  readonly panel: Panel;
  update(stats: StatsResponse): void;
}

export function createKpiCards(): KpiCards {
  const panel = createPanel({
    id: 'kpis',
    title: 'Key figures',
    className: 'panel-kpis span-12',
    skeletonRows: 2,
  });
  return {
    panel,
    update(stats) {
      const kpis = computeKpis(stats);
      const shaped = shapeSeries(stats.series);
      const ratio = (part: number[]) =>
        part.map((v, i) => (shaped.total[i] ? v / (shaped.total[i] ?? 1) : 0));
      const sparks: Record<string, number[]> = { 'events-per-minute': shaped.total };
      for (const kind of EDITOR_KINDS) sparks[`${kind}-share`] = ratio(shaped[kind]);
      panel.ready(
        h('ul', { class: 'kpi-grid' }, ...kpis.map((kpi) => card(kpi, sparkline(sparks[kpi.id] ?? [])))),
      );
    },
  };
}
