/*
 * `pnpm bench:compare -- --variant NAME[:VAR=value,VAR=value] --variant … [--processes 1|3]
 *                       [--rounds 6] [--shared] [--batch 2000] [--concurrency 2|4]
 *                       [--events 150000] [--warmup 30000]`
 *
 * Indexer settings against each other, in alternating trials: after one untimed loader trial (a
 * freshly started Elasticsearch is slow at first), each round runs the raw `_bulk` loader once, then
 * every variant (its settings for the indexer processes), in reverse order every other round, so
 * the machine's drift falls on all of them alike. Prints each trial's ratio to its
 * round's loader trial, Elasticsearch's and the indexers' CPU per 1,000 events, and the medians.
 * With the local stack, Elasticsearch gets a core of its own unless `--shared` (as in `pnpm bench`).
 * Example: --variant default --variant big:BULK_CHUNK_SIZE=2500,KAFKA_MAX_BYTES_PER_PARTITION=4194304
 */
import { parseArgs } from 'node:util';
import { Client } from '@elastic/elasticsearch';
import { stackPaths } from '../stack/paths.ts';
import { engineAddresses } from '../stack/stack.ts';
import { uniqueName } from '../testing/names.ts';
import { type CpuSplitOutcome, engineCpuReader, splitCpus } from './cpu-split.ts';
import {
  benchEvents,
  type IndexerBenchOptions,
  indexerTrial,
  median,
  medianWhenMeasured,
  rawTrial,
} from './indexer.ts';
import { integerOption, serviceSetting } from './options.ts';

const write = (line: string) => process.stdout.write(`${line}\n`);

export interface Variant {
  readonly name: string;
  readonly env: Readonly<Record<string, string>>;
}

/** `NAME` or `NAME:VAR=value,VAR=value` → a variant; a clear error for anything else. */
export function parseVariant(text: string): Variant {
  const match = /^([\w.-]+)(?::(.*))?$/.exec(text);
  if (match === null) throw new Error(`--variant expects NAME[:VAR=value,…], got "${text}"`);
  const name = match[1] as string;
  const settings = match[2] === undefined || match[2] === '' ? [] : match[2].split(',');
  return {
    name,
    env: Object.fromEntries(settings.map((setting) => serviceSetting(setting, `--variant ${name}`))),
  };
}

/** The order of the variants in round `round` (from 1): as given, then reversed, and so on. */
export function roundOrder<T>(variants: readonly T[], round: number): T[] {
  return round % 2 === 1 ? [...variants] : [...variants].reverse();
}

export interface VariantTrial {
  readonly ratio: number;
  readonly elasticsearchCpuMsPerThousand?: number;
  readonly cpuMsPerThousand: number;
}

/** Per variant: the medians of its trials' ratios and CPU figures. */
export function summarize(
  trials: ReadonlyMap<string, readonly VariantTrial[]>,
): Array<{ name: string; ratio: number; elasticsearch?: number; indexer: number; trials: number }> {
  return [...trials].map(([name, list]) => ({
    name,
    ratio: median(list.map((t) => t.ratio)),
    elasticsearch: medianWhenMeasured(list.map((t) => t.elasticsearchCpuMsPerThousand)),
    indexer: median(list.map((t) => t.cpuMsPerThousand)),
    trials: list.length,
  }));
}

function options() {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((arg) => arg !== '--'),
    options: {
      variant: { type: 'string', multiple: true },
      processes: { type: 'string', default: '1' },
      rounds: { type: 'string', default: '6' },
      shared: { type: 'boolean', default: false },
      batch: { type: 'string', default: '2000' },
      concurrency: { type: 'string' },
      events: { type: 'string', default: '150000' },
      warmup: { type: 'string', default: '30000' },
    },
  });
  const variants = (values.variant ?? []).map(parseVariant);
  if (variants.length === 0) throw new Error('give at least one --variant NAME[:VAR=value,…]');
  const names = variants.map((v) => v.name);
  if (new Set(names).size !== names.length) throw new Error(`variant names repeat: ${names.join(', ')}`);
  const processes = integerOption('processes', values.processes, 1);
  return {
    variants,
    processes,
    rounds: integerOption('rounds', values.rounds, 1),
    shared: values.shared,
    batch: integerOption('batch', values.batch, 1),
    concurrency: integerOption('concurrency', values.concurrency ?? (values.shared ? '4' : '2'), 1),
    events: integerOption('events', values.events, 1),
    warmup: integerOption('warmup', values.warmup, 0),
  };
}

async function main(): Promise<void> {
  const settings = options();
  const engines = engineAddresses();
  const paths = { stateDir: stackPaths().stateDir, ...engines };
  const base: IndexerBenchOptions = { ...engines, engineCpu: engineCpuReader(paths) };
  const events = benchEvents(settings.events, uniqueName('bench-compare'));
  const warmup = benchEvents(
    settings.warmup * settings.processes,
    uniqueName('bench-compare-warmup'),
    Date.now() - 3 * 24 * 3600 * 1000,
  );
  const outcome: CpuSplitOutcome = settings.shared
    ? { unavailable: 'asked for shared cores' }
    : splitCpus(paths);
  write(
    `[compare] ${'split' in outcome ? outcome.split.description : `shared cores (${outcome.unavailable})`}`,
  );
  const client = new Client({ node: engines.elasticsearchUrl, requestTimeout: 120_000 });
  const trials = new Map<string, VariantTrial[]>(settings.variants.map((v) => [v.name, []]));
  try {
    // Untimed: a freshly started Elasticsearch runs its first trial at a fraction of its pace.
    const first = await rawTrial(client, base, events, settings.batch, settings.concurrency);
    write(`[compare] warm-up, not counted: raw ${first.eventsPerSecond.toFixed(0)} events/s`);
    for (let round = 1; round <= settings.rounds; round++) {
      const raw = await rawTrial(client, base, events, settings.batch, settings.concurrency);
      const line = [
        `raw ${raw.eventsPerSecond.toFixed(0)} events/s (Elasticsearch ${raw.elasticsearchCpuMsPerThousand ?? '?'} ms)`,
      ];
      for (const variant of roundOrder(settings.variants, round)) {
        const trial = await indexerTrial(
          { ...base, indexerEnv: variant.env },
          events,
          settings.processes,
          warmup,
        );
        const ratio = trial.eventsPerSecond / raw.eventsPerSecond;
        trials.get(variant.name)?.push({ ...trial, ratio });
        line.push(
          `${variant.name} ${ratio.toFixed(3)} (Elasticsearch ${trial.elasticsearchCpuMsPerThousand ?? '?'}, indexer ${trial.cpuMsPerThousand.toFixed(1)} ms)`,
        );
      }
      write(`[compare] round ${round}: ${line.join(' | ')}`);
    }
  } finally {
    if ('split' in outcome) outcome.split.restore();
    await client.close();
  }
  write(
    `\n${settings.processes} indexer process(es) per trial; CPU per 1,000 events; medians of ${settings.rounds} rounds`,
  );
  for (const row of summarize(trials)) {
    write(
      `${row.name.padEnd(16)} ${row.ratio.toFixed(3)} of the raw loader   Elasticsearch ${row.elasticsearch?.toFixed(1) ?? '?'} ms   indexer ${row.indexer.toFixed(1)} ms`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
