import { createTopics, waitFor } from '@wikistream/tools/testing';
import { describe, expect, inject, it } from 'vitest';
import { producerEnv, replayServer, testTopics } from './support/environment.ts';
import { spawnProducer } from './support/producer-process.ts';
import { committedCursorTimestamp, metaIds, readTopic } from './support/read-topic.ts';

const brokers = inject('kafkaBrokers');

describe('batch size limits', () => {
  it('halves its batches when the broker refuses one as too large, instead of retrying it forever', async () => {
    const server = await replayServer({ pacing: { kind: 'rate', perSecond: 3000 }, loops: 3 });
    const topics = testTopics(brokers, 'producer-limits');
    // A data topic that accepts at most 100 kB per record batch, far less than a 4 MiB transaction.
    await createTopics(brokers, [
      {
        topic: topics.data,
        numPartitions: 1,
        configEntries: [{ name: 'max.message.bytes', value: '100000' }],
      },
    ]);
    const producer = spawnProducer(
      producerEnv(brokers, topics, server.url, { SINCE: String(Date.now() - 1000), BATCH_MAX_MS: '2000' }),
    );
    await waitFor(() => server.log.exhausted);
    const end = server.log.timestamp(server.log.length - 1) + 1;
    await waitFor(async () => (await committedCursorTimestamp(brokers, topics.cursor)) === end, {
      timeoutMs: 90_000,
      intervalMs: 1000,
      message: 'the producer to commit everything with smaller batches',
    });
    producer.kill('SIGTERM');
    expect(await producer.exited).toBe(0);
    expect(producer.logs.some((line) => String(line.msg).includes('halving batches'))).toBe(true);
    const ids = metaIds(await readTopic(brokers, topics.data));
    expect(ids).toHaveLength(server.log.validIds().length);
    expect(new Set(ids)).toEqual(new Set(server.log.validIds()));
  });
});
