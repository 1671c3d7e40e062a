import type { InjectionOptions } from '../replay/event-log.ts';
import { loadSource, type SourceEvent } from '../replay/source-events.ts';
import { fixtureFiles } from '../testing/fixtures.ts';
import type { PrivateEngine } from '../testing/private-engines.ts';
import { seededRandom } from '../testing/seed.ts';
import { waitFor } from '../testing/wait-for.ts';
import type { Fault } from './faults.ts';
import { compareOutcome, type Expected, type Outcome, waitForDocuments } from './outcome.ts';
import { type Crash, type Pipeline, startPipeline } from './pipeline.ts';

/**
 * One fault scenario end to end: the pipeline up, events streaming at a fixed rate, the faults
 * injected on the stream's clock, then a wait until the store has drained and a full comparison
 * of what arrived with what the upstream served.
 */
export interface ScenarioSpec {
  readonly slug: string;
  readonly title: string;
  /** Events per second the upstream appends (the live stream is ≈30/s). */
  readonly rate: number;
  /** Valid recorded events in the stream (the fixtures, looped with new ids when more are asked). */
  readonly events: number;
  /** Which engines are the scenario's own (it stops them). */
  readonly privateKafka?: boolean;
  readonly privateElasticsearch?: boolean;
  readonly inject?: InjectionOptions;
  readonly dropEvery?: number;
  readonly producerEnv?: Readonly<Record<string, string>>;
  readonly faults: readonly Fault[];
  /** Longest wait for the store to hold every event once the stream and the faults are over. */
  readonly drainTimeoutMs: number;
}

export interface ScenarioEngines {
  readonly kafkaBrokers: string;
  readonly elasticsearchUrl: string;
  readonly kafka?: PrivateEngine | undefined;
  readonly elasticsearch?: PrivateEngine | undefined;
}

export interface ScenarioResult {
  readonly slug: string;
  readonly title: string;
  readonly seed: number;
  readonly outcome: Outcome;
  /** From the end of the stream and of the faults to every event searchable; NaN if never. */
  readonly drainSeconds: number;
  readonly streamSeconds: number;
  readonly framesSent: number;
  readonly crashes: readonly Crash[];
  readonly exitCodes: Readonly<Record<string, number | string>>;
  readonly notes: readonly string[];
}

let sourceCache: readonly SourceEvent[] | undefined;

/** `count` recorded events spread evenly over the fixtures, or all of them looped. */
export function streamSource(count: number): { source: readonly SourceEvent[]; loops: number } {
  sourceCache ??= loadSource(fixtureFiles()).events;
  const all = sourceCache;
  if (count >= all.length) return { source: all, loops: Math.max(1, Math.round(count / all.length)) };
  const step = all.length / count;
  return {
    source: Array.from({ length: count }, (_, i) => all[Math.floor(i * step)] as SourceEvent),
    loops: 1,
  };
}

export function chaosSeed(env: NodeJS.ProcessEnv = process.env): number {
  return env.WIKISTREAM_CHAOS_SEED ? Number(env.WIKISTREAM_CHAOS_SEED) : Math.floor(Math.random() * 2 ** 31);
}

/** What the replay server served, as the comparison wants it. */
function expectedFrom(pipeline: Pipeline, ids: readonly string[]): Expected {
  const { log } = pipeline.server;
  return {
    ids,
    servedIds: log.servedValidIds().length,
    deadLetters: log.expectedDeadLetters(),
    from: log.timestamp(0) - 60_000,
    to: log.timestamp(log.length - 1) + 60_000,
  };
}

async function drive(
  spec: ScenarioSpec,
  pipeline: Pipeline,
  engines: ScenarioEngines,
  seed: number,
  log: (line: string) => void,
): Promise<ScenarioResult> {
  const notes: string[] = [];
  const note = (text: string) => {
    notes.push(text);
    log(`[e2e] ${spec.slug}: ${text}`);
  };
  const { server } = pipeline;
  const context = {
    pipeline,
    elasticsearch: engines.elasticsearch,
    kafka: engines.kafka,
    random: seededRandom(seed),
    note,
  };
  await Promise.all(spec.faults.map((fault) => fault(context)));
  await waitFor(() => server.log.exhausted, {
    timeoutMs: (spec.events / spec.rate) * 1000 + 300_000,
    message: 'the upstream to serve the whole stream',
  });
  const drainFrom = Date.now();
  const ids = server.log.validIds();
  const drained = await waitForDocuments(engines.elasticsearchUrl, pipeline.names.prefix, ids.length, {
    timeoutMs: spec.drainTimeoutMs,
    stallMs: Math.min(spec.drainTimeoutMs, 120_000),
    onProgress: (count) => log(`[e2e] ${spec.slug}: ${count} / ${ids.length} documents`),
  });
  const drainSeconds = (drained.at - drainFrom) / 1000;
  note(`drained ${drained.reached ? 'completely' : 'INCOMPLETELY'} in ${drainSeconds.toFixed(1)} s`);
  const outcome = await compareOutcome(
    { ...engines, ...pipeline.names, apiUrl: pipeline.apiUrl },
    expectedFrom(pipeline, ids),
  );
  return {
    slug: spec.slug,
    title: spec.title,
    seed,
    outcome,
    drainSeconds: drained.reached ? drainSeconds : Number.NaN,
    streamSeconds: (drainFrom - pipeline.streamStartedAt) / 1000,
    framesSent: server.stats().framesSent,
    crashes: [...pipeline.crashes],
    exitCodes: await pipeline.stop(),
    notes,
  };
}

export async function runScenario(
  spec: ScenarioSpec,
  engines: ScenarioEngines,
  log: (line: string) => void = () => undefined,
): Promise<ScenarioResult> {
  const seed = chaosSeed();
  const { source, loops } = streamSource(spec.events);
  log(`[e2e] ${spec.slug}: ${spec.title} — ${source.length * loops} events at ${spec.rate}/s, seed ${seed}`);
  const pipeline = await startPipeline({
    kafkaBrokers: engines.kafkaBrokers,
    elasticsearchUrl: engines.elasticsearchUrl,
    slug: spec.slug,
    replay: {
      source,
      loops,
      pacing: { kind: 'rate', perSecond: spec.rate },
      inject: spec.inject ?? {},
      dropEvery: spec.dropEvery ?? 0,
      // Canaries keep the producer's watchdog (events, not bytes; 2–3 s in the scenarios) fed once
      // the stream is served, as Wikimedia's canaries do a quiet stream.
      canaryIntervalMs: 1000,
    },
    producerEnv: spec.producerEnv ?? {},
    log,
  });
  try {
    return await drive(spec, pipeline, engines, seed, log);
  } finally {
    await pipeline.close();
  }
}
