import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** The producer's Prometheus metrics, on their own registry (with process metrics such as RSS). */
export interface ProducerMetrics {
  readonly registry: Registry;
  readonly received: Counter<'kind'>;
  readonly produced: Counter;
  readonly deadLettered: Counter<'reason'>;
  readonly duplicates: Counter;
  readonly canaries: Counter;
  readonly reconnects: Counter<'cause'>;
  readonly gaps: Counter<'reason'>;
  readonly kafkaFailures: Counter;
  readonly upstreamBytes: Counter;
  readonly batchEvents: Histogram;
  readonly batchSeconds: Histogram;
  readonly upstreamConnected: Gauge;
  readonly kafkaReady: Gauge;
  setClock(read: { lastEventTime(): number | undefined; lastCanaryTime(): number | undefined }): void;
}

export function createMetrics(): ProducerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  let clock: Parameters<ProducerMetrics['setClock']>[0] | undefined;
  const age = (time: number | undefined) => (time === undefined ? -1 : (Date.now() - time) / 1000);
  new Gauge({
    name: 'wikistream_producer_last_event_age_seconds',
    help: 'Seconds since meta.dt of the newest data event received (-1 before the first)',
    registers,
    collect() {
      this.set(age(clock?.lastEventTime()));
    },
  });
  new Gauge({
    name: 'wikistream_producer_last_canary_age_seconds',
    help: 'Seconds since meta.dt of the newest canary event (-1 before the first)',
    registers,
    collect() {
      this.set(age(clock?.lastCanaryTime()));
    },
  });
  const counter = <L extends string>(name: string, help: string, labelNames: L[] = []) =>
    new Counter<L>({ name: `wikistream_producer_${name}`, help, labelNames, registers });
  return {
    registry,
    received: counter('events_received_total', 'SSE message frames received, by outcome', ['kind']),
    produced: counter('events_produced_total', 'Events committed to the data topic'),
    deadLettered: counter('events_dead_lettered_total', 'Events committed to the DLQ, by reason', ['reason']),
    duplicates: counter(
      'events_duplicate_total',
      'Re-sent events recognised by meta.id and not produced again',
    ),
    canaries: counter('canaries_total', 'Canary events seen (never produced)'),
    reconnects: counter('reconnects_total', 'Upstream reconnects, by cause', ['cause']),
    gaps: counter('gaps_total', 'Gap records written, by reason', ['reason']),
    kafkaFailures: counter(
      'kafka_failures_total',
      'Transactions or connects that failed; reading restarts from the cursor',
    ),
    upstreamBytes: counter('upstream_bytes_total', 'Bytes received from the upstream'),
    batchEvents: new Histogram({
      name: 'wikistream_producer_batch_events',
      help: 'Records per committed transaction',
      buckets: [1, 10, 50, 100, 250, 500, 1000, 2000, 5000],
      registers,
    }),
    batchSeconds: new Histogram({
      name: 'wikistream_producer_batch_commit_seconds',
      help: 'Time to send and commit one transaction',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    upstreamConnected: new Gauge({
      name: 'wikistream_producer_upstream_connected',
      help: '1 while streaming',
      registers,
    }),
    kafkaReady: new Gauge({
      name: 'wikistream_producer_kafka_ready',
      help: '1 while Kafka accepts transactions',
      registers,
    }),
    setClock(read) {
      clock = read;
    },
  };
}
