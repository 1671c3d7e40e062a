import { randomBytes } from 'node:crypto';
import {
  DRIFT_KINDS,
  DRIFT_MAPPING,
  type DriftDocument,
  dailyIndexName,
  driftIndexPattern,
  indexPattern,
  type RecentChangeEvent,
} from '@wikistream/shared';
import { testElasticsearch, testKafka, waitFor } from '@wikistream/tools/testing';
import { describe, expect, inject, it } from 'vitest';
import { DRIFT_LIMITS } from '../src/drift-counter.ts';
import { loopedEvents, record } from './support/events.ts';
import { startIndexer } from './support/in-process.ts';
import { countDocuments, produce, testPipeline } from './support/pipeline.ts';

const brokers = inject('kafkaBrokers');
const url = inject('elasticsearchUrl');
const V1 = '/mediawiki/recentchange/1.0.0';
const V2 = '/mediawiki/recentchange/2.0.0';

const indexerEnv = (pipeline: { topic: string; group: string; prefix: string }) => ({
  KAFKA_BROKERS: brokers,
  KAFKA_TOPIC: pipeline.topic,
  KAFKA_GROUP_ID: pipeline.group,
  ELASTICSEARCH_URL: url,
  ES_INDEX_PREFIX: pipeline.prefix,
  KAFKA_SESSION_TIMEOUT_MS: '8000',
  KAFKA_HEARTBEAT_INTERVAL_MS: '1000',
  KAFKA_REBALANCE_TIMEOUT_MS: '20000',
  ES_REQUEST_TIMEOUT_MS: '10000',
  BULK_CHUNK_SIZE: '100',
  DRIFT_FLUSH_INTERVAL_MS: '200',
});

/** `count` fixture events re-timed into the last hours, each changed by `change`. */
function events(
  count: number,
  run: string,
  change: (event: RecentChangeEvent, n: number) => RecentChangeEvent,
) {
  return loopedEvents(count, run).map((looped, n) =>
    record(change(JSON.parse(looped.value) as RecentChangeEvent, n)),
  );
}

/** Every drift document of the prefix, read back as stored. */
async function driftDocuments(prefix: string): Promise<DriftDocument[]> {
  const client = testElasticsearch(url);
  try {
    await client.indices.refresh({ index: driftIndexPattern(prefix), allow_no_indices: true });
    const answer = await client.search<DriftDocument>({
      index: driftIndexPattern(prefix),
      allow_no_indices: true,
      size: 10_000,
    });
    return answer.hits.hits.flatMap((hit) => (hit._source ? [hit._source] : []));
  } finally {
    await client.close();
  }
}

/** The documents summed as the api sums them: events per schema, occurrences per schema and field. */
function sums(documents: readonly DriftDocument[]) {
  const events: Record<string, number> = {};
  const fields: Record<string, number> = {};
  let other = 0;
  for (const doc of documents) {
    if (doc.kind === DRIFT_KINDS.events) events[doc.schema] = (events[doc.schema] ?? 0) + (doc.count ?? 0);
    if (doc.kind === DRIFT_KINDS.field) {
      const key = `${doc.schema} ${doc.field}`;
      fields[key] = (fields[key] ?? 0) + (doc.count ?? 0);
    }
    if (doc.kind === DRIFT_KINDS.otherFields) other += doc.count ?? 0;
  }
  const members = new Set(documents.map((doc) => doc.member));
  return { events, fields, other, members };
}

/**
 * The drift documents once they count `total` events and, where `fields` says so, that many
 * unknown fields: a member's events and fields may land in different flushes.
 */
async function driftSettled(prefix: string, total: number, fields = 0) {
  return waitFor(
    async () => {
      const documents = await driftDocuments(prefix);
      const counts = sums(documents);
      const counted = Object.values(counts.events).reduce((all, n) => all + n, 0);
      const listed = Object.values(counts.fields).reduce((all, n) => all + n, 0);
      return counted === total && listed >= fields ? documents : undefined;
    },
    { timeoutMs: 60_000, message: `drift counts of ${total} events` },
  );
}

async function stableGroup(group: string, members: number): Promise<void> {
  const admin = testKafka(brokers).admin();
  await admin.connect();
  try {
    await waitFor(
      async () => {
        const [described] = (await admin.describeGroups([group])).groups;
        return (
          described?.state === 'Stable' &&
          described.members.length === members &&
          described.members.every((member) => member.memberAssignment.length > 0)
        );
      },
      { timeoutMs: 60_000, message: `a stable group of ${members}` },
    );
  } finally {
    await admin.disconnect();
  }
}

describe('schema drift accounting', () => {
  it('counts events per $schema version and unknown top-level fields, which stay in _source and out of the mapping', async () => {
    const pipeline = await testPipeline(brokers, url, 'drift', 3);
    const started = Date.now();
    const records = events(50, pipeline.topic, (event, n) =>
      n < 30
        ? { ...event, $schema: V1 }
        : {
            ...event,
            $schema: V2,
            performer: { user_text: 'Someone', is_temp: n % 2 === 0 },
            ...(n % 2 === 0 ? { is_temp: true } : {}),
          },
    );
    await startIndexer(indexerEnv(pipeline));
    await produce(brokers, pipeline.topic, records);
    await waitFor(async () => (await countDocuments(url, pipeline.prefix)) === 50, {
      timeoutMs: 60_000,
      message: '50 documents',
    });
    const documents = await driftSettled(pipeline.prefix, 50);
    const { events: perSchema, fields, other } = sums(documents);
    expect(perSchema).toEqual({ [V1]: 30, [V2]: 20 });
    expect(fields).toEqual({ [`${V2} performer`]: 20, [`${V2} is_temp`]: 10 });
    expect(other).toBe(0);
    const firstSeen = documents.filter((doc) => doc.kind === DRIFT_KINDS.firstSeen);
    expect(firstSeen.map((doc) => doc.field).sort()).toEqual(['is_temp', 'performer']);
    for (const doc of firstSeen) {
      expect(Date.parse(doc.first_seen ?? '')).toBeGreaterThanOrEqual(started);
      expect(Date.parse(doc.first_seen ?? '')).toBeLessThanOrEqual(Date.now());
    }

    const client = testElasticsearch(url);
    try {
      const sample = JSON.parse(records[30]?.value ?? '{}') as RecentChangeEvent;
      const index = dailyIndexName(pipeline.prefix, sample.meta.dt);
      const stored = await client.get<Record<string, unknown>>({ index, id: sample.meta.id });
      expect(stored._source?.performer).toEqual({ user_text: 'Someone', is_temp: true });
      expect(stored._source?.is_temp).toBe(true);
      const mappings = await client.indices.getMapping({ index: indexPattern(pipeline.prefix) });
      for (const mapping of Object.values(mappings)) {
        expect(mapping.mappings.dynamic).toBe('false');
        expect(Object.keys(mapping.mappings.properties ?? {})).not.toContain('performer');
        expect(Object.keys(mapping.mappings.properties ?? {})).not.toContain('is_temp');
      }
      const found = await client.search({
        index: indexPattern(pipeline.prefix),
        query: { exists: { field: 'performer' } },
      });
      // Not mapped, so not searchable: the field is only kept.
      expect(found.hits.hits).toEqual([]);
      const driftMappings = await client.indices.getMapping({ index: driftIndexPattern(pipeline.prefix) });
      for (const mapping of Object.values(driftMappings))
        expect(Object.keys(mapping.mappings.properties ?? {}).sort()).toEqual(
          Object.keys(DRIFT_MAPPING.properties).sort(),
        );
    } finally {
      await client.close();
    }
  }, 120_000);

  it('two indexers in one group count every event once, and their flushes at close change nothing', async () => {
    const pipeline = await testPipeline(brokers, url, 'drift-group', 6);
    const first = await startIndexer(indexerEnv(pipeline));
    const second = await startIndexer(indexerEnv(pipeline));
    await stableGroup(pipeline.group, 2);
    const records = events(600, pipeline.topic, (event) => ({ ...event, $schema: V2, brand_new: 1 }));
    await produce(brokers, pipeline.topic, records);
    await waitFor(async () => (await countDocuments(url, pipeline.prefix)) === 600, {
      timeoutMs: 60_000,
      message: '600 documents',
    });
    const settled = sums(await driftSettled(pipeline.prefix, 600, 600));
    expect(settled.members).toEqual(new Set([first.member, second.member]));
    expect(settled.fields).toEqual({ [`${V2} brand_new`]: 600 });
    // Flushed again and again since, and once more by each at close: still each event once.
    await first.close();
    await second.close();
    const after = sums(await driftDocuments(pipeline.prefix));
    expect(after.events).toEqual({ [V2]: 600 });
    expect(after.fields).toEqual({ [`${V2} brand_new`]: 600 });
  }, 120_000);

  it('holds its cap of field names against a stream of random ones, in memory and in the store', async () => {
    const pipeline = await testPipeline(brokers, url, 'drift-random', 3);
    const indexer = await startIndexer(indexerEnv(pipeline));
    const perEvent = 5;
    const records = events(2_000, pipeline.topic, (event) => {
      const random = Object.fromEntries(
        Array.from({ length: perEvent }, () => [`x_${randomBytes(6).toString('hex')}`, 1]),
      );
      return { ...event, $schema: V2, ...random };
    });
    await produce(brokers, pipeline.topic, records);
    const documents = await driftSettled(pipeline.prefix, 2_000);
    const { fields, other } = sums(documents);
    const listed = Object.values(fields).reduce((all, n) => all + n, 0);
    expect(listed + other).toBe(2_000 * perEvent);
    const minutes = new Set(documents.flatMap((doc) => (doc.minute ? [doc.minute] : [])));
    const fieldDocuments = documents.filter((doc) => doc.kind === DRIFT_KINDS.field);
    for (const minute of minutes)
      expect(fieldDocuments.filter((doc) => doc.minute === minute).length).toBeLessThanOrEqual(
        DRIFT_LIMITS.fieldsPerSchema,
      );
    const firstSeen = documents.filter((doc) => doc.kind === DRIFT_KINDS.firstSeen);
    expect(firstSeen.length).toBeLessThanOrEqual(DRIFT_LIMITS.fieldsPerSchema * minutes.size);
    expect(other).toBeGreaterThan(0);
    // What the indexer holds: the minutes not yet complete, never more.
    expect((await indexer.metrics.driftPendingMinutes.get()).values[0]?.value).toBeLessThanOrEqual(2);
    const client = testElasticsearch(url);
    try {
      const mappings = await client.indices.getMapping({ index: indexPattern(pipeline.prefix) });
      for (const mapping of Object.values(mappings))
        expect(Object.keys(mapping.mappings.properties ?? {}).some((name) => name.startsWith('x_'))).toBe(
          false,
        );
    } finally {
      await client.close();
    }
  }, 120_000);
});
