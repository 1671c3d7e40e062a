import type { StatsResponse, TrendingResponse } from '@wikistream/shared';
import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import type { AppDeps } from '../app-deps.ts';
import { invalidParameter, wholeNumber } from '../http/api-error.ts';
import type { InFlightLimit } from '../http/in-flight.ts';
import { LIMITS, WINDOWS } from '../limits.ts';
import { createAnswerCache } from '../query/answer-cache.ts';
import { computeStats } from '../query/compute-stats.ts';
import { type Filters, parseFilters } from '../query/filters.ts';
import { resolveWindow, type StatsWindow, statsWindow, windowKey } from '../query/stats-window.ts';
import {
  alignTrendingFilters,
  baselineSearchBody,
  pageCandidates,
  type TrendingPlan,
  toTrendingResponse,
  trendingPlan,
  trendingSearchBody,
} from '../query/trending.ts';
import { StatsQuerySchema, TrendingQuerySchema } from '../schemas/query-schemas.ts';
import { REFUSALS } from '../schemas/refusal-schemas.ts';
import { ApiErrorSchema, StatsResponseSchema, TrendingResponseSchema } from '../schemas/wire-schemas.ts';

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `last=24h`: the range ending now (its bound is checked with the others, in statsWindow). */
function lastMs(query: { last?: string | undefined; from?: string | undefined; to?: string | undefined }) {
  if (query.last === undefined) return undefined;
  if (query.from !== undefined || query.to !== undefined)
    throw invalidParameter('last', 'cannot be combined with from or to');
  const ms = Number(query.last.slice(0, -1)) * UNIT_MS[query.last.slice(-1) as keyof typeof UNIT_MS];
  if (!(ms > 0)) throw invalidParameter('last', 'must be a positive length such as 24h');
  return ms;
}

/** Stats and trending: shared answers, computed within the query bound (503 beyond it). */
export function analyticsRoutes(
  app: FastifyInstance,
  deps: AppDeps,
  index: string,
  queries: InFlightLimit,
): void {
  // Keyed by the question (not by a resolved "now"), so every dashboard asking for the last 24 h
  // shares one answer, refreshed in the background.
  const cache = createAnswerCache({
    ttlMs: deps.config.ANALYTICS_CACHE_MS,
    staleMs: deps.config.ANALYTICS_STALE_MS,
    maxEntries: 500,
    clock: deps.clock,
  });

  const bounds = {
    maxMs: deps.config.STATS_MAX_RANGE_HOURS * 3_600_000,
    defaultMs: WINDOWS.defaultRangeMs,
  };

  function stats(filters: Filters, window: StatsWindow, top: number): Promise<StatsResponse> {
    const now = deps.clock();
    const { interval, ...range } = resolveWindow(window, now);
    const sources = {
      search: deps.search,
      prefix: deps.config.ES_INDEX_PREFIX,
      rawIndex: index,
      coverage: deps.rollups?.coverage(),
      sampleAbove: deps.config.STATS_SAMPLE_ABOVE,
    };
    return computeStats(
      sources,
      { filters, ...range, intervalMs: interval.ms, top, asOf: now },
      interval.name,
    );
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
          'Canary events are never counted. `previous` holds the same totals for the period of equal length before `from`. A range (from–to, or last) longer than STATS_MAX_RANGE_HOURS (default 168) is a 400. With from or to, the window is widened to whole buckets of its interval (from rounded down, to rounded up) and `range` names the window used; answers are shared among clients for a few seconds.',
        querystring: StatsQuerySchema,
        response: {
          200: StatsResponseSchema,
          ...REFUSALS.query,
          '4xx': ApiErrorSchema,
          '5xx': ApiErrorSchema,
        },
      },
    },
    async (request): Promise<StatsResponse> => {
      const query = request.query as Static<typeof StatsQuerySchema>;
      const filters = parseFilters(query);
      const window = statsWindow(filters, lastMs(query), deps.clock(), bounds);
      const top = wholeNumber('top', query.top, 1, LIMITS.topItems, 10);
      return cache.get(`stats ${windowKey(filters, window, { top })}`, () =>
        queries.run(() => stats(filters, window, top)),
      );
    },
  );

  app.get(
    '/api/trending',
    {
      schema: {
        tags: ['analytics'],
        summary: 'Pages and wikis whose last 15 minutes exceed their own 3-hour baseline',
        description:
          '`to` ends the recent window (default now); `from`, when given, bounds the baseline. Both are taken on whole minutes (from rounded down, to rounded up); `window` and `baseline` name the times used.',
        querystring: TrendingQuerySchema,
        response: {
          200: TrendingResponseSchema,
          ...REFUSALS.query,
          '4xx': ApiErrorSchema,
          '5xx': ApiErrorSchema,
        },
      },
    },
    async (request): Promise<TrendingResponse> => {
      const query = request.query as Static<typeof TrendingQuerySchema>;
      const filters = alignTrendingFilters(parseFilters(query));
      const limit = wholeNumber('limit', query.limit, 1, LIMITS.topItems, 10);
      return cache.get(`trending ${JSON.stringify({ filters, limit })}`, () =>
        queries.run(() => trending(trendingPlan(filters, deps.clock(), limit))),
      );
    },
  );
}
