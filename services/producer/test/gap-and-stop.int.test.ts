import { decodeGap, GapReason, topicNames, topicSpecs } from '@wikistream/shared';
import { createTopics, testKafka, waitFor } from '@wikistream/tools/testing';
import { describe, expect, inject, it } from 'vitest';
import { encodeCursor } from '../src/cursor-record.ts';
import { producerEnv, replayServer, type TestTopics, testTopics } from './support/environment.ts';
import { spawnProducer } from './support/producer-process.ts';
import { metaIds, readTopic } from './support/read-topic.ts';

const brokers = inject('kafkaBrokers');
const DAY = 24 * 3600 * 1000;

/** Stores a cursor record as an earlier producer run would have left it. */
async function seedCursor(topics: TestTopics, value: Buffer): Promise<void> {
  const names = topicNames(topics.data, { cursor: topics.cursor, gaps: topics.gaps });
  const cursorSpec = topicSpecs(names).find((spec) => spec.topic === topics.cursor);
  await createTopics(brokers, [
    { ...cursorSpec, topic: topics.cursor, configEntries: [...(cursorSpec?.configEntries ?? [])] },
  ]);
  const producer = testKafka(brokers).producer();
  await producer.connect();
  await producer.send({ topic: topics.cursor, messages: [{ key: topics.producerId, value }] });
  await producer.disconnect();
}

describe('gaps and stops', () => {
  it('records a gap when its cursor is older than the upstream history', async () => {
    const server = await replayServer({ pacing: { kind: 'rate', perSecond: 200 }, loops: 0 });
    const topics = testTopics(brokers, 'producer-gap');
    const cursorTime = Date.now() - 8 * DAY;
    const sseId = `[{"topic":"eqiad.mediawiki.recentchange","partition":0,"timestamp":${cursorTime + 1}},{"topic":"codfw.mediawiki.recentchange","partition":0,"offset":-1}]`;
    await seedCursor(
      topics,
      encodeCursor({
        version: 1,
        sseId,
        window: { completeFrom: 0, keys: [], timestamps: [] },
        producerVersion: '0.0.1',
        committedAt: cursorTime,
      }),
    );
    const producer = spawnProducer(producerEnv(brokers, topics, server.url));
    await waitFor(
      async () =>
        (await producer.metric('wikistream_producer_gaps_total', { reason: 'cursor_expired' })) === 1,
      {
        timeoutMs: 30_000,
      },
    );
    producer.kill('SIGTERM');
    expect(await producer.exited).toBe(0);
    expect(server.requests.find((r) => r.status === 200)?.lastEventId).toContain(
      `"timestamp":${cursorTime - 999}`,
    );
    const gaps = (await readTopic(brokers, topics.gaps)).map((m) => decodeGap(m.value));
    expect(gaps).toHaveLength(1);
    expect(gaps[0]).toMatchObject({
      reason: GapReason.CursorExpired,
      from: new Date(cursorTime).toISOString(),
    });
    expect(Date.parse(gaps[0]?.to as string)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('records a started-live gap when its cursor cannot be read', async () => {
    const server = await replayServer({ pacing: { kind: 'rate', perSecond: 200 }, loops: 0 });
    const topics = testTopics(brokers, 'producer-live-gap');
    await seedCursor(topics, Buffer.from('{"not":"a cursor"}'));
    const producer = spawnProducer(producerEnv(brokers, topics, server.url));
    await waitFor(
      async () => (await producer.metric('wikistream_producer_gaps_total', { reason: 'started_live' })) === 1,
      {
        timeoutMs: 30_000,
      },
    );
    producer.kill('SIGTERM');
    expect(await producer.exited).toBe(0);
    const gaps = (await readTopic(brokers, topics.gaps)).map((m) => decodeGap(m.value));
    expect(gaps.map((gap) => gap?.reason)).toEqual([GapReason.StartedLive]);
  });

  it('commits the batch it is filling when stopped with SIGTERM, and exits 0 within 10 s', async () => {
    const server = await replayServer({ pacing: { kind: 'rate', perSecond: 500 }, loops: 1 });
    const topics = testTopics(brokers, 'producer-stop');
    // Batches that never fill up or time out on their own: only the stop can commit them.
    const env = producerEnv(brokers, topics, server.url, {
      SINCE: String(Date.now() - 1000),
      BATCH_SIZE: '100000',
      BATCH_MAX_MS: '600000',
      BATCH_MAX_BYTES: '100000000',
    });
    const producer = spawnProducer(env);
    await waitFor(() => server.log.exhausted);
    await waitFor(
      async () => (await producer.metric('wikistream_producer_events_received_total')) === server.log.length,
      {
        timeoutMs: 30_000,
      },
    );
    expect(await readTopic(brokers, topics.data)).toHaveLength(0);
    const stoppedAt = Date.now();
    producer.kill('SIGTERM');
    expect(await producer.exited).toBe(0);
    expect(Date.now() - stoppedAt).toBeLessThan(10_000);
    const ids = metaIds(await readTopic(brokers, topics.data));
    expect(ids).toHaveLength(server.log.validIds().length);
    expect(new Set(ids)).toEqual(new Set(server.log.validIds()));
    expect(producer.logs.some((line) => String(line.msg).startsWith('stopping'))).toBe(true);
    // The last line says what the stop committed: every event, and the cursor it resumes from.
    const stopped = producer.logs.find((line) => String(line.msg).startsWith('stopped: '));
    expect(stopped).toMatchObject({ events: server.log.validIds().length, cursor: expect.any(String) });
  });
});
