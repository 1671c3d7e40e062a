import { createLogger, topicSpecs } from '@wikistream/shared';
import { readTopic, testKafka } from '@wikistream/tools/testing';
import { describe, expect, inject, it, onTestFinished } from 'vitest';
import { createKafkaPort } from '../src/kafka-port.ts';
import { testTopics } from './support/environment.ts';

const brokers = inject('kafkaBrokers');

describe('the Kafka port', () => {
  it('fences a predecessor with an open transaction before the cursor can be read', async () => {
    const topics = testTopics(brokers, 'producer-fence');
    const port = createKafkaPort({
      brokers: [brokers],
      transactionalId: topics.producerId,
      topics,
      compression: 'none',
      retries: 5,
      commitTimeoutMs: 30_000,
      logger: createLogger({ name: 'kafka-port-test', level: 'silent' }),
    });
    onTestFinished(() => port.close());
    await port.ensureTopics(topicSpecs(topics, 1));

    // A predecessor with the same transactional id (a process that paused, or this one's own
    // producer after a commit timed out), its transaction holding events and a cursor, not yet committed.
    const predecessor = testKafka(brokers, 'predecessor').producer({
      transactionalId: topics.producerId,
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await predecessor.connect();
    onTestFinished(() => predecessor.disconnect());
    const transaction = await predecessor.transaction();
    await transaction.send({ topic: topics.data, messages: [{ key: 'k', value: '{"late":true}' }] });
    await transaction.send({
      topic: topics.cursor,
      messages: [{ key: topics.producerId, value: '{"late":true}' }],
    });

    await port.connect();
    // What the successor reads now stays true: the predecessor can no longer commit.
    expect(await port.readCursor(topics.producerId)).toBeUndefined();
    await expect(transaction.commit()).rejects.toThrow();
    expect(await readTopic(brokers, topics.cursor)).toEqual([]);
    expect(await readTopic(brokers, topics.data)).toEqual([]);

    // And the successor itself commits normally.
    await port.commit({ data: [], deadLetters: [], gaps: [], cursor: Buffer.from('{"next":true}') });
    expect(await port.readCursor(topics.producerId)).toMatchObject({ value: Buffer.from('{"next":true}') });
  });
});
