import { createLogger } from '@wikistream/shared';
import { describe, expect, inject, it } from 'vitest';
import { createKafkaSource } from '../../src/reindex/kafka-source.ts';
import { createTestTopic, deleteConsumerGroups, testKafka } from '../../src/testing/kafka.ts';
import { uniqueName } from '../../src/testing/names.ts';

const brokers = inject('kafkaBrokers');
const logger = createLogger({ name: 'test', level: 'silent' });

describe('reading a range of the data topic', () => {
  it('hands over each record of the range once, in order, over many fetches, and goes on from a saved position', async () => {
    const topic = await createTestTopic(brokers, 'reindex-read', { partitions: 1 });
    const producer = testKafka(brokers).producer();
    await producer.connect();
    // Small record batches, so the range takes many fetches.
    for (let i = 0; i < 3000; i += 50)
      await producer.send({
        topic,
        messages: Array.from({ length: 50 }, (_, j) => ({
          value: JSON.stringify({ n: i + j, pad: 'x'.repeat(200) }),
        })),
      });
    await producer.disconnect();
    const source = createKafkaSource({ brokers: [brokers], logger, maxBytesPerPartition: 16 * 1024 });
    const [range] = await source.partitions(topic);
    expect(range).toEqual({ partition: 0, low: '0', high: '3000' });

    const seen: number[] = [];
    const positions: bigint[] = [];
    const group = uniqueName('reindex-read');
    await source.read({
      topic,
      groupId: group,
      from: new Map([[0, 1000n]]),
      until: new Map([[0, 2500n]]),
      signal: new AbortController().signal,
      onBatch: async (_, records, next) => {
        seen.push(...records.map((record) => JSON.parse(String(record.value)).n as number));
        positions.push(next);
      },
    });
    expect(seen).toEqual(Array.from({ length: 1500 }, (_, i) => 1000 + i));
    expect(positions.length).toBeGreaterThan(5);
    expect(positions.at(-1)).toBe(2500n);

    // From a position saved on the way: the rest, once.
    const rest: number[] = [];
    await source.read({
      topic,
      groupId: uniqueName('reindex-read'),
      from: new Map([[0, positions[2] as bigint]]),
      until: new Map([[0, 2500n]]),
      signal: new AbortController().signal,
      onBatch: async (_, records) => {
        rest.push(...records.map((record) => JSON.parse(String(record.value)).n as number));
      },
    });
    expect(rest).toEqual(seen.slice(seen.indexOf(Number(positions[2]))));
    await deleteConsumerGroups(brokers, [group]);
  }, 60_000);
});
