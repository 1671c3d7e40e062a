import type { StatsResponse, TrendingResponse } from '@wikistream/shared';
import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import type { AppDeps } from '../app-deps.ts';
import { invalidParameter, wholeNumber } from '../http/api-error.ts';
import { LIMITS, WINDOWS } from '../limits.ts';
import { createAnswerCache } from '../query/answer-cache.ts';
import { computeStats } from '../query/compute-stats.ts';
import { type Filters, parseFilters, resolveRange } from '../query/filters.ts';
import { fitInterval } from '../query/interval.ts';
import {
  baselineSearchBody,
  pageCandidates,
  type TrendingPlan,
  toTrendingResponse,
  trendingPlan,
  trendingSearchBody,
} from '../query/trending.ts';
import { StatsQuerySchema, TrendingQuerySchema } from '../schemas/query-schemas.ts';
import { ApiErrorSchema, StatsResponseSchema, TrendingResponseSchema } from '../schemas/wire-schemas.ts';

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const MAX_LAST_MS = 400 * UNIT_MS.d;

/** `last=24h`: the range ending now; checked before anything is computed. */
function lastMs(query: { last?: string | undefined; from?: string | undefined; to?: string | undefined }) {
  if (query.last === undefined) return undefined;
  if (query.from !== undefined || query.to !== undefined)
    throw invalidParameter('last', 'cannot be combined with from or to');
  const ms = Number(query.last.slice(0, -1)) * UNIT_MS[query.last.slice(-1) as keyof typeof UNIT_MS];
  if (!(ms > 0) || ms > MAX_LAST_MS) throw invalidParameter('last', 'must be at most 400 days');
  return ms;
}

export function analyticsRoutes(app: FastifyInstance, deps: AppDeps, index: string): void {
  // Keyed by the question (not by a resolved "now"), so every dashboard asking for the last 24 h
  // shares one answer, refreshed in the background.
  const cache = createAnswerCache({
    ttlMs: deps.config.ANALYTICS_CACHE_MS,
    staleMs: deps.config.ANALYTICS_STALE_MS,
    maxEntries: 500,
    clock: deps.clock,
  });

  function stats(filters: Filters, last: number | undefined, top: number): Promise<StatsResponse> {
    const now = deps.clock();
    const range =
      last === undefined ? resolveRange(filters, now, WINDOWS.defaultRangeMs) : { from: now - last, to: now };
    const interval = fitInterval(range.to - range.from);
    const sources = {
      search: deps.search,
      prefix: deps.config.ES_INDEX_PREFIX,
      rawIndex: index,
      coverage: deps.rollups?.coverage(),
      sampleAbove: deps.config.STATS_SAMPLE_ABOVE,
    };
    return computeStats(sources, { filters, ...range, intervalMs: interval.ms, top }, interval.name);
  }

  async function trending(plan: TrendingPlan): Promise<TrendingResponse> {
    const answer = await deps.search.search({ index, body: trendingSearchBody(plan) });
    const aggs = answer.aggregations ?? {};
    const titles = [...new Set(pageCandidates(aggs).map((candidate) => candidate.title))];
    const baseline =
      titles.length === 0
        ? {}
        : ((await deps.search.search({ index, body: baselineSearchBody(plan, titles) })).aggregations ?? {});
    return toTrendingResponse(plan, aggs, baseline);
  }

  app.get(
    '/api/stats',
    {
      schema: {
        tags: ['analytics'],
        summary: 'Totals, a time series, top lists and breakdowns for a range (default: the last hour)',
        description:
          'Canary events are never counted. `previous` holds the same totals for the period of equal length before `from`. Answers are shared among clients for a few seconds.',
        querystring: StatsQuerySchema,
        response: { 200: StatsResponseSchema, '4xx': ApiErrorSchema, '5xx': ApiErrorSchema },
      },
    },
    async (request): Promise<StatsResponse> => {
      const query = request.query as Static<typeof StatsQuerySchema>;
      const filters = parseFilters(query);
      const last = lastMs(query);
      const top = wholeNumber('top', query.top, 1, LIMITS.topItems, 10);
      return cache.get(`stats ${JSON.stringify({ filters, last, top })}`, () => stats(filters, last, top));
    },
  );

  app.get(
    '/api/trending',
    {
      schema: {
        tags: ['analytics'],
        summary: 'Pages and wikis whose last 15 minutes exceed their own 3-hour baseline',
        description: '`to` ends the recent window (default now); `from`, when given, bounds the baseline.',
        querystring: TrendingQuerySchema,
        response: { 200: TrendingResponseSchema, '4xx': ApiErrorSchema, '5xx': ApiErrorSchema },
      },
    },
    async (request): Promise<TrendingResponse> => {
      const query = request.query as Static<typeof TrendingQuerySchema>;
      const filters = parseFilters(query);
      const limit = wholeNumber('limit', query.limit, 1, LIMITS.topItems, 10);
      return cache.get(`trending ${JSON.stringify({ filters, limit })}`, () =>
        trending(trendingPlan(filters, deps.clock(), limit)),
      );
    },
  );
}
