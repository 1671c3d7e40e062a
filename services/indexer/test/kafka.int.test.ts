import { createLogger } from '@wikistream/shared';
import { createTestTopic, deleteConsumerGroups, uniqueName, waitFor } from '@wikistream/tools/testing';
import { describe, expect, inject, it, onTestFinished } from 'vitest';
import type { ConsumerBatch } from '../src/consumer-batch.ts';
import { createKafkaPort, type RunningConsumer, readerSettings } from '../src/kafka.ts';
import { committedOffsets, produce } from './support/pipeline.ts';

const brokers = inject('kafkaBrokers');

describe('Kafka port with explicit commits', () => {
  it('moves only the fetch position on resolve, commits what it is told, and reads a partition again after a rewind', async () => {
    const topic = await createTestTopic(brokers, 'explicit-commits', { partitions: 1 });
    const group = uniqueName('explicit-commits-group');
    onTestFinished(() => deleteConsumerGroups(brokers, [group]));
    const records = Array.from({ length: 20 }, (_, n) => ({
      id: undefined,
      key: `k${n}`,
      value: `v${n}`,
      headers: {},
    }));
    await produce(brokers, topic, records);

    const firstOffsets: string[] = [];
    let consumer: RunningConsumer | undefined;
    let rewound = false;
    const handler = async (batch: ConsumerBatch) => {
      firstOffsets.push(batch.messages[0]?.offset ?? '-');
      batch.resolveOffset(batch.messages.at(-1)?.offset ?? batch.lastOffset);
      if (!rewound && batch.messages.some((message) => message.offset === '19')) {
        rewound = true;
        consumer?.rewind(0, '5');
      }
    };
    const port = createKafkaPort({
      brokers: [brokers],
      clientId: 'explicit-commits-test',
      logger: createLogger({ name: 'test', level: 'silent' }),
    });
    consumer = await port.startConsumer({ ...readerSettings(topic, group), explicitCommits: true }, handler);
    onTestFinished(() => consumer?.stop());

    await waitFor(() => firstOffsets.includes('5'), {
      timeoutMs: 30_000,
      message: 'the partition read again from 5',
    });
    expect(firstOffsets[0]).toBe('0');
    // Every batch was resolved, yet nothing was committed: the consumer never commits by itself.
    expect((await committedOffsets(brokers, group, topic)).get(0)).toBe(-1);

    await consumer.commit([{ partition: 0, offset: '12' }]);
    expect((await committedOffsets(brokers, group, topic)).get(0)).toBe(12);
    await consumer.stop();
    expect((await committedOffsets(brokers, group, topic)).get(0)).toBe(12);
  });
});
