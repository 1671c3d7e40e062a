import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@elastic/elasticsearch';
import {
  eventKey,
  HEADERS,
  indexDayOf,
  indexTemplate,
  indexTemplateName,
  type RecentChangeEvent,
  readAlias,
  toDocument,
} from '@wikistream/shared';
import { onTestFinished } from 'vitest';
import { type ServiceProcess, startService } from '../../../src/e2e/service-process.ts';
import { createTestIndexPrefix, testElasticsearch } from '../../../src/testing/elasticsearch.ts';
import {
  createTestTopic,
  deleteConsumerGroups,
  deleteTopics,
  testKafka,
} from '../../../src/testing/kafka.ts';
import { uniqueName } from '../../../src/testing/names.ts';
import { freePort } from '../../../src/testing/ports.ts';
import { retime, seededRandom, validFixtureEvents } from '../../../src/testing/seed.ts';
import { waitFor } from '../../../src/testing/wait-for.ts';

export const DAY = 86_400_000;
/** Start of the UTC day `daysAgo` days before today. */
export const dayStartAgo = (daysAgo: number, now = Date.now()) => Math.floor(now / DAY) * DAY - daysAgo * DAY;

/** Every 7th event is made by a temporary account — which older code took for a registered editor. */
const TEMPORARY_EVERY = 7;

/** Events of the given days (oldest first), `perDay` each, spread over the day up to `now`, with new ids. */
export function eventsOf(
  days: readonly number[],
  perDay: number,
  tag: string,
  options: { now?: number; seed?: number } = {},
): RecentChangeEvent[] {
  const now = options.now ?? Date.now();
  const fixtures = validFixtureEvents();
  const random = seededRandom(options.seed ?? 7919);
  const events: RecentChangeEvent[] = [];
  for (const start of days) {
    const span = Math.max(1, Math.min(DAY, now - start - 60_000));
    for (let i = 0; i < perDay; i++) {
      const n = events.length;
      const base = fixtures[n % fixtures.length] as RecentChangeEvent;
      const event = retime(base, start + Math.floor(random() * span), `${tag}-${n}`);
      events.push(
        n % TEMPORARY_EVERY === 0 ? { ...event, user: `~2025-${10_000 + n}-67`, bot: false } : event,
      );
    }
  }
  return events;
}

/**
 * Documents as an older indexer stored them: the daily indices of template 3 (no read alias), no
 * `editor_kind`, and a temporary account counted as registered (`is_anonymous: false`).
 */
export async function seedOldDocuments(client: Client, prefix: string, events: readonly RecentChangeEvent[]) {
  const { aliases: _none, ...older } = indexTemplate({ prefix }).template;
  await client.indices.putIndexTemplate({
    name: indexTemplateName(prefix),
    ...indexTemplate({ prefix }),
    version: 3,
    template: older,
  });
  for (let start = 0; start < events.length; start += 2000) {
    const operations = events.slice(start, start + 2000).flatMap((event, i) => {
      const dt = Date.parse(event.meta.dt);
      const { editor_kind: _kind, ...document } = toDocument(event, {
        kafkaPartition: 0,
        kafkaOffset: String(start + i),
        receivedAt: dt + 400,
        indexedAt: dt + 500,
      });
      const old = typeof event.user === 'string' && event.user.startsWith('~') ? { is_anonymous: false } : {};
      return [
        { index: { _index: `${prefix}-${indexDayOf(dt)}`, _id: event.meta.id } },
        { ...document, ...old },
      ];
    });
    const answer = await client.bulk({ operations });
    if (answer.errors) throw new Error(`seeding failed: ${JSON.stringify(answer.items[0])}`);
  }
  await client.indices.refresh({ index: `${prefix}-*` });
}

export interface Pipeline {
  readonly prefix: string;
  readonly topic: string;
  readonly group: string;
  readonly client: Client;
  readonly indexer: ServiceProcess;
  /** Environment for `pnpm reindex` against this pipeline. */
  readonly env: Record<string, string>;
}

/**
 * A unique topic, group and prefix, and the real indexer running on them; all removed at the end.
 * `before` runs before the indexer starts (what an older indexer left behind).
 */
export async function startPipeline(
  brokers: string,
  url: string,
  name: string,
  before: (names: {
    client: Client;
    prefix: string;
    topic: string;
    group: string;
  }) => Promise<void> = async () => undefined,
  extraEnv: Record<string, string> = {},
): Promise<Pipeline> {
  const topic = await createTestTopic(brokers, name, { partitions: 3 });
  const group = uniqueName(`${name}-group`);
  const prefix = createTestIndexPrefix(url, name);
  const client = testElasticsearch(url);
  onTestFinished(async () => {
    await client.close();
    await deleteTopics(brokers, [`${topic}.dlq`]);
    await deleteConsumerGroups(brokers, [group]);
  });
  await before({ client, prefix, topic, group });
  const indexer = startService('indexer', `${name}-indexer`, {
    KAFKA_BROKERS: brokers,
    KAFKA_TOPIC: topic,
    KAFKA_GROUP_ID: group,
    ELASTICSEARCH_URL: url,
    ES_INDEX_PREFIX: prefix,
    METRICS_PORT: '0',
    LOG_LEVEL: 'info',
    RETENTION_DAYS: '30',
    KAFKA_SESSION_TIMEOUT_MS: '10000',
    KAFKA_HEARTBEAT_INTERVAL_MS: '1000',
    BULK_RETRY_BASE_MS: '50',
    BULK_RETRY_MAX_MS: '500',
    ...extraEnv,
  });
  onTestFinished(async () => {
    await indexer.stop(10_000);
  });
  return {
    prefix,
    topic,
    group,
    client,
    indexer,
    env: { ELASTICSEARCH_URL: url, KAFKA_BROKERS: brokers, KAFKA_TOPIC: topic, ES_INDEX_PREFIX: prefix },
  };
}

/** Waits until the indexer consumes: its partitions assigned. */
export async function indexerReady(pipeline: Pipeline): Promise<void> {
  await pipeline.indexer.waitForLog((entry) => entry.msg === 'partitions assigned', 90_000);
}

export async function produce(
  brokers: string,
  topic: string,
  events: readonly RecentChangeEvent[],
): Promise<void> {
  const producer = testKafka(brokers).producer();
  await producer.connect();
  try {
    for (let i = 0; i < events.length; i += 500) {
      await producer.send({
        topic,
        acks: -1,
        messages: events.slice(i, i + 500).map((event) => ({
          key: eventKey(event),
          value: JSON.stringify(event),
          headers: { [HEADERS.receivedAt]: String(Date.now()) },
        })),
      });
    }
  } finally {
    await producer.disconnect();
  }
}

/**
 * Events as the pipeline receives them, while a test goes on: `perTick` every 100 ms, their meta.dt
 * spread over `days` (up to now). `stop()` ends it and returns every event sent.
 */
export function liveTraffic(brokers: string, topic: string, days: readonly number[], perTick: number) {
  const sent: RecentChangeEvent[] = [];
  let running = true;
  let ticks = 0;
  const loop = (async () => {
    const producer = testKafka(brokers).producer();
    await producer.connect();
    try {
      while (running) {
        const now = Date.now();
        const perDay = Math.max(1, Math.round(perTick / days.length));
        const events = eventsOf(days, perDay, `${topic}-live-${ticks}`, { now, seed: ticks });
        ticks++;
        await producer.send({
          topic,
          acks: -1,
          messages: events.map((event) => ({
            key: eventKey(event),
            value: JSON.stringify(event),
            headers: { [HEADERS.receivedAt]: String(now) },
          })),
        });
        sent.push(...events);
        await sleep(100);
      }
    } finally {
      await producer.disconnect();
    }
  })();
  return {
    sent: () => sent.length,
    async stop(): Promise<RecentChangeEvent[]> {
      running = false;
      await loop;
      return sent;
    },
  };
}

/** The ids the read alias holds in [from, to) of meta.dt, each with how many documents have it. */
export async function idsThroughAlias(client: Client, prefix: string, from: number, to: number) {
  await client.indices.refresh({ index: readAlias(prefix) });
  const counts = new Map<string, number>();
  const pit = await client.openPointInTime({ index: readAlias(prefix), keep_alive: '2m' });
  let id = pit.id;
  let after: unknown[] | undefined;
  try {
    for (;;) {
      const page = await client.search({
        pit: { id, keep_alive: '2m' },
        size: 5000,
        _source: false,
        query: { range: { 'meta.dt': { gte: from, lt: to, format: 'epoch_millis' } } },
        sort: [{ 'meta.id': 'asc' }],
        ...(after ? { search_after: after as never[] } : {}),
      });
      id = page.pit_id ?? id;
      if (page.hits.hits.length === 0) return counts;
      for (const hit of page.hits.hits)
        counts.set(hit._id as string, (counts.get(hit._id as string) ?? 0) + 1);
      after = page.hits.hits.at(-1)?.sort;
    }
  } finally {
    await client.closePointInTime({ id }).catch(() => undefined);
  }
}

/**
 * Waits until the read alias holds `expected` documents (the indexer has caught up). Gives up at
 * the deadline, or once the count has not moved for `stallMs` (documents are missing for good).
 */
export async function waitForDocuments(
  client: Client,
  prefix: string,
  expected: number,
  timeoutMs = 120_000,
) {
  const stallMs = 20_000;
  let last = -1;
  let movedAt = Date.now();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await client.indices.refresh({ index: readAlias(prefix) });
    const { count } = await client.count({ index: readAlias(prefix) });
    if (count === expected) return;
    if (count !== last) movedAt = Date.now();
    last = count;
    if (Date.now() > deadline || Date.now() - movedAt > stallMs)
      throw new Error(`the read alias holds ${count} documents, not ${expected}`);
    await sleep(250);
  }
}

/** What a day holds through the read alias, checked against the events that belong to it. */
export async function checkDay(
  client: Client,
  prefix: string,
  dayStartMs: number,
  events: readonly RecentChangeEvent[],
) {
  const ids = await idsThroughAlias(client, prefix, dayStartMs, dayStartMs + DAY);
  const wanted = new Set(
    events
      .filter((event) => indexDayOf(event.meta.dt) === indexDayOf(dayStartMs))
      .map((event) => event.meta.id),
  );
  const range = { range: { 'meta.dt': { gte: dayStartMs, lt: dayStartMs + DAY, format: 'epoch_millis' } } };
  const count = async (filter: Record<string, unknown>[]) =>
    (await client.count({ index: readAlias(prefix), query: { bool: { filter: [range, ...filter] } } })).count;
  return {
    documents: [...ids.values()].reduce((sum, n) => sum + n, 0),
    expected: wanted.size,
    lost: [...wanted].filter((id) => !ids.has(id)).length,
    doubled: [...ids.values()].filter((n) => n > 1).length,
    unexpected: [...ids.keys()].filter((id) => !wanted.has(id)).length,
    withoutKind: await count([{ bool: { must_not: { exists: { field: 'editor_kind' } } } }]),
    temporaryRegistered: await count([
      { term: { editor_kind: 'temporary' } },
      { term: { is_anonymous: false } },
    ]),
    temporary: await count([{ term: { editor_kind: 'temporary' } }]),
  };
}

/** The concrete indices of the prefix's daily family, and where the day names and read alias lead. */
export async function layoutOf(client: Client, prefix: string) {
  const listing = await client.indices.getAlias({ index: `${prefix}-*` });
  const indices = Object.keys(listing).sort();
  const aliases = Object.fromEntries(
    Object.entries(listing).flatMap(([index, entry]) =>
      Object.keys(entry.aliases ?? {}).map((alias) => [`${alias}→${index}`, true]),
    ),
  );
  return { indices, aliases: Object.keys(aliases).sort() };
}

/** The real api on the pipeline's prefix, answering on a free port. */
export async function startApi(pipeline: Pipeline, brokers: string, url: string): Promise<string> {
  const port = await freePort();
  const api = startService('api', `${pipeline.prefix}-api`, {
    PORT: String(port),
    HOST: '127.0.0.1',
    ELASTICSEARCH_URL: url,
    ES_INDEX_PREFIX: pipeline.prefix,
    KAFKA_BROKERS: brokers,
    KAFKA_TOPIC: pipeline.topic,
    KAFKA_GAPS_TOPIC: `${pipeline.topic}.gaps`,
    KAFKA_GROUP_ID: pipeline.group,
    ANALYTICS_CACHE_MS: '0',
    RATE_LIMIT_MAX: '1000000',
    LOG_LEVEL: 'warn',
  });
  onTestFinished(async () => {
    await api.stop(10_000);
  });
  const base = `http://127.0.0.1:${port}`;
  await waitFor(async () => (await fetch(`${base}/api/health`)).ok, {
    timeoutMs: 60_000,
    message: 'the api answers',
  });
  return base;
}

export interface Poll {
  readonly at: number;
  readonly day: number;
  readonly status: number;
  readonly total: number | undefined;
}

/**
 * Asks the api for each day's number of events, over and over, until stopped: what a dashboard
 * sees while a day is rebuilt.
 */
export function pollApi(base: string, days: readonly number[]) {
  const polls: Poll[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      for (const day of days) {
        const from = new Date(day).toISOString();
        const to = new Date(day + DAY).toISOString();
        try {
          const response = await fetch(`${base}/api/events?from=${from}&to=${to}&size=1`);
          const body = (await response.json()) as { total?: number };
          polls.push({ at: Date.now(), day, status: response.status, total: body.total });
        } catch {
          polls.push({ at: Date.now(), day, status: 0, total: undefined });
        }
      }
      await sleep(50);
    }
  })();
  return {
    async stop(): Promise<Poll[]> {
      running = false;
      await loop;
      return polls;
    },
  };
}

/** The group's position at the topic's end: an older indexer has consumed everything there is. */
export async function consumedToEnd(brokers: string, group: string, topic: string): Promise<void> {
  const admin = testKafka(brokers).admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    await admin.setOffsets({
      groupId: group,
      topic,
      partitions: offsets.map(({ partition, high }) => ({ partition, offset: high })),
    });
  } finally {
    await admin.disconnect();
  }
}
