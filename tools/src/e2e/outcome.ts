import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from '@elastic/elasticsearch';
import { fromDeadLetterMessage } from '@wikistream/shared';
import { forEachRecord } from '../testing/read-topic.ts';
import { apiTotals } from './api-totals.ts';
import { countDocuments, documentIds, storeIndex } from './store-documents.ts';

export { countDocuments, waitForDocuments } from './store-documents.ts';

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
  /** Records in the DLQ (what the api's pipeline counts). */
  readonly deadLettered: number;
  /** Records dead-lettered again after a crash (the indexer's at-least-once DLQ writes). */
  readonly deadLetterRepeats: number;
  /** Distinct dead letters by reason. */
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

/** The data topic's records by meta.id. */
async function recordIds(endpoints: Endpoints): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  await forEachRecord(endpoints.kafkaBrokers, endpoints.topic, (message) => {
    const id = (JSON.parse(message.value?.toString() ?? '{}') as { meta?: { id?: string } }).meta?.id ?? '';
    counts.set(id, (counts.get(id) ?? 0) + 1);
  });
  return counts;
}

export interface DeadLetters {
  /** Distinct dead letters by reason. */
  readonly byReason: Record<string, number>;
  readonly records: number;
}

/**
 * The DLQ by reason, each dead letter once. The producer writes dead letters in its transactions,
 * exactly once; the indexer writes them before it commits the offsets, at least once, so a record it
 * dead-lettered just before a crash is dead-lettered again by the member that reads it next. Those
 * name their source record: a source position seen before is a repeat, not another dead letter.
 */
export async function readDeadLetters(brokers: string, topic: string): Promise<DeadLetters> {
  const byReason: Record<string, number> = {};
  const sources = new Set<string>();
  let records = 0;
  await forEachRecord(brokers, topic, (message) => {
    records++;
    const letter = fromDeadLetterMessage({
      key: message.key,
      value: message.value,
      headers: message.headers as Record<string, Buffer | string | undefined>,
    });
    if (letter?.sourceOffset !== undefined) {
      const source = `${letter.sourceTopic}|${letter.sourcePartition}|${letter.sourceOffset}`;
      if (sources.has(source)) return;
      sources.add(source);
    }
    const reason = letter?.reason ?? 'unreadable';
    byReason[reason] = (byReason[reason] ?? 0) + 1;
  });
  return { byReason, records };
}

const total = (counts: Readonly<Record<string, number>>) => Object.values(counts).reduce((a, b) => a + b, 0);

function sameCounts(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((key) => (a[key] ?? 0) === (b[key] ?? 0));
}

/** Waits (bounded) until the DLQ holds as many dead letters as expected, then returns them. */
async function settledDeadLetters(
  endpoints: Endpoints,
  expected: number,
  waitMs: number,
): Promise<DeadLetters> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const letters = await readDeadLetters(endpoints.kafkaBrokers, endpoints.deadLetterTopic).catch(() => ({
      byReason: {},
      records: 0,
    }));
    if (total(letters.byReason) >= expected || Date.now() > deadline) return letters;
    await sleep(2000);
  }
}

/** Expected meta.ids against the store: documents, found, lost, stored twice, never served. */
async function compareStore(client: Client, prefix: string, ids: readonly string[]) {
  const documents = await countDocuments(client, prefix);
  const byId = await documentIds(client, prefix);
  const wanted = new Set(ids);
  const lostIds = ids.filter((id) => !byId.has(id));
  // Double-check the missing ones by id, not only through the scroll.
  const confirmed =
    lostIds.length === 0
      ? 0
      : (
          await client.search({
            index: storeIndex(prefix),
            size: 0,
            track_total_hits: true,
            query: { ids: { values: lostIds.slice(0, 10_000) } },
          })
        ).hits.total;
  const found = typeof confirmed === 'number' ? confirmed : (confirmed?.value ?? 0);
  return {
    documents,
    indexed: ids.length - lostIds.length + found,
    lostIds,
    duplicateDocuments: [...byId.values()].reduce((sum, n) => sum + n - 1, 0),
    unexpected: [...byId.keys()].filter((id) => !wanted.has(id)).length,
  };
}

export async function compareOutcome(
  endpoints: Endpoints,
  expected: Expected,
  options: { deadLetterWaitMs?: number } = {},
): Promise<Outcome> {
  const client = new Client({ node: endpoints.elasticsearchUrl, requestTimeout: 120_000 });
  try {
    const store = await compareStore(client, endpoints.prefix, expected.ids);
    const records = await recordIds(endpoints);
    const duplicateRecords = [...records.values()].reduce((sum, n) => sum + n - 1, 0);
    const deadLetters = await settledDeadLetters(
      endpoints,
      total(expected.deadLetters),
      options.deadLetterWaitMs ?? 60_000,
    );
    const deadLettersByReason = deadLetters.byReason;
    const api =
      endpoints.apiUrl === ''
        ? { events: undefined, deadLetters: undefined }
        : await apiTotals(
            endpoints.apiUrl,
            { from: expected.from, to: expected.to },
            { events: store.documents, deadLetters: deadLetters.records },
          );
    return {
      expected: expected.ids.length,
      served: expected.servedIds,
      documents: store.documents,
      indexed: store.indexed,
      lost: expected.ids.length - store.indexed,
      lostSample: store.lostIds.slice(0, 10),
      duplicated: store.duplicateDocuments + duplicateRecords,
      duplicateDocuments: store.duplicateDocuments,
      duplicateRecords,
      unexpected: store.unexpected,
      kafkaRecords: [...records.values()].reduce((a, b) => a + b, 0),
      deadLettered: deadLetters.records,
      deadLetterRepeats: deadLetters.records - total(deadLettersByReason),
      deadLettersByReason,
      expectedDeadLetters: expected.deadLetters,
      deadLettersMatch: sameCounts(deadLettersByReason, expected.deadLetters),
      apiEvents: api.events,
      apiDeadLetters: api.deadLetters,
    };
  } finally {
    await client.close();
  }
}
