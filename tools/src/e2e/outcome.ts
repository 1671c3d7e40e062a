import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from '@elastic/elasticsearch';
import { fromDeadLetterMessage, type StatsResponse } from '@wikistream/shared';
import { readTopic } from './read-topic.ts';

/**
 * What arrived, compared with what the upstream served: Elasticsearch documents by meta.id, the
 * data topic's records by meta.id, the DLQ by reason, and the api's own totals.
 */
export interface Expected {
  /** meta.ids of every valid, non-canary event in the replay log. */
  readonly ids: readonly string[];
  /** meta.ids the replay server actually sent. */
  readonly servedIds: number;
  /** DLQ reason → count the injected faults must produce. */
  readonly deadLetters: Readonly<Record<string, number>>;
  /** meta.dt range of the stream (ms), for the api's stats query. */
  readonly from: number;
  readonly to: number;
}

export interface Outcome {
  readonly expected: number;
  readonly served: number;
  /** Documents in the prefix's indices (`_count`). */
  readonly documents: number;
  /** Expected meta.ids found. */
  readonly indexed: number;
  readonly lost: number;
  readonly lostSample: readonly string[];
  /** Documents beyond one per meta.id, plus data records the producer wrote more than once. */
  readonly duplicated: number;
  readonly duplicateDocuments: number;
  readonly duplicateRecords: number;
  /** Documents whose meta.id the upstream never served. */
  readonly unexpected: number;
  readonly kafkaRecords: number;
  readonly deadLettered: number;
  readonly deadLettersByReason: Readonly<Record<string, number>>;
  readonly expectedDeadLetters: Readonly<Record<string, number>>;
  readonly deadLettersMatch: boolean;
  readonly apiEvents: number | undefined;
  readonly apiDeadLetters: number | undefined;
}

export interface Endpoints {
  readonly kafkaBrokers: string;
  readonly elasticsearchUrl: string;
  readonly topic: string;
  readonly deadLetterTopic: string;
  readonly prefix: string;
  /** The api to ask for its totals; empty to skip that part. */
  readonly apiUrl: string;
}

const pattern = (prefix: string) => `${prefix}-*`;

export async function countDocuments(client: Client, prefix: string): Promise<number> {
  const answer = await client.count({
    index: pattern(prefix),
    allow_no_indices: true,
    ignore_unavailable: true,
  });
  return answer.count;
}

/**
 * Polls `_count` until it reaches `expected`. Gives up at the deadline, or earlier when the count
 * has not moved for `stallMs` (something is lost: waiting longer would not help). Returns when.
 */
export async function waitForDocuments(
  elasticsearchUrl: string,
  prefix: string,
  expected: number,
  options: { timeoutMs: number; stallMs: number; onProgress?: (count: number) => void },
): Promise<{ count: number; reached: boolean; at: number }> {
  const client = new Client({ node: elasticsearchUrl, requestTimeout: 30_000 });
  const deadline = Date.now() + options.timeoutMs;
  let last = -1;
  let movedAt = Date.now();
  let reported = 0;
  try {
    for (;;) {
      const count = await countDocuments(client, prefix).catch(() => last);
      if (count !== last) movedAt = Date.now();
      last = count;
      if (count >= expected) return { count, reached: true, at: Date.now() };
      if (Date.now() > deadline || Date.now() - movedAt > options.stallMs)
        return { count, reached: false, at: Date.now() };
      if (options.onProgress && Date.now() - reported > 10_000) {
        reported = Date.now();
        options.onProgress(count);
      }
      await sleep(500);
    }
  } finally {
    await client.close();
  }
}

/** meta.id → number of documents, over every index of the prefix (scroll over `_id`s). */
async function documentIds(client: Client, prefix: string): Promise<Map<string, number>> {
  await client.indices.refresh({ index: pattern(prefix), allow_no_indices: true, ignore_unavailable: true });
  const counts = new Map<string, number>();
  let page = await client.search({
    index: pattern(prefix),
    scroll: '2m',
    size: 10_000,
    _source: false,
    sort: ['_doc'],
    query: { match_all: {} },
    allow_no_indices: true,
    ignore_unavailable: true,
  });
  try {
    while (page.hits.hits.length > 0) {
      for (const hit of page.hits.hits)
        counts.set(hit._id as string, (counts.get(hit._id as string) ?? 0) + 1);
      if (!page._scroll_id) break;
      page = await client.scroll({ scroll_id: page._scroll_id, scroll: '2m' });
    }
  } finally {
    if (page._scroll_id) await client.clearScroll({ scroll_id: page._scroll_id }).catch(() => undefined);
  }
  return counts;
}

/** The data topic's records by meta.id. */
async function recordIds(endpoints: Endpoints): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  await readTopic(endpoints.kafkaBrokers, endpoints.topic, (message) => {
    const id = (JSON.parse(message.value?.toString() ?? '{}') as { meta?: { id?: string } }).meta?.id ?? '';
    counts.set(id, (counts.get(id) ?? 0) + 1);
  });
  return counts;
}

export async function readDeadLetters(brokers: string, topic: string): Promise<Record<string, number>> {
  const byReason: Record<string, number> = {};
  await readTopic(brokers, topic, (message) => {
    const letter = fromDeadLetterMessage({
      key: message.key,
      value: message.value,
      headers: message.headers as Record<string, Buffer | string | undefined>,
    });
    const reason = letter?.reason ?? 'unreadable';
    byReason[reason] = (byReason[reason] ?? 0) + 1;
  });
  return byReason;
}

const total = (counts: Readonly<Record<string, number>>) => Object.values(counts).reduce((a, b) => a + b, 0);

function sameCounts(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((key) => (a[key] ?? 0) === (b[key] ?? 0));
}

/** Waits (bounded) until the DLQ holds as many entries as expected, then returns them by reason. */
async function settledDeadLetters(
  endpoints: Endpoints,
  expected: number,
  waitMs: number,
): Promise<Record<string, number>> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const byReason = await readDeadLetters(endpoints.kafkaBrokers, endpoints.deadLetterTopic).catch(
      () => ({}),
    );
    if (total(byReason) >= expected || Date.now() > deadline) return byReason;
    await sleep(2000);
  }
}

async function getJson<T>(url: string): Promise<T | undefined> {
  const response = await fetch(url).catch(() => undefined);
  return response?.ok ? ((await response.json()) as T) : undefined;
}

/** Polls the api until its totals equal the store's (rollups catch up within seconds), bounded. */
async function apiTotals(
  apiUrl: string,
  range: { from: number; to: number },
  want: { events: number; deadLetters: number },
): Promise<{ events: number | undefined; deadLetters: number | undefined }> {
  const from = new Date(range.from).toISOString();
  const to = new Date(range.to).toISOString();
  const deadline = Date.now() + 120_000;
  let events: number | undefined;
  let deadLetters: number | undefined;
  for (;;) {
    const stats = await getJson<StatsResponse>(`${apiUrl}/api/stats?from=${from}&to=${to}`);
    const pipeline = await getJson<{ deadLetters: { total: number } }>(`${apiUrl}/api/pipeline`);
    events = stats?.totals.events ?? events;
    deadLetters = pipeline?.deadLetters.total ?? deadLetters;
    if ((events === want.events && deadLetters === want.deadLetters) || Date.now() > deadline)
      return { events, deadLetters };
    await sleep(2000);
  }
}

export async function compareOutcome(
  endpoints: Endpoints,
  expected: Expected,
  options: { deadLetterWaitMs?: number } = {},
): Promise<Outcome> {
  const client = new Client({ node: endpoints.elasticsearchUrl, requestTimeout: 120_000 });
  try {
    const documents = await countDocuments(client, endpoints.prefix);
    const byId = await documentIds(client, endpoints.prefix);
    const wanted = new Set(expected.ids);
    const lostIds = expected.ids.filter((id) => !byId.has(id));
    // Double-check the missing ones by id, not only through the scroll.
    const confirmed =
      lostIds.length === 0
        ? 0
        : (
            await client.search({
              index: pattern(endpoints.prefix),
              size: 0,
              track_total_hits: true,
              query: { ids: { values: lostIds.slice(0, 10_000) } },
            })
          ).hits.total;
    const found = typeof confirmed === 'number' ? confirmed : (confirmed?.value ?? 0);
    const duplicateDocuments = [...byId.values()].reduce((sum, n) => sum + n - 1, 0);
    const unexpected = [...byId.keys()].filter((id) => !wanted.has(id)).length;
    const records = await recordIds(endpoints);
    const duplicateRecords = [...records.values()].reduce((sum, n) => sum + n - 1, 0);
    const expectedDeadLetters = expected.deadLetters;
    const deadLettersByReason = await settledDeadLetters(
      endpoints,
      total(expectedDeadLetters),
      options.deadLetterWaitMs ?? 60_000,
    );
    const indexed = expected.ids.length - lostIds.length + found;
    const api =
      endpoints.apiUrl === ''
        ? { events: undefined, deadLetters: undefined }
        : await apiTotals(
            endpoints.apiUrl,
            { from: expected.from, to: expected.to },
            { events: documents, deadLetters: total(deadLettersByReason) },
          );
    return {
      expected: expected.ids.length,
      served: expected.servedIds,
      documents,
      indexed,
      lost: expected.ids.length - indexed,
      lostSample: lostIds.slice(0, 10),
      duplicated: duplicateDocuments + duplicateRecords,
      duplicateDocuments,
      duplicateRecords,
      unexpected,
      kafkaRecords: [...records.values()].reduce((a, b) => a + b, 0),
      deadLettered: total(deadLettersByReason),
      deadLettersByReason,
      expectedDeadLetters,
      deadLettersMatch: sameCounts(deadLettersByReason, expectedDeadLetters),
      apiEvents: api.events,
      apiDeadLetters: api.deadLetters,
    };
  } finally {
    await client.close();
  }
}
