import {
  dropUpstream,
  failUpstream,
  killIndexers,
  killProducer,
  redirectUpstream,
  stallUpstream,
  stopElasticsearch,
  stopKafka,
  trickleUpstream,
} from './faults.ts';
import type { ScenarioSpec } from './scenario.ts';

/**
 * The fault scenarios of the end-to-end suite. `full` has the volumes and outages the claims are
 * made for (`pnpm test:chaos`); the fast set folds them into two short scenarios for `pnpm test`.
 */
const LIVE_RATE = 30;

/** Invalid input mixed into the stream; the DLQ must hold exactly these, with these reasons. */
const BAD_INPUT = { canaryEvery: 97, malformedEvery: 211, invalidEvery: 101, oversizeEvery: 1009 } as const;

/** Hostile input in turn (nested too deep, meta.dt in 9999, in 1970); the DLQ must hold each. */
const HOSTILE_INPUT = { hostileEvery: 149 } as const;

/** The producer's watchdog, short so that a stall is noticed within the scenario. */
const WATCHDOG = { STALL_TIMEOUT_MS: '3000' } as const;

export function fullScenarios(): ScenarioSpec[] {
  const tenfold = LIVE_RATE * 10;
  return [
    {
      slug: 'producer-kills',
      title: 'producer SIGKILL ×5',
      rate: tenfold,
      events: 18_000,
      faults: [killProducer(5, 3, 55)],
      drainTimeoutMs: 300_000,
    },
    {
      slug: 'indexer-kills',
      title: 'indexer SIGKILL ×10',
      rate: tenfold,
      events: 24_000,
      faults: [killIndexers(10, 3, 75)],
      drainTimeoutMs: 300_000,
    },
    {
      slug: 'es-outage',
      title: 'Elasticsearch stopped 60 s',
      rate: tenfold,
      events: 27_000,
      privateElasticsearch: true,
      faults: [stopElasticsearch(10, 60)],
      drainTimeoutMs: 300_000,
    },
    {
      slug: 'kafka-outage',
      title: 'Kafka broker stopped 30 s',
      rate: tenfold,
      events: 21_000,
      privateKafka: true,
      faults: [stopKafka(10, 30)],
      drainTimeoutMs: 300_000,
    },
    {
      slug: 'upstream',
      title: 'upstream drops/500, 503 30 s, 429 30 s, stall',
      rate: tenfold,
      events: 33_000,
      dropEvery: 500,
      producerEnv: WATCHDOG,
      faults: [failUpstream(5, 503, 30), failUpstream(45, 429, 30), stallUpstream(85, 10)],
      drainTimeoutMs: 300_000,
    },
    {
      slug: 'bad-input',
      title: 'malformed, invalid, schema, >1 MiB',
      rate: tenfold,
      events: 12_000,
      inject: BAD_INPUT,
      faults: [],
      drainTimeoutMs: 300_000,
    },
    {
      slug: 'hostile-upstream',
      title: 'redirects to another origin, byte trickle, poison and far-dated events',
      rate: tenfold,
      events: 15_000,
      inject: { canaryEvery: 97, hostileEvery: 53 },
      producerEnv: WATCHDOG,
      faults: [redirectUpstream(5, 10), trickleUpstream(20, 500, 30), redirectUpstream(35, 5, 308)],
      drainTimeoutMs: 300_000,
    },
    {
      slug: 'everything',
      title: 'all at once, 100× live rate',
      rate: LIVE_RATE * 100,
      events: 360_000,
      privateKafka: true,
      privateElasticsearch: true,
      inject: { ...BAD_INPUT, ...HOSTILE_INPUT, oversizeEvery: 4999 },
      producerEnv: WATCHDOG,
      faults: [
        killProducer(5, 5, 110),
        killIndexers(10, 5, 110),
        stopElasticsearch(10, 60),
        failUpstream(15, 503, 30),
        failUpstream(50, 429, 30),
        dropUpstream(80, 500, 20),
        stallUpstream(102, 10),
        stopKafka(100, 15),
        redirectUpstream(65, 10),
        trickleUpstream(118, 500, 60),
      ],
      drainTimeoutMs: 900_000,
    },
  ];
}

/** What `pnpm test` runs: every kind of fault, at small volumes with short outages, in two pipelines. */
export function fastScenarios(): { processes: ScenarioSpec; engines: ScenarioSpec } {
  return {
    processes: {
      slug: 'fast-processes',
      title: 'kills, upstream faults, bad input',
      rate: LIVE_RATE * 10,
      events: 6_000,
      dropEvery: 500,
      inject: { ...BAD_INPUT, ...HOSTILE_INPUT },
      producerEnv: { STALL_TIMEOUT_MS: '2000' },
      faults: [
        killProducer(2, 2, 16),
        killIndexers(3, 2, 16),
        failUpstream(4, 503, 3),
        failUpstream(9, 429, 3),
        stallUpstream(14, 5),
        redirectUpstream(12, 3),
        trickleUpstream(17, 250, 20),
      ],
      drainTimeoutMs: 180_000,
    },
    engines: {
      slug: 'fast-engines',
      title: 'Elasticsearch and Kafka stopped',
      rate: LIVE_RATE * 10,
      events: 4_500,
      privateKafka: true,
      privateElasticsearch: true,
      inject: { malformedEvery: 499, invalidEvery: 251 },
      faults: [stopElasticsearch(2, 5), stopKafka(9, 3)],
      drainTimeoutMs: 180_000,
    },
  };
}
