import type { StatsResponse } from '@wikistream/shared';
import type { SearchPort } from '../elasticsearch/search-types.ts';
import { SAMPLING } from '../limits.ts';
import { rollupPrefix } from '../rollup/rollup-index.ts';
import { filterQuery } from './filter-query.ts';
import { type Coverage, listsSearchBody, type StatsPlan, summableSearchBody } from './stats-query.ts';
import { toStatsResponse } from './stats-result.ts';

export interface StatsSources {
  readonly search: SearchPort;
  readonly prefix: string;
  readonly rawIndex: string;
  readonly coverage: Coverage | undefined;
  readonly sampleAbove: number;
}

/** Sample the top lists of very large ranges, at about SAMPLING.target events. */
export function sampleRateFor(events: number, above: number): number {
  return events > above ? Math.min(0.5, SAMPLING.target / events) : 1;
}

/**
 * Two searches side by side: what adds up (from rollup cells for whole rolled-up minutes, raw
 * documents for the rest), and what does not (top lists and distinct editors, from raw documents,
 * sampled when a quick count says the range holds very many events).
 */
export async function computeStats(
  sources: StatsSources,
  plan: StatsPlan,
  intervalName: string,
): Promise<StatsResponse> {
  const rollups = rollupPrefix(sources.prefix);
  const index = sources.coverage ? `${sources.rawIndex},${rollups}-*` : sources.rawIndex;
  const summable = sources.search.search({ index, body: summableSearchBody(plan, sources.coverage) });
  const lists = (async () => {
    const events = await sources.search.count({
      index: sources.rawIndex,
      body: { query: filterQuery(plan.filters, plan) },
    });
    const sampleRate = sampleRateFor(events, sources.sampleAbove);
    const answer = await sources.search.search({
      index: sources.rawIndex,
      body: listsSearchBody(plan, sampleRate),
    });
    return { answer, sampleRate };
  })();
  const [summed, listed] = await Promise.all([summable, lists]);
  return toStatsResponse(
    plan,
    intervalName,
    summed.aggregations ?? {},
    listed.answer.aggregations ?? {},
    listed.sampleRate,
  );
}
