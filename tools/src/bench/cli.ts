/*
 * `pnpm bench [-- --only indexer,kafka,producer,latency,api,peer,compose] [--quick] [--out FILE]
 *              [--node-options=--max-semi-space-size=16]`   (NODE_OPTIONS for the producer, indexer and pipeline runs)
 *              [--env BULK_CONCURRENCY=4 ...]              (settings for the services it starts, to compare them)
 *              [--indexer-events 150000]                   (documents per indexer-section trial)
 *              [--indexer-warmup 30000]                    (untimed documents per indexer process first; 0: cold)
 *              [--indexer-rounds 5]                        (paired rounds per CPU arrangement; medians are reported)
 *              [--compose-phases 30:1,3000:1,3000:3]`      (compose section: events/s and indexers per phase)
 *
 * The benchmark suite in one run, each figure next to its baseline and goal: the Elasticsearch
 * bulk ceiling vs the indexer, Kafka's own ProducerPerformance vs the producer, end-to-end latency
 * at 100× the live rate, /api/stats over a 24 h index, RSS at load, a Go peer indexer, and the
 * memory of the whole `docker compose` stack at the live rate and at 100× (needs a Docker engine).
 * Prints progress, then a table; writes bench/results.json. Uses KAFKA_BROKERS / ELASTICSEARCH_URL
 * (default: the local stack); everything it creates has a unique name and is deleted after.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { formatTable } from '../e2e/report.ts';
import { stackPaths } from '../stack/paths.ts';
import { engineAddresses } from '../stack/stack.ts';
import { REPO_ROOT } from '../testing/fixtures.ts';
import { runApiBench } from './api.ts';
import { runComposeBench } from './compose.ts';
import { engineCpuReader, splitCpus } from './cpu-split.ts';
import { type Figure, figures, type SectionResults } from './figures.ts';
import { runIndexerBench } from './indexer.ts';
import { runKafkaCeiling } from './kafka-ceiling.ts';
import { runLatencyBench } from './latency.ts';
import { composePhases, integerOption, serviceSetting } from './options.ts';
import { runPeerBench } from './peer.ts';
import { runProducerBench } from './producer.ts';

const SECTIONS = ['indexer', 'kafka', 'producer', 'latency', 'api', 'peer', 'compose'] as const;
type Section = (typeof SECTIONS)[number];

const write = (line: string) => process.stdout.write(`${line}\n`);

function options() {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((arg) => arg !== '--'),
    options: {
      only: { type: 'string' },
      quick: { type: 'boolean', default: false },
      'node-options': { type: 'string' },
      env: { type: 'string', multiple: true },
      'indexer-events': { type: 'string' },
      'indexer-warmup': { type: 'string' },
      'indexer-rounds': { type: 'string' },
      'compose-phases': { type: 'string' },
      out: { type: 'string', default: join(REPO_ROOT, 'bench', 'results.json') },
    },
  });
  const only = (values.only?.split(',') ?? [...SECTIONS]).map((s) => s.trim());
  const unknown = only.filter((s) => !SECTIONS.includes(s as Section));
  if (unknown.length > 0)
    throw new Error(`unknown section(s) ${unknown.join(', ')}; known: ${SECTIONS.join(', ')}`);
  const serviceEnv: Record<string, string> = {
    ...(values['node-options'] ? { NODE_OPTIONS: values['node-options'] } : {}),
    ...Object.fromEntries((values.env ?? []).map((text) => serviceSetting(text, '--env'))),
  };
  const count = (name: 'indexer-events' | 'indexer-warmup' | 'indexer-rounds', least: number) => {
    const text = values[name];
    return text === undefined ? undefined : integerOption(name, text, least);
  };
  const indexerEvents = count('indexer-events', 1);
  const indexerWarmup = count('indexer-warmup', 0);
  const indexerRounds = count('indexer-rounds', 1);
  return {
    only: new Set(only as Section[]),
    quick: values.quick,
    out: values.out,
    serviceEnv,
    indexerEvents,
    indexerWarmup,
    indexerRounds,
    composePhases:
      values['compose-phases'] === undefined ? undefined : composePhases(values['compose-phases']),
  };
}

function sections(
  engines: { kafkaBrokers: string; elasticsearchUrl: string },
  {
    quick,
    serviceEnv,
    indexerEvents,
    indexerWarmup,
    indexerRounds,
    composePhases: phases,
  }: ReturnType<typeof options>,
) {
  const log = write;
  return {
    indexer: async (r: SectionResults) => {
      r.indexer = await runIndexerBench({
        ...engines,
        log,
        indexerEnv: serviceEnv,
        cpuSplit: () => splitCpus({ stateDir: stackPaths().stateDir, ...engines }),
        engineCpu: engineCpuReader({ stateDir: stackPaths().stateDir, ...engines }),
        ...(quick
          ? {
              events: 20_000,
              warmupPerProcess: 10_000,
              rounds: 1,
              batchSizes: [1000, 5000],
              concurrencies: [1, 2],
            }
          : {}),
        ...(indexerEvents === undefined ? {} : { events: indexerEvents }),
        ...(indexerWarmup === undefined ? {} : { warmupPerProcess: indexerWarmup }),
        ...(indexerRounds === undefined ? {} : { rounds: indexerRounds }),
      });
    },
    kafka: async (r: SectionResults) => {
      r.kafka = await runKafkaCeiling({ ...engines, log, records: quick ? 100_000 : 300_000 });
    },
    producer: async (r: SectionResults) => {
      r.producer = await runProducerBench({
        ...engines,
        log,
        seconds: quick ? 10 : 20,
        producerEnv: serviceEnv,
      });
    },
    latency: async (r: SectionResults) => {
      r.latency = await runLatencyBench({ ...engines, log, seconds: quick ? 30 : 60, serviceEnv });
    },
    api: async (r: SectionResults) => {
      r.api = await runApiBench({
        ...engines,
        log,
        ...(quick ? { events: 300_000, requests: 100 } : {}),
      });
    },
    peer: async (r: SectionResults) => {
      r.peer = await runPeerBench({ ...engines, log, ...(quick ? { events: 20_000, rounds: 1 } : {}) });
    },
    // docker-compose.yml on a Docker engine (pnpm docker:prepare): its own engines, not the shared ones.
    compose: async (r: SectionResults) => {
      r.compose = await runComposeBench({
        log,
        ...(quick ? { warmupSeconds: 20, sampleSeconds: 30 } : {}),
        ...(phases ? { phases } : {}),
      });
    },
  } satisfies Record<Section, (r: SectionResults) => Promise<void>>;
}

function verdict(figure: Figure): string {
  return figure.met === undefined ? '—' : figure.met ? 'met' : 'NOT MET';
}

function report(all: readonly Figure[], errors: Record<string, string>, seconds: number): string {
  const rows = [['figure', 'measured', 'goal', ''], ...all.map((f) => [f.name, f.value, f.goal, verdict(f)])];
  // Figures missed for the same reason are listed together.
  const misses = new Map<string, string[]>();
  for (const f of all.filter((figure) => figure.met === false))
    misses.set(f.miss ?? '', [...(misses.get(f.miss ?? '') ?? []), f.name]);
  return [
    '',
    formatTable(rows),
    ...(misses.size > 0 ? ['', 'Not met, why, and what would close it:'] : []),
    ...[...misses].map(([why, names]) => `- ${names.join('; ')}: ${why}`),
    ...Object.entries(errors).map(([section, message]) => `- section ${section} failed: ${message}`),
    '',
    `total time ${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s; load average now ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} on ${cpus().length} cores`,
  ].join('\n');
}

async function main(): Promise<void> {
  const settings = options();
  const engines = engineAddresses();
  const started = Date.now();
  const machine = {
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    freeGiBAtStart: Math.round(freemem() / 2 ** 30),
    loadAverageAtStart: loadavg(),
  };
  write(
    `[bench] ${[...settings.only].join(', ')}${settings.quick ? ' (quick sizes)' : ''}; load average ${machine.loadAverageAtStart.map((l) => l.toFixed(1)).join(' ')}`,
  );
  const results: SectionResults = {};
  const errors: Record<string, string> = {};
  const timings: Record<string, number> = {};
  const run = sections(engines, settings);
  for (const section of SECTIONS) {
    if (!settings.only.has(section)) continue;
    const at = Date.now();
    write(`\n[bench] ${section} …`);
    try {
      await run[section](results);
    } catch (error) {
      errors[section] = error instanceof Error ? error.message : String(error);
      write(`[bench] ${section} failed: ${errors[section]}`);
    }
    timings[section] = Math.round((Date.now() - at) / 1000);
    write(`[bench] ${section} done in ${timings[section]} s`);
  }
  const all = figures(results);
  const seconds = (Date.now() - started) / 1000;
  write(report(all, errors, seconds));
  mkdirSync(dirname(settings.out), { recursive: true });
  writeFileSync(
    settings.out,
    `${JSON.stringify(
      {
        startedAt: new Date(started).toISOString(),
        totalSeconds: Math.round(seconds),
        quick: settings.quick,
        serviceEnv: settings.serviceEnv,
        machine: { ...machine, loadAverageAtEnd: loadavg() },
        timings,
        figures: all,
        errors,
        results,
      },
      null,
      2,
    )}\n`,
  );
  write(`written to ${settings.out}`);
  // Clients of the engines may keep idle sockets open: the run is over.
  process.exit(Object.keys(errors).length > 0 ? 1 : 0);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
