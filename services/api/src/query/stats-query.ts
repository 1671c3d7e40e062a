import { ROLLUP } from '../limits.ts';
import { EDITOR_KIND_CLAUSES } from './editor-kind-query.ts';
import { attributeClauses, type Clause, NOT_CANARY, timeRange } from './filter-query.ts';
import type { Filters } from './filters.ts';

/** What /api/stats asks for: a [from, to) range, and the period of equal length before it. */
export interface StatsPlan {
  readonly filters: Filters;
  readonly from: number;
  readonly to: number;
  readonly intervalMs: number;
  readonly top: number;
  /** When it is computed: a window may end later (rounded up to its buckets); the rate reads before this. */
  readonly asOf?: number;
}

/** Minutes whose rollup cells are complete: [from, to), minute-aligned. */
export interface Coverage {
  readonly from: number;
  readonly to: number;
}

/** Where one period is read from: rollup cells for its whole minutes, raw documents for the rest. */
export interface PeriodSources {
  readonly core?: { from: number; to: number };
  readonly edges: { from: number; to: number }[];
}

const MINUTE = 60_000;

/** The first series bucket starts on the whole minute at or before `from`. */
export function seriesStart(plan: { from: number }): number {
  return Math.floor(plan.from / MINUTE) * MINUTE;
}

/** Switch by range: short periods, or periods outside the rollups, read raw documents only. */
export function splitPeriod(from: number, to: number, coverage: Coverage | undefined): PeriodSources {
  if (!coverage) return { edges: [{ from, to }] };
  const coreFrom = Math.max(Math.ceil(from / MINUTE) * MINUTE, coverage.from);
  const coreTo = Math.min(Math.floor(to / MINUTE) * MINUTE, coverage.to);
  if (coreTo - coreFrom < ROLLUP.minCoreMs) return { edges: [{ from, to }] };
  const edges = [
    { from, to: coreFrom },
    { from: coreTo, to },
  ].filter((edge) => edge.to > edge.from);
  return { core: { from: coreFrom, to: coreTo }, edges };
}

/** A raw document counts 1; a rollup cell counts the events it stands for. */
const N = { n: { sum: { field: 'rollup.count', missing: 1 } } };
const BOTS: Clause = { filter: { term: { bot: true } }, aggs: N };
/**
 * Logged-out editors (temporary accounts and IP addresses); the bot flag wins, so bots + registered
 * + anonymous = all events, and anonymous − temporary = IP addresses.
 */
const ANONYMOUS: Clause = {
  filter: { bool: { filter: [{ term: { is_anonymous: true } }], must_not: [{ term: { bot: true } }] } },
  aggs: N,
};
const TEMPORARY: Clause = { filter: EDITOR_KIND_CLAUSES.temporary, aggs: N };

/** Only rollup cells have `rollup.count`. (An `_index` query is not honoured inside a filter aggregation here.) */
const ROLLUP_CELL: Clause = { exists: { field: 'rollup.count' } };

export function periodFilter(sources: PeriodSources): Clause {
  const should: Clause[] = [];
  const rollupDoc = ROLLUP_CELL;
  if (sources.edges.length > 0) {
    const ranges = sources.edges.map((edge) => timeRange(edge.from, edge.to));
    should.push({
      bool: { filter: [{ bool: { should: ranges, minimum_should_match: 1 } }], must_not: [rollupDoc] },
    });
  }
  if (sources.core)
    should.push({ bool: { filter: [rollupDoc, timeRange(sources.core.from, sources.core.to)] } });
  return { bool: { should, minimum_should_match: 1 } };
}

/** One period's summable totals: counts, types, bot/anonymous split, wikis, bytes. */
function countingAggs(): Record<string, Clause> {
  return {
    ...N,
    types: { terms: { field: 'type', size: 20, order: { n: 'desc' } }, aggs: N },
    bots: BOTS,
    anonymous: ANONYMOUS,
    temporary: TEMPORARY,
    wikiCount: { cardinality: { field: 'wiki' } },
    addedRaw: {
      filter: { range: { byte_delta: { gt: 0 } } },
      aggs: { sum: { sum: { field: 'byte_delta' } } },
    },
    removedRaw: {
      filter: { range: { byte_delta: { lt: 0 } } },
      aggs: { sum: { sum: { field: 'byte_delta' } } },
    },
    addedCells: { sum: { field: 'rollup.bytes_added' } },
    removedCells: { sum: { field: 'rollup.bytes_removed' } },
  };
}

function breakdownAggs(plan: StatsPlan): Record<string, Clause> {
  return {
    wikis: {
      terms: { field: 'wiki', size: plan.top, order: { n: 'desc' } },
      aggs: { ...N, serverUrl: { terms: { field: 'server_url', size: 1 } } },
    },
    namespaces: { terms: { field: 'namespace', size: 50, order: { n: 'desc' } }, aggs: N },
    series: {
      date_histogram: {
        field: 'meta.dt',
        fixed_interval: `${plan.intervalMs / 1000}s`,
        // Buckets start on the minute of `from`, so a rollup cell (one minute) never straddles two.
        offset: `${((seriesStart(plan) % plan.intervalMs) + plan.intervalMs) % plan.intervalMs}ms`,
        min_doc_count: 0,
      },
      aggs: { ...N, bots: BOTS, anonymous: ANONYMOUS, temporary: TEMPORARY },
    },
  };
}

/**
 * Everything that adds up (so rollup cells can stand in for whole minutes): totals, series, top
 * wikis, types and namespaces of both periods and the last full minute, in one search over the raw
 * indices and the rollup index together.
 */
export function summableSearchBody(plan: StatsPlan, coverage: Coverage | undefined) {
  const length = plan.to - plan.from;
  const lastMinuteEnd = Math.floor(Math.min(plan.to, plan.asOf ?? plan.to) / MINUTE) * MINUTE;
  const period = (from: number, to: number) => periodFilter(splitPeriod(from, to, coverage));
  return {
    size: 0,
    track_total_hits: false,
    query: {
      bool: {
        filter: [...attributeClauses(plan.filters), timeRange(plan.from - length, plan.to)],
        must_not: [NOT_CANARY],
      },
    },
    aggs: {
      current: { filter: period(plan.from, plan.to), aggs: { ...countingAggs(), ...breakdownAggs(plan) } },
      previous: { filter: period(plan.from - length, plan.from), aggs: countingAggs() },
      lastMinute: { filter: period(lastMinuteEnd - MINUTE, lastMinuteEnd), aggs: N },
    },
  };
}

/**
 * What does not add up, from raw documents: top pages (grouped by title, then wiki), top editors
 * and distinct editors. Over very many events the top lists come from a uniform random sample
 * (`sampleRate` < 1; counts are scaled back by the engine); distinct editors are always exact.
 */
export function listsSearchBody(plan: StatsPlan, sampleRate: number) {
  const length = plan.to - plan.from;
  const serverUrl = { serverUrl: { terms: { field: 'server_url', size: 1 } } };
  const lists = {
    pages: {
      terms: { field: 'title', size: plan.top * 2, shard_size: plan.top * 10 },
      aggs: { wikis: { terms: { field: 'wiki', size: 3 }, aggs: serverUrl } },
    },
    editors: {
      terms: { field: 'user', size: plan.top, shard_size: plan.top * 10 },
      aggs: {
        bot: { terms: { field: 'bot', size: 1 } },
        anonymous: { terms: { field: 'is_anonymous', size: 1 } },
        kind: { terms: { field: 'editor_kind', size: 1 } },
        wikis: { terms: { field: 'wiki', size: 1 }, aggs: serverUrl },
      },
    },
  };
  const userCount = { userCount: { cardinality: { field: 'user', precision_threshold: 3000 } } };
  const current = timeRange(plan.from, plan.to);
  // The engine accepts random_sampler only at the top level, so a sampled range nests the other way.
  const sampled =
    sampleRate < 1
      ? {
          sample: {
            random_sampler: { probability: sampleRate, seed: 7 },
            aggs: { current: { filter: current, aggs: lists } },
          },
        }
      : {};
  return {
    size: 0,
    track_total_hits: false,
    query: {
      bool: {
        filter: [...attributeClauses(plan.filters), timeRange(plan.from - length, plan.to)],
        must_not: [NOT_CANARY],
      },
    },
    aggs: {
      current: { filter: current, aggs: { ...userCount, ...(sampleRate < 1 ? {} : lists) } },
      previous: { filter: timeRange(plan.from - length, plan.from), aggs: userCount },
      ...sampled,
    },
  };
}
