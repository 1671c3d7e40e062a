import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

const PREFIX = 'wikistream_indexer_';

/** The indexer's Prometheus metrics, on a registry of its own (several indexers can live in one test process). */
export function createIndexerMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: PREFIX });
  const registers = [registry];
  return {
    registry,
    consumed: new Counter({
      name: `${PREFIX}consumed_total`,
      help: 'Kafka records taken from the data topic',
      registers,
    }),
    indexed: new Counter({
      name: `${PREFIX}indexed_total`,
      help: 'documents Elasticsearch accepted',
      registers,
    }),
    retried: new Counter({
      name: `${PREFIX}retried_total`,
      help: 'bulk items sent again after a 429, 5xx, timeout or connection error',
      registers,
    }),
    deadLettered: new Counter({
      name: `${PREFIX}dead_lettered_total`,
      help: 'records written to the dead-letter topic, by reason',
      labelNames: ['reason'] as const,
      registers,
    }),
    skipped: new Counter({
      name: `${PREFIX}skipped_total`,
      help: 'records resolved without indexing (canary events)',
      labelNames: ['reason'] as const,
      registers,
    }),
    bulkDuration: new Histogram({
      name: `${PREFIX}bulk_duration_seconds`,
      help: 'one _bulk request, by outcome (items: the engine answered; failed: the request failed as a whole)',
      labelNames: ['outcome'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    endToEnd: new Histogram({
      name: `${PREFIX}end_to_end_latency_seconds`,
      help: 'indexed-at minus received-at (since="received") and minus meta.dt (since="event")',
      labelNames: ['since'] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 86_400],
      registers,
    }),
    lag: new Gauge({
      name: `${PREFIX}consumer_lag`,
      help: 'messages between the last handled offset and the high watermark, per assigned partition',
      labelNames: ['topic', 'partition'] as const,
      registers,
    }),
    bulkConcurrency: new Gauge({
      name: `${PREFIX}bulk_concurrency`,
      help: 'bulk requests this indexer keeps in flight at most: its share of BULK_CONCURRENCY by owned partitions',
      registers,
    }),
    lastIndexed: new Gauge({
      name: `${PREFIX}last_indexed_timestamp_seconds`,
      help: 'when Elasticsearch last accepted a document from this indexer (unix seconds)',
      registers,
    }),
    commits: new Counter({ name: `${PREFIX}commits_total`, help: 'offset commits after a chunk', registers }),
    retentionDeleted: new Counter({
      name: `${PREFIX}retention_deleted_indices_total`,
      help: 'daily indices deleted by retention',
      registers,
    }),
    driftFlushes: new Counter({
      name: `${PREFIX}schema_drift_flushes_total`,
      help: 'writes of the schema drift counters, by outcome (failed ones are retried at the next interval)',
      labelNames: ['outcome'] as const,
      registers,
    }),
    driftPendingMinutes: new Gauge({
      name: `${PREFIX}schema_drift_pending_minutes`,
      help: 'minutes of schema drift counters held in memory (two while flushes succeed)',
      registers,
    }),
    driftDroppedEvents: new Counter({
      name: `${PREFIX}schema_drift_dropped_events_total`,
      help: 'events whose schema drift counts were dropped because flushes failed for too long',
      registers,
    }),
    retentionFailures: new Counter({
      name: `${PREFIX}retention_failures_total`,
      help: 'retention runs that failed (retried at the next interval)',
      registers,
    }),
  };
}

export type IndexerMetrics = ReturnType<typeof createIndexerMetrics>;
