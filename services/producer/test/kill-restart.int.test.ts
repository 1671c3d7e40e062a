import { setTimeout as sleep } from 'node:timers/promises';
import { waitFor } from '@wikistream/tools/testing';
import { describe, expect, inject, it } from 'vitest';
import { decodeCursor } from '../src/cursor-record.ts';
import { parseSseId } from '../src/sse-id.ts';
import { producerEnv, replayServer, testTopics } from './support/environment.ts';
import { spawnProducer } from './support/producer-process.ts';
import { committedCursorTimestamp, metaIds, readTopic } from './support/read-topic.ts';

const brokers = inject('kafkaBrokers');

describe('the producer process against real Kafka', () => {
  it('puts every event in Kafka exactly once although it is SIGKILLed five times at random points', async () => {
    // 2,000 events a second: two share each millisecond, so a resume that skipped the rest of the
    // last millisecond, or one that produced its events again, would both be caught.
    const server = await replayServer({
      pacing: { kind: 'rate', perSecond: 2000 },
      loops: 20,
      inject: { canaryEvery: 97 },
    });
    const topics = testTopics(brokers, 'producer-kill');
    const env = producerEnv(brokers, topics, server.url, {
      SINCE: String(Date.now() - 1000),
      BATCH_SIZE: '257',
    });
    const kills: number[] = [];
    for (let round = 0; round < 5; round++) {
      const producer = spawnProducer(env);
      await producer.waitForLog((line) => line.msg === 'connecting upstream');
      const delay = 200 + Math.floor(Math.random() * 1500);
      kills.push(delay);
      await sleep(delay);
      producer.kill('SIGKILL');
      expect(await producer.exited).toBeNull();
    }
    const last = spawnProducer(env);
    await last.waitForLog((line) => line.msg === 'connecting upstream');
    await waitFor(() => server.log.exhausted, { timeoutMs: 60_000, message: 'the replay log to finish' });
    const end = server.log.timestamp(server.log.length - 1) + 1;
    await waitFor(async () => (await committedCursorTimestamp(brokers, topics.cursor)) === end, {
      timeoutMs: 60_000,
      intervalMs: 500,
      message: 'the producer to commit the whole log',
    });
    last.kill('SIGTERM');
    expect(await last.exited).toBe(0);

    const expected = server.log.validIds();
    const ids = metaIds(await readTopic(brokers, topics.data));
    expect(ids.length, `kills after ${kills.join(', ')} ms`).toBe(expected.length);
    expect(new Set(ids).size).toBe(expected.length);
    expect(new Set(ids)).toEqual(new Set(expected));
    // Every restart resumed from the cursor (or from SINCE before the first commit), one connection at a time.
    const cursor = decodeCursor((await readTopic(brokers, topics.cursor)).at(-1)?.value);
    expect(parseSseId(cursor?.sseId)?.[0]?.timestamp).toBe(end);
    expect(
      server.requests
        .filter((r) => r.status === 200)
        .every((r) => r.lastEventId !== undefined || r.since !== undefined),
    ).toBe(true);
    expect(server.stats().maxOpenPerClient).toBeLessThanOrEqual(2);
  });
});
