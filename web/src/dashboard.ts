import type { PipelineResponse, StatsResponse, TrendingResponse } from '@wikistream/shared';
import { describeError, getJson, isAbort } from './api-client.ts';
import { filterParams, rangedParams } from './api-query.ts';
import { createHeader } from './controls/header.ts';
import { createToolbar } from './controls/toolbar.ts';
import { h } from './dom.ts';
import { formatClock } from './format.ts';
import type { Panel } from './panel.ts';
import { createBreakdowns } from './panels/breakdowns.ts';
import { createEventsChart } from './panels/events-chart.ts';
import { createKpiCards } from './panels/kpi-cards.ts';
import { createLiveFeed } from './panels/live-feed.ts';
import { createPipeline, freshnessBadge } from './panels/pipeline.ts';
import { createSearch } from './panels/search.ts';
import { createTopLists } from './panels/top-lists.ts';
import { createTrending } from './panels/trending.ts';
import { createTheme } from './theme.ts';
import { resolveRange } from './time-range.ts';
import { decodeState, encodeState, type ViewState } from './url-state.ts';

export interface DashboardDeps {
  readonly root: HTMLElement;
  readonly storage: Storage | null;
  readonly media: MediaQueryList;
  readonly now: () => number;
}

const sameFilters = (a: ViewState, b: ViewState) => filterParams(a).toString() === filterParams(b).toString();

/** Builds the page, keeps the view in the URL, and refreshes the panels. */
export function startDashboard(deps: DashboardDeps): void {
  let state = decodeState(location.search);
  let controller: AbortController | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let staleWhileHidden = false;

  const theme = createTheme(document.documentElement, deps.storage, deps.media);
  const header = createHeader({ refresh: () => void refresh(), toggleTheme: () => theme.toggle() });
  const toolbar = createToolbar((patch) => apply({ ...state, ...patch }));
  const only = <K extends 'wiki' | 'type' | 'namespace'>(key: K, value: ViewState[K][number]) =>
    apply({ ...state, [key]: [value] });
  const kpis = createKpiCards();
  const chart = createEventsChart((from, to) =>
    apply({ ...state, range: 'custom', from: new Date(from).toISOString(), to: new Date(to).toISOString() }),
  );
  const breakdowns = createBreakdowns({
    addType: (t) => only('type', t),
    addNamespace: (n) => only('namespace', n),
  });
  const [typesPanel, namespacesPanel, bytesPanel] = breakdowns.panels as [Panel, Panel, Panel];
  const tops = createTopLists({ addWiki: (wiki) => only('wiki', wiki) });
  const trending = createTrending();
  const live = createLiveFeed();
  const pipeline = createPipeline();
  const search = createSearch((q) => apply({ ...state, q }));
  const statsPanels = [kpis.panel, chart.panel, ...breakdowns.panels, ...tops.panels];

  theme.onChange((value) => {
    header.setTheme(value);
    chart.retheme();
  });
  header.setTheme(theme.current());

  deps.root.replaceChildren(
    h('a', { class: 'skip-link', href: '#main' }, 'Skip to the dashboard'),
    header.element,
    h(
      'main',
      { id: 'main', tabindex: '-1' },
      toolbar.element,
      h(
        'div',
        { class: 'grid' },
        kpis.panel.element,
        chart.panel.element,
        typesPanel.element,
        bytesPanel.element,
        ...tops.panels.map((panel) => panel.element),
        trending.panel.element,
        namespacesPanel.element,
        live.panel.element,
        pipeline.panel.element,
        search.panel.element,
      ),
    ),
    h(
      'footer',
      { class: 'app-footer' },
      h('span', {}, 'Data: Wikimedia EventStreams (recentchange), through Kafka and Elasticsearch.'),
      h('a', { href: '/docs' }, 'API documentation'),
    ),
  );

  async function loadStats(range: ReturnType<typeof resolveRange>, signal: AbortSignal) {
    const query = rangedParams(state, range).toString();
    const [stats, pipe] = await Promise.allSettled([
      getJson<StatsResponse>(`/api/stats?${query}`, signal),
      getJson<PipelineResponse>('/api/pipeline', signal),
    ]);
    if (pipe.status === 'fulfilled') {
      pipeline.update(pipe.value, deps.now());
      header.status.replaceChildren(freshnessBadge(pipe.value, deps.now()));
    } else if (!isAbort(pipe.reason)) pipeline.panel.error(describeError(pipe.reason), () => void refresh());
    if (stats.status === 'rejected') {
      if (isAbort(stats.reason)) throw stats.reason;
      for (const panel of statsPanels) panel.error(describeError(stats.reason), () => void refresh());
      throw stats.reason;
    }
    kpis.update(stats.value);
    chart.update(stats.value, pipe.status === 'fulfilled' ? pipe.value.gaps : []);
    breakdowns.update(stats.value);
    tops.update(stats.value);
    toolbar.setWikiSuggestions(stats.value.topWikis.map((row) => row.key));
    if (pipe.status === 'rejected') throw pipe.reason;
  }

  async function loadTrending(signal: AbortSignal) {
    try {
      trending.update(
        await getJson<TrendingResponse>(`/api/trending?${filterParams(state).toString()}`, signal),
      );
    } catch (error) {
      if (!isAbort(error)) trending.panel.error(describeError(error), () => void refresh());
      throw error;
    }
  }

  async function refresh(): Promise<void> {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    controller?.abort();
    const own = new AbortController();
    controller = own;
    const range = resolveRange(state, deps.now());
    for (const panel of [...statsPanels, trending.panel, pipeline.panel]) panel.loading();
    header.setUpdated('Updating…', 'busy');
    const results = await Promise.allSettled([loadStats(range, own.signal), loadTrending(own.signal)]);
    if (own.signal.aborted) return;
    const failed = results.some((result) => result.status === 'rejected');
    const clock = formatClock(new Date(deps.now()));
    header.setUpdated(failed ? `Update failed at ${clock}` : `Updated ${clock}`, failed ? 'error' : 'ok');
    schedule();
  }

  function schedule() {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    if (state.refresh <= 0) return;
    timer = setTimeout(() => {
      if (document.hidden) staleWhileHidden = true;
      else void refresh();
    }, state.refresh * 1000);
  }

  function render(previous: ViewState | null) {
    toolbar.sync(state, resolveRange(state, deps.now()));
    if (!previous || !sameFilters(previous, state)) live.connect(state);
    search.run(state, resolveRange(state, deps.now()));
    void refresh();
  }

  function apply(next: ViewState) {
    const previous = state;
    // Round-trip through the URL form so the view is exactly what a reload would restore.
    const query = encodeState(next);
    state = decodeState(query);
    if (query !== encodeState(previous)) history.pushState(null, '', query ? `?${query}` : location.pathname);
    render(previous);
  }

  window.addEventListener('popstate', () => {
    const previous = state;
    state = decodeState(location.search);
    render(previous);
  });
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden && staleWhileHidden) {
      staleWhileHidden = false;
      void refresh();
    }
  });
  render(null);
}
