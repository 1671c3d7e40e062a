import type { PipelineResponse, StatsResponse, TrendingResponse } from '@wikistream/shared';
import { describeError, getJson, isAbort } from './api-client.ts';
import { filterParams, rangedParams } from './api-query.ts';
import type { Layout } from './layout.ts';
import { freshnessBadge } from './panels/pipeline.ts';
import type { TimeRange } from './time-range.ts';
import type { ViewState } from './url-state.ts';

/**
 * One refresh of the data panels: stats and pipeline together (the chart needs the gap ledger),
 * trending on its own. Each panel shows its data or its error; resolves to whether all loaded.
 * Aborted requests leave the panels alone: a newer refresh is on its way.
 */
export async function loadPanels(
  layout: Layout,
  view: { state: ViewState; range: TimeRange; now: number },
  signal: AbortSignal,
  retry: () => void,
): Promise<boolean> {
  for (const panel of [...layout.statsPanels, layout.trending.panel, layout.pipeline.panel]) panel.loading();
  const results = await Promise.allSettled([
    loadStatsAndPipeline(layout, view, signal, retry),
    loadTrending(layout, view.state, signal, retry),
  ]);
  return results.every((result) => result.status === 'fulfilled');
}

async function loadStatsAndPipeline(
  layout: Layout,
  view: { state: ViewState; range: TimeRange; now: number },
  signal: AbortSignal,
  retry: () => void,
): Promise<void> {
  const [stats, pipe] = await Promise.allSettled([
    getJson<StatsResponse>(`/api/stats?${rangedParams(view.state, view.range)}`, signal),
    getJson<PipelineResponse>('/api/pipeline', signal),
  ]);
  if (pipe.status === 'fulfilled') {
    layout.pipeline.update(pipe.value, view.now);
    layout.header.status.replaceChildren(freshnessBadge(pipe.value, view.now));
  } else if (!isAbort(pipe.reason)) layout.pipeline.panel.error(describeError(pipe.reason), retry);
  if (stats.status === 'fulfilled') {
    layout.kpis.update(stats.value);
    layout.chart.update(stats.value, pipe.status === 'fulfilled' ? pipe.value.gaps : []);
    layout.breakdowns.update(stats.value);
    layout.tops.update(stats.value);
    layout.toolbar.setWikiSuggestions(stats.value.topWikis.map((row) => row.key));
  } else if (!isAbort(stats.reason)) {
    for (const panel of layout.statsPanels) panel.error(describeError(stats.reason), retry);
  }
  if (stats.status === 'rejected') throw stats.reason;
  if (pipe.status === 'rejected') throw pipe.reason;
}

async function loadTrending(layout: Layout, state: ViewState, signal: AbortSignal, retry: () => void) {
  try {
    layout.trending.update(await getJson<TrendingResponse>(`/api/trending?${filterParams(state)}`, signal));
  } catch (error) {
    if (!isAbort(error)) layout.trending.panel.error(describeError(error), retry);
    throw error;
  }
}
