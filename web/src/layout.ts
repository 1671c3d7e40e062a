import { createHeader, type Header } from './controls/header.ts';
import { createToolbar, type Toolbar } from './controls/toolbar.ts';
import { h } from './dom.ts';
import type { Panel } from './panel.ts';
import { type Breakdowns, createBreakdowns } from './panels/breakdowns.ts';
import { createEventsChart, type EventsChart } from './panels/events-chart.ts';
import { createKpiCards, type KpiCards } from './panels/kpi-cards.ts';
import { createLiveFeed, type LiveFeed } from './panels/live-feed.ts';
import { createPipeline, type Pipeline } from './panels/pipeline.ts';
import { createSearch, type Search } from './panels/search.ts';
import { createTopLists, type TopLists } from './panels/top-lists.ts';
import { createTrending, type Trending } from './panels/trending.ts';
import type { ViewState } from './url-state.ts';

/** What the user can ask of the dashboard from inside a panel or the chrome. */
export interface LayoutActions {
  refresh(): void;
  toggleTheme(): void;
  change(patch: Partial<ViewState>): void;
}

export interface Layout {
  readonly header: Header;
  readonly toolbar: Toolbar;
  readonly kpis: KpiCards;
  readonly chart: EventsChart;
  readonly breakdowns: Breakdowns;
  readonly tops: TopLists;
  readonly trending: Trending;
  readonly live: LiveFeed;
  readonly pipeline: Pipeline;
  readonly search: Search;
  /** The panels fed by /api/stats. */
  readonly statsPanels: readonly Panel[];
}

/** Every panel, wired to the actions, placed on the page in reading order. */
export function createLayout(root: HTMLElement, actions: LayoutActions): Layout {
  const iso = (ms: number) => new Date(ms).toISOString();
  const layout = {
    header: createHeader({ refresh: actions.refresh, toggleTheme: actions.toggleTheme }),
    toolbar: createToolbar(actions.change),
    kpis: createKpiCards(),
    chart: createEventsChart((from, to) => actions.change({ range: 'custom', from: iso(from), to: iso(to) })),
    breakdowns: createBreakdowns({
      addType: (type) => actions.change({ type: [type] }),
      addNamespace: (namespace) => actions.change({ namespace: [namespace] }),
    }),
    tops: createTopLists({ addWiki: (wiki) => actions.change({ wiki: [wiki] }) }),
    trending: createTrending(),
    live: createLiveFeed(),
    pipeline: createPipeline(),
    search: createSearch((q) => actions.change({ q })),
  };
  const [types, namespaces, bytes] = layout.breakdowns.panels as [Panel, Panel, Panel];
  root.replaceChildren(
    h('a', { class: 'skip-link', href: '#main' }, 'Skip to the dashboard'),
    layout.header.element,
    h(
      'main',
      { id: 'main', tabindex: '-1' },
      layout.toolbar.element,
      h(
        'div',
        { class: 'grid' },
        ...[layout.kpis.panel, layout.chart.panel, types, bytes, ...layout.tops.panels].map((p) => p.element),
        ...[layout.trending.panel, namespaces, layout.live.panel, layout.pipeline.panel].map(
          (p) => p.element,
        ),
        layout.search.panel.element,
      ),
    ),
    h(
      'footer',
      { class: 'app-footer' },
      h('span', {}, 'Data: Wikimedia EventStreams (recentchange), through Kafka and Elasticsearch.'),
      h('a', { href: '/docs' }, 'API documentation'),
      h(
        'span',
        { class: 'app-version', 'data-version': __WIKISTREAM_VERSION__ },
        `wikistream ${__WIKISTREAM_VERSION__}`,
      ),
    ),
  );
  return {
    ...layout,
    statsPanels: [layout.kpis.panel, layout.chart.panel, ...layout.breakdowns.panels, ...layout.tops.panels],
  };
}
