import type { StatsResponse, TrendingResponse } from '@wikistream/shared';
import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import type { AppDeps } from '../app-deps.ts';
import { WINDOWS } from '../limits.ts';
import { parseFilters, resolveRange } from '../query/filters.ts';
import { fitInterval } from '../query/interval.ts';
import { statsSearchBody } from '../query/stats-query.ts';
import { toStatsResponse } from '../query/stats-result.ts';
import {
  baselineSearchBody,
  pageCandidates,
  toTrendingResponse,
  trendingPlan,
  trendingSearchBody,
} from '../query/trending.ts';
import { StatsQuerySchema, TrendingQuerySchema } from '../schemas/query-schemas.ts';
import { ApiErrorSchema, StatsResponseSchema, TrendingResponseSchema } from '../schemas/wire-schemas.ts';

export function analyticsRoutes(app: FastifyInstance, deps: AppDeps, index: string): void {
  app.get(
    '/api/stats',
    {
      schema: {
        tags: ['analytics'],
        summary: 'Totals, a time series, top lists and breakdowns for a range (default: the last hour)',
        description:
          'Canary events are never counted. `previous` holds the same totals for the period of equal length before `from`.',
        querystring: StatsQuerySchema,
        response: { 200: StatsResponseSchema, '4xx': ApiErrorSchema, '5xx': ApiErrorSchema },
      },
    },
    async (request): Promise<StatsResponse> => {
      const query = request.query as Static<typeof StatsQuerySchema>;
      const filters = parseFilters(query);
      const range = resolveRange(filters, deps.clock(), WINDOWS.defaultRangeMs);
      const interval = fitInterval(range.to - range.from);
      const plan = { filters, ...range, intervalMs: interval.ms, top: query.top ?? 10 };
      const answer = await deps.search.search({ index, body: statsSearchBody(plan) });
      return toStatsResponse(plan, interval.name, answer.aggregations ?? {});
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
      const plan = trendingPlan(parseFilters(query), deps.clock(), query.limit ?? 10);
      const answer = await deps.search.search({ index, body: trendingSearchBody(plan) });
      const aggs = answer.aggregations ?? {};
      const titles = [...new Set(pageCandidates(aggs).map((candidate) => candidate.title))];
      const baseline =
        titles.length === 0
          ? {}
          : ((await deps.search.search({ index, body: baselineSearchBody(plan, titles) })).aggregations ??
            {});
      return toTrendingResponse(plan, aggs, baseline);
    },
  );
}
