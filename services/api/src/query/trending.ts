import type { TrendingItem, TrendingResponse } from '@wikistream/shared';
import type { Bucket, BucketsAgg } from '../elasticsearch/search-types.ts';
import { TRENDING, WINDOWS } from '../limits.ts';
import { type Clause, filterQuery, timeRange } from './filter-query.ts';
import type { Filters } from './filters.ts';

/**
 * Trending: pages and wikis whose event count in the last 15 minutes exceeds what their own
 * baseline (the 3 hours before, scaled to 15 minutes) predicts by TRENDING.ratio, with minimum
 * counts so that a page edited twice does not trend. The ratio is smoothed by +1 on both sides,
 * so something new (no baseline) needs real volume to trend.
 */
export interface TrendingPlan {
  readonly filters: Filters;
  readonly window: { from: number; to: number };
  readonly baseline: { from: number; to: number };
  readonly limit: number;
}

const MINUTE = 60_000;

/**
 * Bounds on whole minutes (from rounded down, to rounded up), so requests within one minute share
 * one answer; the answer's window and baseline name the times used.
 */
export function alignTrendingFilters(filters: Filters): Filters {
  return {
    ...filters,
    ...(filters.from === undefined ? {} : { from: Math.floor(filters.from / MINUTE) * MINUTE }),
    ...(filters.to === undefined ? {} : { to: Math.ceil(filters.to / MINUTE) * MINUTE }),
  };
}

export function trendingPlan(filters: Filters, now: number, limit: number): TrendingPlan {
  const to = filters.to ?? now;
  const windowFrom = to - WINDOWS.trendingWindowMs;
  const baselineFrom = Math.max(
    filters.from ?? Number.NEGATIVE_INFINITY,
    windowFrom - WINDOWS.trendingBaselineMs,
  );
  return {
    filters,
    window: { from: windowFrom, to },
    baseline: { from: Math.min(baselineFrom, windowFrom), to: windowFrom },
    limit,
  };
}

const serverUrl = { serverUrl: { terms: { field: 'server_url', size: 1 } } };
const split = (plan: TrendingPlan): Record<string, Clause> => ({
  recent: { filter: timeRange(plan.window.from, plan.window.to) },
  before: { filter: timeRange(plan.baseline.from, plan.baseline.to) },
});

/** One search: candidates by recent count, each with its recent and baseline counts. */
export function trendingSearchBody(plan: TrendingPlan): Record<string, unknown> {
  return {
    size: 0,
    track_total_hits: false,
    query: filterQuery(plan.filters, { from: plan.baseline.from, to: plan.window.to }),
    aggs: {
      recentPages: {
        filter: timeRange(plan.window.from, plan.window.to),
        aggs: {
          pages: {
            terms: { field: 'title', size: TRENDING.candidates, min_doc_count: TRENDING.minPageEvents },
            aggs: { wikis: { terms: { field: 'wiki', size: 3 }, aggs: serverUrl } },
          },
        },
      },
      wikis: { terms: { field: 'wiki', size: 1000 }, aggs: { ...serverUrl, ...split(plan) } },
    },
  };
}

/** The candidates' baseline counts, in a second search restricted to their titles. */
export function baselineSearchBody(plan: TrendingPlan, titles: string[]): Record<string, unknown> {
  return {
    size: 0,
    track_total_hits: false,
    query: filterQuery(plan.filters, plan.baseline, [{ terms: { title: titles } }]),
    aggs: {
      pages: {
        terms: { field: 'title', size: titles.length },
        aggs: { wikis: { terms: { field: 'wiki', size: 10 } } },
      },
    },
  };
}

type Aggs = Record<string, unknown>;
const buckets = (aggs: Aggs | undefined, name: string): Bucket[] =>
  (aggs?.[name] as BucketsAgg | undefined)?.buckets ?? [];
const count = (aggs: Aggs, name: string) =>
  (aggs[name] as { doc_count?: number } | undefined)?.doc_count ?? 0;

function item(
  plan: TrendingPlan,
  wiki: string,
  title: string | null,
  url: unknown,
  recent: number,
  before: number,
) {
  const scale = (plan.window.to - plan.window.from) / Math.max(1, plan.baseline.to - plan.baseline.from);
  const expected = before * scale;
  const ratio = (recent + 1) / (expected + 1);
  return { wiki, title, serverUrl: url === undefined ? null : String(url), recent, expected, ratio };
}

const byRatio = (a: TrendingItem, b: TrendingItem) => b.ratio - a.ratio || b.recent - a.recent;

/** The recent candidates: [wiki, title, serverUrl, recent count]. */
export function pageCandidates(aggs: Aggs): { wiki: string; title: string; url: unknown; recent: number }[] {
  return buckets(aggs.recentPages as Aggs, 'pages').flatMap((title) =>
    buckets(title, 'wikis')
      .filter((wiki) => wiki.doc_count >= TRENDING.minPageEvents)
      .map((wiki) => ({
        wiki: String(wiki.key),
        title: String(title.key),
        url: buckets(wiki, 'serverUrl')[0]?.key,
        recent: wiki.doc_count,
      })),
  );
}

/** Pure: both answers → the wire response. */
export function toTrendingResponse(plan: TrendingPlan, aggs: Aggs, baselineAggs: Aggs): TrendingResponse {
  const baseline = new Map<string, number>();
  for (const title of buckets(baselineAggs, 'pages'))
    for (const wiki of buckets(title, 'wikis')) baseline.set(`${wiki.key}\u0000${title.key}`, wiki.doc_count);
  const pages = pageCandidates(aggs)
    .map((c) => item(plan, c.wiki, c.title, c.url, c.recent, baseline.get(`${c.wiki}\u0000${c.title}`) ?? 0))
    .filter((page) => page.ratio >= TRENDING.ratio)
    .sort(byRatio);
  const wikis = buckets(aggs, 'wikis')
    .map((w) =>
      item(
        plan,
        String(w.key),
        null,
        buckets(w, 'serverUrl')[0]?.key,
        count(w, 'recent'),
        count(w, 'before'),
      ),
    )
    .filter((wiki) => wiki.recent >= TRENDING.minWikiEvents && wiki.ratio >= TRENDING.ratio)
    .sort(byRatio);
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    window: { from: iso(plan.window.from), to: iso(plan.window.to) },
    baseline: { from: iso(plan.baseline.from), to: iso(plan.baseline.to) },
    pages: pages.slice(0, plan.limit),
    wikis: wikis.slice(0, plan.limit),
  };
}
