import { HEADERS, indexPattern, type RecentChangeEvent } from '@wikistream/shared';
import { testElasticsearch, waitFor } from '@wikistream/tools/testing';
import { describe, expect, inject, it, onTestFinished } from 'vitest';
import { generatedId, loopedEvents, type TestRecord } from './support/events.ts';
import { counter, startIndexer } from './support/in-process.ts';
import { countDocuments, missingIds, produce, readTopic, testPipeline } from './support/pipeline.ts';

const brokers = inject('kafkaBrokers');
const url = inject('elasticsearchUrl');
const DAY_MS = 86_400_000;

describe('indexer against events it cannot or must not index', () => {
  it('dead-letters events nested too deep or timed outside the window, and indexes the events after them', async () => {
    // One partition: a record that stalled its partition would hold back every record below it.
    const pipeline = await testPipeline(brokers, url, 'idx-poison', 1);
    const now = Date.now();
    const valid = loopedEvents(30, pipeline.topic, now);
    const base = JSON.parse(valid[0]?.value as string) as RecentChangeEvent;
    /** An event like the valid ones, with its own id and time and `extra` raw JSON fields. */
    const poison = (n: number, extra: string, dt = base.meta.dt, fields: Partial<RecentChangeEvent> = {}) => {
      const id = generatedId(`${pipeline.topic}-poison`, n);
      const event = { ...base, ...fields, meta: { ...base.meta, id, dt } };
      return { id, key: null, value: `${JSON.stringify(event).slice(0, -1)},${extra}}`, headers: {} };
    };
    // Deep enough that serializing it overflows the stack; a field named `pipeline`, a derived name,
    // keeps the document from reusing the record's bytes, so the whole event has to be serialized.
    const deepColliding = poison(1, `"pipeline":"upstream","x":${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    const deepObjects = poison(2, `"log_params":${'{"a":'.repeat(30)}1${'}'.repeat(30)}`);
    const deepArrays = poison(3, `"x":${'['.repeat(30)}1${']'.repeat(30)}`);
    const old = poison(4, '"x":1', new Date(now - 8 * DAY_MS).toISOString());
    const ahead = poison(5, '"x":1', new Date(now + 2 * DAY_MS).toISOString());
    const beyondYear9999 = poison(6, '"x":1', '9999-12-31T23:59:59-23:59');
    const bracketsInText = poison(7, '"x":1', base.meta.dt, { comment: '[{"'.repeat(2000) });
    const forging = poison(8, '"pipeline.kafka_partition":99');
    const shadowing = poison(9, '"title_text":{"not":"text"}', base.meta.dt, { title: undefined });
    const deep = [deepColliding, deepObjects, deepArrays];
    const mistimed = [old, ahead, beyondYear9999];
    const indexable = [bracketsInText, forging, shadowing];
    await produce(brokers, pipeline.topic, [
      ...deep,
      ...valid.slice(0, 10),
      ...mistimed,
      ...valid.slice(10, 20),
      ...indexable,
      ...valid.slice(20),
    ]);
    const indexer = await startIndexer({
      KAFKA_BROKERS: brokers,
      KAFKA_TOPIC: pipeline.topic,
      KAFKA_GROUP_ID: pipeline.group,
      ELASTICSEARCH_URL: url,
      ES_INDEX_PREFIX: pipeline.prefix,
      BULK_RETRY_MAX_MS: '1000',
    });

    const expected = [...valid, ...indexable].map((r) => r.id as string);
    await waitFor(async () => (await missingIds(url, pipeline.prefix, expected)).length === 0, {
      timeoutMs: 40_000,
      message: 'the events after the poison ones indexed',
    });
    expect(await countDocuments(url, pipeline.prefix)).toBe(expected.length);
    const letters = await readTopic(brokers, pipeline.deadLetterTopic, deep.length + mistimed.length);
    const reasons = (records: TestRecord[]) =>
      records.map((r) => letters.find((l) => l.value === r.value)?.headers[HEADERS.reason]);
    expect(reasons(deep)).toEqual(['too_deep', 'too_deep', 'too_deep']);
    expect(reasons(mistimed)).toEqual(['time_out_of_range', 'time_out_of_range', 'time_out_of_range']);
    const oldLetter = letters.find((l) => l.value === old.value);
    expect(oldLetter?.headers[HEADERS.detail]).toContain(new Date(now - 8 * DAY_MS).toISOString());
    expect(oldLetter?.headers[HEADERS.stage]).toBe('indexer');
    expect(await counter(indexer, 'deadLettered')).toEqual({ too_deep: 3, time_out_of_range: 3 });

    const client = testElasticsearch(url);
    onTestFinished(() => client.close());
    const stored = async (id: string) =>
      (
        await client.search<Record<string, unknown>>({
          index: indexPattern(pipeline.prefix),
          query: { ids: { values: [id] } },
        })
      ).hits.hits[0]?._source;
    // The pipeline's own fields win; the event's fields of the same names are left out.
    expect(await stored(forging.id)).not.toHaveProperty(['pipeline.kafka_partition']);
    expect(await stored(forging.id)).toMatchObject({ pipeline: { kafka_partition: 0 } });
    expect(await countDocuments(url, pipeline.prefix, { term: { 'pipeline.kafka_partition': 99 } })).toBe(0);
    expect(await stored(shadowing.id)).not.toHaveProperty('title_text');
    expect(((await stored(bracketsInText.id)) as { comment: string }).comment).toHaveLength(6000);
    // Only daily indices retention recognises, and only days within the window.
    const indices = await client.cat.indices({ index: indexPattern(pipeline.prefix), format: 'json' });
    for (const { index } of indices) {
      const match = new RegExp(`^${pipeline.prefix}-(\\d{4})\\.(\\d{2})\\.(\\d{2})$`).exec(index ?? '');
      expect(match, index).not.toBeNull();
      const day = Date.parse(`${match?.[1]}-${match?.[2]}-${match?.[3]}T00:00:00Z`);
      expect(day).toBeGreaterThan(now - 8 * DAY_MS);
      expect(day).toBeLessThanOrEqual(now + DAY_MS);
    }
  });
});
