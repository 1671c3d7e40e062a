import type { EditorKind } from '@wikistream/shared';
import { h, setChildren } from '../dom.ts';
import { EDITOR_KINDS } from '../editor-kinds.ts';
import { formatCount, formatDateTime } from '../format.ts';
import { intervalLabel, seriesSums } from '../series.ts';
import { type ChartInput, GROUPS } from './events-plot.ts';

function legendItem(label: string, swatch: string, value: string, extra = ''): HTMLElement {
  return h(
    'span',
    { class: `legend-item ${extra}`.trim() },
    h('span', { class: `legend-swatch swatch-${swatch}`, 'aria-hidden': 'true' }),
    h('span', { class: 'legend-label' }, label),
    h('span', { class: 'legend-value' }, value),
  );
}

/** The legend under the chart: totals for the range, or the values of the bucket under the cursor. */
export function renderLegend(legend: HTMLElement, input: ChartInput, index: number | null): void {
  const { shaped, bands } = input;
  const at = index !== null && index >= 0 && index < shaped.x.length ? index : null;
  const sums = seriesSums(shaped);
  const pick = (key: EditorKind) => formatCount(at === null ? sums[key] : (shaped[key][at] ?? 0));
  const when = at === null ? 'Whole range' : formatDateTime(new Date((shaped.x[at] ?? 0) * 1000));
  setChildren(
    legend,
    h('span', { class: 'legend-when' }, when),
    ...GROUPS.map((group) => legendItem(group.label, group.key, pick(group.key))),
    bands.length > 0 ? legendItem('Gaps', 'gap', String(bands.length), 'legend-gap') : null,
  );
}

const SPOKEN: Readonly<Record<EditorKind, string>> = {
  registered: 'registered accounts',
  temporary: 'temporary accounts',
  ip: 'IP addresses',
  bot: 'bots',
};

/** What the canvas shows, in words, for screen readers. */
export function describeChart(input: ChartInput): string {
  const sums = seriesSums(input.shaped);
  const per = intervalLabel(input.interval);
  const kinds = EDITOR_KINDS.map((kind) => `${formatCount(sums[kind])} by ${SPOKEN[kind]}`).join(', ');
  return (
    `Events over time, ${per}: ${kinds}; ` +
    `peak ${formatCount(sums.peak)} ${per}; ${input.bands.length} ingestion gaps.`
  );
}
