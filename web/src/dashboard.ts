import { filterParams } from './api-query.ts';
import { loadPanels } from './data-loader.ts';
import { formatClock } from './format.ts';
import { createLayout } from './layout.ts';
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

/**
 * The dashboard's controller: the view lives in the URL (pushState on change, popstate on back),
 * the data panels refresh on a timer that waits while the tab is hidden, and the live feed
 * reconnects only when the filters change.
 */
export function startDashboard(deps: DashboardDeps): void {
  let state = decodeState(location.search);
  let controller: AbortController | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let staleWhileHidden = false;

  const theme = createTheme(document.documentElement, deps.storage, deps.media);
  const layout = createLayout(deps.root, {
    refresh: () => void refresh(),
    toggleTheme: () => theme.toggle(),
    change: (patch) => apply({ ...state, ...patch }),
  });
  theme.onChange((value) => {
    layout.header.setTheme(value);
    layout.chart.retheme();
  });
  layout.header.setTheme(theme.current());

  async function refresh(): Promise<void> {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    controller?.abort();
    const own = new AbortController();
    controller = own;
    const now = deps.now();
    layout.header.setUpdated('Updating…', 'busy');
    const ok = await loadPanels(layout, { state, range: resolveRange(state, now), now }, own.signal, () => {
      void refresh();
    });
    if (own.signal.aborted) return;
    const clock = formatClock(new Date(deps.now()));
    layout.header.setUpdated(ok ? `Updated ${clock}` : `Update failed at ${clock}`, ok ? 'ok' : 'error');
    schedule();
  }

  function schedule() {
    if (state.refresh <= 0) return;
    timer = setTimeout(() => {
      if (document.hidden) staleWhileHidden = true;
      else void refresh();
    }, state.refresh * 1000);
  }

  function render(previous: ViewState | null) {
    const range = resolveRange(state, deps.now());
    layout.toolbar.sync(state, range);
    if (!previous || !sameFilters(previous, state)) layout.live.connect(state);
    layout.search.run(state, range);
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

  // A link in an older form (`anonymous=true`, say) gets the address of the view it opened, so
  // the address bar and the filters agree from the start.
  const canonical = encodeState(state);
  if (canonical !== location.search.replace(/^\?/, '')) {
    history.replaceState(null, '', `${canonical ? `?${canonical}` : location.pathname}${location.hash}`);
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
