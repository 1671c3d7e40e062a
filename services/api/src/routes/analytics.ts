import type { StatsResponse, TrendingResponse } from '@wikistream/shared';
import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import type { AppDeps } from '../app-deps.ts';
import { invalidParameter } from '../http/api-error.ts';
import { WINDOWS } from '../limits.ts';
import { createAnswerCache } from '../query/answer-cache.ts';
import { parseFilters, resolveRange } from '../query/filters.ts';
import { fitInterval } from '../query/interval.ts';
import { statsSearchBody } from '../query/stats-query.ts';
import { toStatsResponse } from '../query/stats-result.ts';
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

function lastRange(query: { last?: string; from?: string; to?: string }, now: number) {
  if (query.from !== undefined || query.to !== undefined)
    throw invalidParameter('last', 'cannot be combined with from or to');
  const amount = Number(query.last?.slice(0, -1));
  const ms = amount * UNIT_MS[(query.last?.slice(-1) ?? 'h') as keyof typeof UNIT_MS];
  if (!(ms > 0) || ms > MAX_LAST_MS) throw invalidParameter('last', 'must be at most 400 days');
  return { from: now - ms, to: now };
}

export function analyticsRoutes(app: FastifyInstance, deps: AppDeps, index: string): void {
  const ttl = deps.config.ANALYTICS_CACHE_MS;
  const cache = createAnswerCache({ ttlMs: ttl, maxEntries: 500, clock: deps.clock });
  /** "Now", rounded down to the cache period so that concurrent dashboards ask the same question. */
  const now = () => (ttl > 0 ? Math.floor(deps.clock() / ttl) * ttl : deps.clock());
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
      const range =
        query.last === undefined
          ? resolveRange(filters, now(), WINDOWS.defaultRangeMs)
          : lastRange(query, now());
      const interval = fitInterval(range.to - range.from);
      const plan = { filters, ...range, intervalMs: interval.ms, top: query.top ?? 10 };
      return cache.get(`stats ${JSON.stringify(plan)}`, async () => {
        const answer = await deps.search.search({ index, body: statsSearchBody(plan) });
        return toStatsResponse(plan, interval.name, answer.aggregations ?? {});
      });
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
      const plan = trendingPlan(parseFilters(query), now(), query.limit ?? 10);
      return cache.get(`trending ${JSON.stringify(plan)}`, () => trending(plan));
    },
  );

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
}
