import { setTimeout as sleep } from 'node:timers/promises';
import type { Consumer, KafkaMessage } from 'kafkajs';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { createTestTopic, testKafka, uniqueName } from '../../src/testing/index.ts';

const brokers = inject('kafkaBrokers');

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(50);
  }
}

describe('Kafka transactions against the real broker', () => {
  const consumers: Consumer[] = [];
  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((consumer) => consumer.disconnect()));
  });

  it('hides a transactional write from read-committed consumers until it commits', async () => {
    const topic = await createTestTopic(brokers, 'smoke-tx');
    const kafka = testKafka(brokers);
    const received: KafkaMessage[] = [];
    const consumer = kafka.consumer({ groupId: uniqueName('smoke-group'), readUncommitted: false });
    consumers.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        received.push(message);
      },
    });

    const producer = kafka.producer({
      transactionalId: uniqueName('smoke-tx-id'),
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    try {
      const transaction = await producer.transaction();
      await transaction.send({ topic, messages: [{ key: 'k', value: 'in-transaction' }] });
      // The record is in the log, but the transaction is open: a read-committed consumer must not see it.
      await sleep(3000);
      expect(received).toHaveLength(0);
      await transaction.commit();
      await waitFor(() => received.length === 1, 20_000);
      expect(received[0]?.value?.toString()).toBe('in-transaction');
    } finally {
      await producer.disconnect();
    }
  });

  it('never shows an aborted transaction to read-committed consumers', async () => {
    const topic = await createTestTopic(brokers, 'smoke-abort');
    const kafka = testKafka(brokers);
    const producer = kafka.producer({
      transactionalId: uniqueName('smoke-abort-id'),
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    try {
      const aborted = await producer.transaction();
      await aborted.send({ topic, messages: [{ value: 'aborted' }] });
      await aborted.abort();
      const committed = await producer.transaction();
      await committed.send({ topic, messages: [{ value: 'committed' }] });
      await committed.commit();
    } finally {
      await producer.disconnect();
    }
    const received: string[] = [];
    const consumer = kafka.consumer({ groupId: uniqueName('smoke-group'), readUncommitted: false });
    consumers.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        received.push(message.value?.toString() ?? '');
      },
    });
    await waitFor(() => received.length >= 1, 20_000);
    await sleep(500);
    expect(received).toEqual(['committed']);
  });
});
