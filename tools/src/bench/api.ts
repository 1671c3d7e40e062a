/*
 * API benchmark: seeds a day of events at live volume into a uniquely prefixed set of daily
 * indices, starts the api as a real listening process on them, and measures /api/stats (24 h)
 * and /api/events latency under concurrent clients.
 *
 *   node tools/src/bench/api.ts [--events 2600000] [--clients 4] [--requests 200] [--keep PREFIX]
 *
 * The events are the recorded fixtures re-timed over the last 24 h with new ids, sampled by wiki
 * with the live mix (commons 34 %, enwiki 21 %, wikidata 15 %, the rest 30 %) and with titles and
 * users spread out so their cardinality is that of a real day (≈1 M pages, ≈80 k editors).
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Client } from '@elastic/elasticsearch';
import {
  dailyIndexName,
  indexTemplate,
  indexTemplateName,
  type RecentChangeEvent,
  toDocument,
} from '@wikistream/shared';
import { percentile } from '../e2e/process-stats.ts';
import { serviceCommand } from '../run/service-command.ts';
import { engineAddresses } from '../stack/stack.ts';
import { deleteIndicesWithPrefix } from '../testing/elasticsearch.ts';
import { uniqueName } from '../testing/names.ts';
import { freePort } from '../testing/ports.ts';
import { seededRandom as random, retime, validFixtureEvents } from '../testing/seed.ts';
import { waitFor } from '../testing/wait-for.ts';

export interface ApiBenchOptions {
  readonly elasticsearchUrl: string;
  readonly kafkaBrokers: string;
  readonly events?: number;
  readonly clients?: number;
  readonly requests?: number;
  /** Reuse an index prefix seeded before (and keep it); otherwise seed a new one and delete it. */
  readonly prefix?: string;
  readonly keep?: boolean;
  readonly log?: (line: string) => void;
}

export interface LatencyFigures {
  readonly route: string;
  readonly requests: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly maxMs: number;
}

export interface ApiBenchResult {
  readonly prefix: string;
  readonly documents: number;
  readonly seedSeconds: number | null;
  readonly clients: number;
  readonly figures: LatencyFigures[];
}

const HOUR = 3_600_000;
const WIKI_MIX: readonly (readonly [string, number])[] = [
  ['commonswiki', 0.34],
  ['enwiki', 0.21],
  ['wikidatawiki', 0.15],
];

/** Skewed toward small numbers, like page and editor popularity. */
function skewed(next: () => number, max: number): number {
  return Math.floor(max ** next()) - 1;
}

function eventPools(): { byWiki: Map<string, RecentChangeEvent[]>; others: RecentChangeEvent[] } {
  const byWiki = new Map<string, RecentChangeEvent[]>();
  const others: RecentChangeEvent[] = [];
  for (const event of validFixtureEvents()) {
    const wiki = event.wiki ?? '';
    if (WIKI_MIX.some(([name]) => name === wiki)) byWiki.set(wiki, [...(byWiki.get(wiki) ?? []), event]);
    else others.push(event);
  }
  return { byWiki, others };
}

function makeGenerator(now: number) {
  const next = random(20_260_226);
  const { byWiki, others } = eventPools();
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const pool = (): readonly RecentChangeEvent[] => {
    let roll = next();
    for (const [wiki, share] of WIKI_MIX) {
      roll -= share;
      if (roll < 0) return byWiki.get(wiki) ?? others;
    }
    return others;
  };
  return (): RecentChangeEvent => {
    const source = pick(pool());
    const dtMs = now - Math.floor(next() * 24 * HOUR);
    const page = skewed(next, 400_000);
    const title =
      source.wiki === 'wikidatawiki'
        ? `Q${skewed(next, 5_000_000) + 1}`
        : source.title && page > 0
          ? `${source.title} ${page}`
          : source.title;
    const user = source.user;
    const variant = next() < 0.5 ? 0 : skewed(next, 3_000);
    return {
      ...retime(source, dtMs, randomUUID()),
      ...(title === undefined ? {} : { title }),
      ...(user === undefined || source.bot === true || variant === 0 ? {} : { user: `${user}${variant}` }),
    };
  };
}

async function seed(
  client: Client,
  prefix: string,
  total: number,
  log: (line: string) => void,
): Promise<void> {
  await client.indices.putIndexTemplate({
    name: indexTemplateName(prefix),
    ...indexTemplate({ prefix, shards: 1, replicas: 0, refreshInterval: '-1' }),
  });
  const now = Date.now();
  const generate = makeGenerator(now);
  const batch = 4000;
  let sent = 0;
  const worker = async () => {
    while (sent < total) {
      const count = Math.min(batch, total - sent);
      sent += count;
      const lines: string[] = [];
      for (let i = 0; i < count; i += 1) {
        const event = generate();
        const receivedAt = Date.parse(event.meta.dt) + 300 + (i % 2000);
        const document = toDocument(event, {
          kafkaPartition: i % 6,
          kafkaOffset: String(sent + i),
          receivedAt,
          indexedAt: receivedAt + 40 + (i % 700),
        });
        lines.push(
          JSON.stringify({ create: { _index: dailyIndexName(prefix, event.meta.dt), _id: event.meta.id } }),
        );
        lines.push(JSON.stringify(document));
      }
      const response = (await client.transport.request({
        method: 'POST',
        path: '/_bulk',
        querystring: { filter_path: 'errors,items.*.error' },
        bulkBody: `${lines.join('\n')}\n`,
      })) as { errors: boolean; items?: unknown[] };
      if (response.errors) throw new Error(`bulk failed: ${JSON.stringify(response.items?.[0])}`);
      if (sent % 200_000 < batch) log(`[bench:api] seeded ${sent} / ${total}`);
    }
  };
  await Promise.all([worker(), worker(), worker()]);
  const pattern = `${prefix}-*`;
  await client.indices.putSettings({ index: pattern, settings: { index: { refresh_interval: '1s' } } });
  await client.indices.refresh({ index: pattern });
}

/** `requests` GETs spread over `clients` concurrent loops; latency of each, in ms. */
async function measure(
  route: string,
  urls: () => string,
  clients: number,
  requests: number,
): Promise<LatencyFigures> {
  const times: number[] = [];
  let issued = 0;
  const loop = async () => {
    while (issued < requests) {
      issued += 1;
      const started = performance.now();
      const response = await fetch(urls(), { headers: { 'accept-encoding': 'gzip' } });
      if (!response.ok) throw new Error(`${route}: HTTP ${response.status} ${await response.text()}`);
      await response.arrayBuffer();
      times.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: clients }, loop));
  times.sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    route,
    requests: times.length,
    p50Ms: round(percentile(times, 50)),
    p95Ms: round(percentile(times, 95)),
    maxMs: round(times.at(-1) ?? 0),
  };
}

/** The api as its package starts it, on a free port, reading the seeded prefix. */
async function startApi(options: ApiBenchOptions, prefix: string) {
  const port = await freePort();
  const { command, args, cwd, env: scriptEnv } = serviceCommand('api');
  const child = spawn(command, args, {
    cwd,
    env: {
      ...process.env,
      ...scriptEnv,
      PORT: String(port),
      HOST: '127.0.0.1',
      ELASTICSEARCH_URL: options.elasticsearchUrl,
      KAFKA_BROKERS: options.kafkaBrokers,
      ES_INDEX_PREFIX: prefix,
      KAFKA_TOPIC: `${prefix}-no-topic`,
      LOG_LEVEL: 'info',
      RATE_LIMIT_MAX: '1000000',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // The api computes its per-minute rollups at start and says so once they reach the present.
  const rollupsReady = new Promise<void>((resolve) => {
    let buffer = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      const lines = (buffer + chunk.toString()).split('\n');
      buffer = lines.pop() ?? '';
      if (lines.some((line) => line.includes('"msg":"rollups caught up"'))) resolve();
    });
  });
  const base = `http://127.0.0.1:${port}`;
  await waitFor(async () => (await fetch(`${base}/api/health`)).ok, {
    timeoutMs: 30_000,
    message: 'api start',
  });
  return {
    base,
    rollupsReady,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function indexExists(client: Client, prefix: string): Promise<boolean> {
  const answer = await client.count({
    index: `${prefix}-*`,
    allow_no_indices: true,
    ignore_unavailable: true,
  });
  return answer.count > 0;
}

/** Seeds (unless the prefix already holds data), measures, cleans up (unless kept). */
export async function runApiBench(options: ApiBenchOptions): Promise<ApiBenchResult> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const client = new Client({ node: options.elasticsearchUrl, requestTimeout: 600_000 });
  const prefix = options.prefix ?? uniqueName('bench-api');
  const clients = options.clients ?? 4;
  const requests = options.requests ?? 200;
  let seedSeconds: number | null = null;
  try {
    if (!(await indexExists(client, prefix))) {
      const started = Date.now();
      await seed(client, prefix, options.events ?? 2_600_000, log);
      seedSeconds = Math.round((Date.now() - started) / 1000);
    }
    const documents = (await client.count({ index: `${prefix}-*` })).count;
    const api = await startApi(options, prefix);
    const figures: LatencyFigures[] = [];
    try {
      const waiting = Date.now();
      await api.rollupsReady;
      log(`[bench:api] rollups ready after ${Math.round((Date.now() - waiting) / 1000)} s`);
      const day = 24 * HOUR;
      const now = Date.now();
      // Every cold request asks for a different 24 h window, so no cache can answer it: the api
      // widens a window to whole 15-minute buckets (24 h's interval), so they differ by one.
      let shift = 0;
      const cold = () => {
        shift += 1;
        const to = now - shift * 15 * 60_000;
        return `${api.base}/api/stats?from=${new Date(to - day).toISOString()}&to=${new Date(to).toISOString()}`;
      };
      for (const url of [`${api.base}/api/stats?last=24h`, `${api.base}/api/events`]) await fetch(url);
      figures.push(
        await measure(
          '/api/stats?last=24h (dashboard)',
          () => `${api.base}/api/stats?last=24h`,
          clients,
          requests,
        ),
      );
      figures.push(
        await measure(
          '/api/stats 24 h, every window distinct (cold)',
          cold,
          clients,
          Math.max(8, requests / 10),
        ),
      );
      figures.push(
        await measure('/api/events (newest 50)', () => `${api.base}/api/events`, clients, requests),
      );
      figures.push(
        await measure(
          '/api/events?q=…&wiki=… (search)',
          () => `${api.base}/api/events?q=Category&wiki=commonswiki`,
          clients,
          requests,
        ),
      );
      return { prefix, documents, seedSeconds, clients, figures };
    } finally {
      await api.stop();
    }
  } finally {
    if (!options.keep && !options.prefix) await deleteIndicesWithPrefix(options.elasticsearchUrl, prefix);
    await client.close();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      events: { type: 'string' },
      clients: { type: 'string' },
      requests: { type: 'string' },
      prefix: { type: 'string' },
      keep: { type: 'boolean' },
    },
  });
  const result = await runApiBench({
    ...engineAddresses(),
    ...(values.events ? { events: Number(values.events) } : {}),
    ...(values.clients ? { clients: Number(values.clients) } : {}),
    ...(values.requests ? { requests: Number(values.requests) } : {}),
    ...(values.prefix ? { prefix: values.prefix } : {}),
    keep: values.keep === true,
  });
  process.stdout.write(
    `${result.documents} documents in ${result.prefix}, ${result.clients} concurrent clients\n`,
  );
  for (const f of result.figures)
    process.stdout.write(
      `${f.route.padEnd(48)} n=${String(f.requests).padStart(4)}  p50 ${f.p50Ms} ms  p95 ${f.p95Ms} ms  max ${f.maxMs} ms\n`,
    );
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
