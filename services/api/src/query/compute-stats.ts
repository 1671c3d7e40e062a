import type { StatsResponse } from '@wikistream/shared';
import type { SearchPort, ValueAgg } from '../elasticsearch/search-types.ts';
import { SAMPLING } from '../limits.ts';
import { rollupPrefix } from '../rollup/rollup-index.ts';
import { type Coverage, listsSearchBody, type StatsPlan, summableSearchBody } from './stats-query.ts';
import { toStatsResponse } from './stats-result.ts';

export interface StatsSources {
  readonly search: SearchPort;
  readonly prefix: string;
  readonly rawIndex: string;
  readonly coverage: Coverage | undefined;
  readonly sampleAbove: number;
}

/**
 * Two searches: what adds up (from rollup cells for whole rolled-up minutes, raw documents for the
 * rest), then what does not (top lists and distinct editors, from raw documents; sampled when the
 * first search says the range holds very many events).
 */
export async function computeStats(
  sources: StatsSources,
  plan: StatsPlan,
  intervalName: string,
): Promise<StatsResponse> {
  const rollups = rollupPrefix(sources.prefix);
  const index = sources.coverage ? `${sources.rawIndex},${rollups}-*` : sources.rawIndex;
  const summable = await sources.search.search({
    index,
    body: summableSearchBody(plan, sources.coverage),
  });
  const aggs = summable.aggregations ?? {};
  const events =
    ((aggs.current as Record<string, unknown> | undefined)?.n as ValueAgg | undefined)?.value ?? 0;
  const sampleRate = events > sources.sampleAbove ? Math.min(0.5, Math.max(SAMPLING.target, 1) / events) : 1;
  const lists = await sources.search.search({
    index: sources.rawIndex,
    body: listsSearchBody(plan, sampleRate),
  });
  return toStatsResponse(plan, intervalName, aggs, lists.aggregations ?? {}, sampleRate);
}
