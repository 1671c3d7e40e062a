import { type Clause, filterQuery, timeRange } from './filter-query.ts';
import type { Filters } from './filters.ts';

/** What /api/stats asks for: a [from, to) range and the range of equal length before it. */
export interface StatsPlan {
  readonly filters: Filters;
  readonly from: number;
  readonly to: number;
  readonly intervalMs: number;
  readonly top: number;
}

const MINUTE = 60_000;

const BOTS: Clause = { filter: { term: { bot: true } } };
/** Logged-out editors; a bot flag wins, so bot + human + anonymous = all events. */
const ANONYMOUS: Clause = {
  filter: { bool: { filter: [{ term: { is_anonymous: true } }], must_not: [{ term: { bot: true } }] } },
};

/** Aggregations that give one period's Totals; only core aggregations, no scripts. */
export function totalsAggs(): Record<string, Clause> {
  return {
    types: { terms: { field: 'type', size: 20 } },
    bots: BOTS,
    anonymous: ANONYMOUS,
    wikiCount: { cardinality: { field: 'wiki' } },
    userCount: { cardinality: { field: 'user', precision_threshold: 3000 } },
    added: { filter: { range: { byte_delta: { gt: 0 } } }, aggs: { sum: { sum: { field: 'byte_delta' } } } },
    removed: {
      filter: { range: { byte_delta: { lt: 0 } } },
      aggs: { sum: { sum: { field: 'byte_delta' } } },
    },
  };
}

function seriesAgg(plan: StatsPlan): Clause {
  return {
    date_histogram: {
      field: 'meta.dt',
      fixed_interval: `${plan.intervalMs / 1000}s`,
      // Buckets start at `from`, so none straddles the range's edges.
      offset: `${((plan.from % plan.intervalMs) + plan.intervalMs) % plan.intervalMs}ms`,
      min_doc_count: 0,
      extended_bounds: { min: plan.from, max: plan.to - 1 },
    },
    aggs: { bots: BOTS, anonymous: ANONYMOUS },
  };
}

/** The lists: top wikis, pages (grouped by title, then wiki), editors, namespaces. */
function listAggs(top: number): Record<string, Clause> {
  const serverUrl = { serverUrl: { terms: { field: 'server_url', size: 1 } } };
  return {
    wikis: { terms: { field: 'wiki', size: top }, aggs: serverUrl },
    pages: {
      terms: { field: 'title', size: top * 2, shard_size: top * 10 },
      aggs: { wikis: { terms: { field: 'wiki', size: 3 }, aggs: serverUrl } },
    },
    editors: {
      terms: { field: 'user', size: top, shard_size: top * 10 },
      aggs: {
        bot: { terms: { field: 'bot', size: 1 } },
        anonymous: { terms: { field: 'is_anonymous', size: 1 } },
        wikis: { terms: { field: 'wiki', size: 1 }, aggs: serverUrl },
      },
    },
    namespaces: { terms: { field: 'namespace', size: 50 } },
  };
}

/** One search, size 0: current period, previous period and the last full minute. */
export function statsSearchBody(plan: StatsPlan): Record<string, unknown> {
  const length = plan.to - plan.from;
  const lastMinuteEnd = Math.floor(plan.to / MINUTE) * MINUTE;
  return {
    size: 0,
    track_total_hits: false,
    query: filterQuery(plan.filters, { from: plan.from - length, to: plan.to }),
    aggs: {
      current: {
        filter: timeRange(plan.from, plan.to),
        aggs: { ...totalsAggs(), ...listAggs(plan.top), series: seriesAgg(plan) },
      },
      previous: { filter: timeRange(plan.from - length, plan.from), aggs: totalsAggs() },
      lastMinute: { filter: timeRange(lastMinuteEnd - MINUTE, lastMinuteEnd) },
    },
  };
}
