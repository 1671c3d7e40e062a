import { headerStrings, indexPattern } from '@wikistream/shared';
import {
  createTestIndexPrefix,
  createTestTopic,
  deleteConsumerGroups,
  deleteTopics,
  testElasticsearch,
  testKafka,
  uniqueName,
  waitFor,
} from '@wikistream/tools/testing';
import { onTestFinished } from 'vitest';
import type { TestRecord } from './events.ts';

export interface TestPipeline {
  readonly topic: string;
  readonly deadLetterTopic: string;
  readonly group: string;
  readonly prefix: string;
}

/** A unique topic (+ its DLQ), group and index prefix, all removed when the test finishes. */
export async function testPipeline(
  brokers: string,
  url: string,
  name: string,
  partitions: number,
): Promise<TestPipeline> {
  const topic = await createTestTopic(brokers, name, { partitions });
  const group = uniqueName(`${name}-group`);
  const prefix = createTestIndexPrefix(url, name);
  onTestFinished(async () => {
    await deleteTopics(brokers, [`${topic}.dlq`]);
    await deleteConsumerGroups(brokers, [
      group,
      `${group}.redrive.all`,
      `${group}.redrive.es_rejected`,
      `${group}.redrive.invalid_json`,
    ]);
  });
  return { topic, deadLetterTopic: `${topic}.dlq`, group, prefix };
}

export async function produce(brokers: string, topic: string, records: readonly TestRecord[]): Promise<void> {
  const producer = testKafka(brokers).producer();
  await producer.connect();
  try {
    for (let i = 0; i < records.length; i += 1000) {
      await producer.send({
        topic,
        acks: -1,
        messages: records.slice(i, i + 1000).map(({ key, value, headers }) => ({ key, value, headers })),
      });
    }
  } finally {
    await producer.disconnect();
  }
}

export interface ReadRecord {
  readonly partition: number;
  readonly offset: string;
  readonly value: string;
  readonly headers: Record<string, string>;
}

/** Reads a topic from the beginning until `count` records arrived. */
export async function readTopic(
  brokers: string,
  topic: string,
  count: number,
  timeoutMs = 30_000,
): Promise<ReadRecord[]> {
  const consumer = testKafka(brokers).consumer({ groupId: uniqueName('reader'), maxWaitTimeInMs: 200 });
  const records: ReadRecord[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        records.push({
          partition,
          offset: message.offset,
          value: message.value?.toString() ?? '',
          headers: headerStrings(message.headers),
        });
      },
    });
    await waitFor(() => records.length >= count, { timeoutMs, message: `${count} records in ${topic}` });
    return records;
  } finally {
    await consumer.disconnect();
  }
}

/** Documents in the prefix's daily indices, after a refresh so everything indexed is counted. */
export async function countDocuments(
  url: string,
  prefix: string,
  query?: Record<string, unknown>,
): Promise<number> {
  const client = testElasticsearch(url);
  try {
    await client.indices.refresh({ index: indexPattern(prefix), allow_no_indices: true });
    const { count } = await client.count({
      index: indexPattern(prefix),
      allow_no_indices: true,
      ...(query ? { query } : {}),
    });
    return count;
  } finally {
    await client.close();
  }
}

/** The ids of `ids` that have no document. */
export async function missingIds(url: string, prefix: string, ids: readonly string[]): Promise<string[]> {
  const client = testElasticsearch(url);
  const missing: string[] = [];
  try {
    await client.indices.refresh({ index: indexPattern(prefix), allow_no_indices: true });
    for (let i = 0; i < ids.length; i += 5000) {
      const slice = ids.slice(i, i + 5000);
      const found = await client.search({
        index: indexPattern(prefix),
        size: slice.length,
        _source: false,
        query: { ids: { values: slice } },
      });
      const present = new Set(found.hits.hits.map((hit) => hit._id));
      missing.push(...slice.filter((id) => !present.has(id)));
    }
    return missing;
  } finally {
    await client.close();
  }
}

/** The group's committed offset per partition (-1 when none). */
export async function committedOffsets(
  brokers: string,
  group: string,
  topic: string,
): Promise<Map<number, number>> {
  const admin = testKafka(brokers).admin();
  await admin.connect();
  try {
    const [entry] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    return new Map((entry?.partitions ?? []).map(({ partition, offset }) => [partition, Number(offset)]));
  } finally {
    await admin.disconnect();
  }
}
