import type { PipelineResponse } from '@wikistream/shared';
import type { SearchPort, SearchResponse, ValueAgg } from '../elasticsearch/search-types.ts';
import type { KafkaPort } from '../kafka/kafka-types.ts';
import { WINDOWS } from '../limits.ts';
import { timeRange } from '../query/filter-query.ts';
import type { DeadLetterLog } from './dead-letter-log.ts';
import { driftReport } from './drift-report.ts';
import type { OffsetSampler } from './offset-sampler.ts';

export interface PipelineSources {
  readonly search: SearchPort;
  readonly index: string;
  /** The indexers' schema drift counters (`<prefix>_drift-*`). */
  readonly driftIndex: string;
  readonly kafka: KafkaPort;
  readonly dataTopic: string;
  readonly indexerGroup: string;
  readonly sampler: OffsetSampler;
  readonly deadLetters: DeadLetterLog;
  /** True when the shared consumer reads the DLQ and gap topics. */
  readonly feedLive: () => boolean;
  readonly clock: () => number;
}

type Lag = Pick<PipelineResponse, 'lag' | 'totalLag'>;

async function lag(sources: PipelineSources): Promise<Lag> {
  if ((await sources.kafka.existingTopics([sources.dataTopic])).length === 0)
    throw new Error(`topic ${sources.dataTopic} does not exist`);
  const [ends, committed] = await Promise.all([
    sources.kafka.endOffsets(sources.dataTopic),
    sources.kafka.groupOffsets(sources.indexerGroup, sources.dataTopic),
  ]);
  const byPartition = new Map(committed.map(({ partition, offset }) => [partition, BigInt(offset)]));
  const rows = ends
    .map(({ partition, low, high }) => {
      const done = byPartition.get(partition) ?? -1n;
      // Nothing committed yet: everything still retained is waiting.
      const from = done < 0n ? BigInt(low) : done;
      const behind = BigInt(high) - from;
      return {
        partition,
        committedOffset: done.toString(),
        endOffset: high,
        lag: Number(behind < 0n ? 0n : behind),
      };
    })
    .sort((a, b) => a.partition - b.partition);
  return { lag: rows, totalLag: rows.reduce((sum, row) => sum + row.lag, 0) };
}

const newest = (field: string) => ({
  size: 1,
  track_total_hits: false,
  _source: false,
  sort: [{ [field]: 'desc' }],
  docvalue_fields: [{ field, format: 'strict_date_optional_time' }],
});

async function newestValue(sources: PipelineSources, field: string): Promise<string | null> {
  const answer = await sources.search.search({
    index: sources.index,
    body: { ...newest(field), query: { exists: { field } } },
  });
  const fields = (answer.hits.hits[0] as { fields?: Record<string, string[]> } | undefined)?.fields;
  return fields?.[field]?.[0] ?? null;
}

async function recentIndexing(sources: PipelineSources, now: number) {
  const answer: SearchResponse = await sources.search.search({
    index: sources.index,
    body: {
      size: 0,
      track_total_hits: false,
      query: timeRange(now - WINDOWS.pipelineRecentMs, undefined, 'pipeline.indexed_at'),
      aggs: {
        lastMinute: { filter: timeRange(now - WINDOWS.rateWindowMs, undefined, 'pipeline.indexed_at') },
        latency: { percentiles: { field: 'pipeline.latency_ms', percents: [50, 99] } },
        measured: { value_count: { field: 'pipeline.latency_ms' } },
      },
    },
  });
  const aggs = answer.aggregations ?? {};
  const values = (aggs.latency as { values?: Record<string, number | null> } | undefined)?.values ?? {};
  const sampleSize = (aggs.measured as ValueAgg | undefined)?.value ?? 0;
  const outPerSecond =
    ((aggs.lastMinute as { doc_count?: number } | undefined)?.doc_count ?? 0) / (WINDOWS.rateWindowMs / 1000);
  const pick = (key: string) =>
    sampleSize > 0 && typeof values[key] === 'number' ? Math.round(values[key]) : null;
  return { outPerSecond, latency: { p50Ms: pick('50.0'), p99Ms: pick('99.0'), sampleSize } };
}

/**
 * Everything /api/pipeline shows. Each part is read on its own; a part that cannot be read is
 * named in `unavailable` and shown empty, so Kafka being down never hides Elasticsearch's view.
 */
export async function pipelineReport(sources: PipelineSources): Promise<PipelineResponse> {
  const now = sources.clock();
  const [lagPart, eventDt, indexedAt, recent, group, driftPart] = await Promise.allSettled([
    lag(sources),
    newestValue(sources, 'meta.dt'),
    newestValue(sources, 'pipeline.indexed_at'),
    recentIndexing(sources, now),
    sources.kafka.groupMembers(sources.indexerGroup, sources.dataTopic),
    driftReport(sources.search, sources.driftIndex, now),
    sources.sampler.sample(),
  ]);
  const unavailable: string[] = [];
  const value = <T>(part: PromiseSettledResult<T>, name: string, fallback: T): T => {
    if (part.status === 'fulfilled') return part.value;
    unavailable.push(name);
    return fallback;
  };
  const lagValue = value(lagPart, 'lag', { lag: [], totalLag: 0 });
  const newestEventDt = value(eventDt, 'freshness', null);
  const newestIndexedAt = value(indexedAt, 'freshness', null);
  const recentValue = value(recent, 'latency', {
    outPerSecond: 0,
    latency: { p50Ms: null, p99Ms: null, sampleSize: 0 },
  });
  const indexers = value(group, 'indexers', { state: 'Unknown', members: [] });
  const drift = value(driftPart, 'drift', {
    from: new Date(now - WINDOWS.driftWindowMs).toISOString(),
    to: new Date(now).toISOString(),
    schemas: [],
  });
  const inPerSecond = sources.sampler.rate();
  if (inPerSecond === undefined && lagPart.status === 'rejected') unavailable.push('rates');
  const live = sources.feedLive();
  if (!live) unavailable.push('deadLetters', 'gaps');
  const dt = newestEventDt === null ? Number.NaN : Date.parse(newestEventDt);
  return {
    generatedAt: new Date(now).toISOString(),
    freshness: {
      newestEventDt: newestEventDt === null ? null : new Date(dt).toISOString(),
      newestIndexedAt: newestIndexedAt === null ? null : new Date(newestIndexedAt).toISOString(),
      ageSeconds: Number.isNaN(dt) ? null : Math.max(0, (now - dt) / 1000),
    },
    ...lagValue,
    rates: { inPerSecond: inPerSecond ?? 0, outPerSecond: recentValue.outPerSecond },
    latency: recentValue.latency,
    deadLetters: sources.deadLetters.summary(),
    gaps: sources.deadLetters.gaps().map((gap) => ({ ...gap, detectedAt: gap.detectedAt ?? '' })),
    indexers: {
      state: indexers.state,
      members: [...indexers.members].sort((a, b) => (a.partitions[0] ?? 1e9) - (b.partitions[0] ?? 1e9)),
    },
    drift,
    unavailable: [...new Set(unavailable)],
  };
}
