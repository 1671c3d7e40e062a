import { decodeGap, GapReason, topicNames, topicSpecs } from '@wikistream/shared';
import { createTopics, testKafka, waitFor } from '@wikistream/tools/testing';
import { describe, expect, inject, it } from 'vitest';
import { streamIdentity } from '../src/cursor-owner.ts';
import { decodeCursor, encodeCursor } from '../src/cursor-record.ts';
import { producerEnv, replayServer, type TestTopics, testTopics } from './support/environment.ts';
import { type ProducerProcess, spawnProducer } from './support/producer-process.ts';
import { metaIds, readTopic } from './support/read-topic.ts';

const brokers = inject('kafkaBrokers');

/** Runs a producer until it has read the whole (finished) replay log, then stops it with SIGTERM. */
async function produceAll(env: Record<string, string>, expected: number): Promise<ProducerProcess> {
  const producer = spawnProducer(env);
  await waitFor(
    async () => (await producer.metric('wikistream_producer_events_received_total')) >= expected,
    {
      timeoutMs: 60_000,
      message: `the producer to read ${expected} events`,
    },
  );
  producer.kill('SIGTERM');
  expect(await producer.exited).toBe(0);
  return producer;
}

/** The same cursor (topic and key) as `owner`, with a data topic family of its own. */
function sharingCursorWith(owner: TestTopics, prefix: string): TestTopics {
  return { ...testTopics(brokers, prefix), cursor: owner.cursor, producerId: owner.producerId };
}

async function refusal(producer: ProducerProcess): Promise<string> {
  expect(await producer.exited).not.toBe(0);
  return String(producer.logs.find((line) => line.level === 60)?.msg ?? '');
}

async function latestCursor(topics: TestTopics) {
  const records = await readTopic(brokers, topics.cursor);
  return decodeCursor(records.filter((r) => r.key?.toString() === topics.producerId).at(-1)?.value);
}

describe('a cursor belongs to one upstream and one topic', () => {
  it('refuses a cursor written for another data topic, naming both and the ways forward', async () => {
    const server = await replayServer({ pacing: { kind: 'rate', perSecond: 500 }, loops: 1 });
    const first = testTopics(brokers, 'owner-topic-a');
    await waitFor(() => server.log.exhausted);
    await produceAll(
      producerEnv(brokers, first, server.url, { SINCE: String(Date.now() - 60_000) }),
      server.log.length,
    );
    expect((await latestCursor(first))?.owner).toEqual({
      stream: streamIdentity(server.url),
      topic: first.data,
    });

    const moved = sharingCursorWith(first, 'owner-topic-b');
    const message = await refusal(spawnProducer(producerEnv(brokers, moved, server.url)));
    expect(message).toContain(`into topic ${first.data}`);
    expect(message).toContain(`into topic ${moved.data}`);
    expect(message).toMatch(/own PRODUCER_ID/);
    expect(message).toMatch(/RESET_CURSOR=1 \(or --reset-cursor\)/);
    expect(await readTopic(brokers, moved.data).catch(() => [])).toHaveLength(0);
  });

  it('refuses a cursor written for another upstream', async () => {
    const demo = await replayServer({ pacing: { kind: 'rate', perSecond: 500 }, loops: 1 });
    const live = await replayServer({ pacing: { kind: 'rate', perSecond: 500 }, loops: 1 });
    const topics = testTopics(brokers, 'owner-upstream');
    await waitFor(() => demo.log.exhausted);
    await produceAll(
      producerEnv(brokers, topics, demo.url, { SINCE: String(Date.now() - 60_000) }),
      demo.log.length,
    );
    const before = (await readTopic(brokers, topics.data)).length;
    const message = await refusal(spawnProducer(producerEnv(brokers, topics, live.url)));
    expect(message).toContain(`another upstream: it was written reading ${streamIdentity(demo.url)}`);
    expect(message).toContain(`this producer reads ${streamIdentity(live.url)}`);
    expect(await readTopic(brokers, topics.data)).toHaveLength(before);
  });

  it('with RESET_CURSOR drops the other cursor, loses nothing from SINCE on, and records the reset as a gap', async () => {
    const server = await replayServer({ pacing: { kind: 'rate', perSecond: 500 }, loops: 1 });
    const since = String(Date.now() - 60_000);
    const first = testTopics(brokers, 'owner-reset-a');
    await waitFor(() => server.log.exhausted);
    await produceAll(producerEnv(brokers, first, server.url, { SINCE: since }), server.log.length);
    // The same events again, into a new topic: the old cursor's dedupe window holds all their ids.
    const moved = sharingCursorWith(first, 'owner-reset-b');
    const reset = await produceAll(
      producerEnv(brokers, moved, server.url, { SINCE: since, RESET_CURSOR: '1' }),
      server.log.length,
    );
    expect(reset.logs.some((line) => line.msg === 'dropping the cursor of another configuration')).toBe(true);
    const ids = metaIds(await readTopic(brokers, moved.data));
    expect(ids).toHaveLength(server.log.validIds().length);
    expect(new Set(ids)).toEqual(new Set(server.log.validIds()));
    const gaps = (await readTopic(brokers, moved.gaps)).map((m) => decodeGap(m.value));
    expect(gaps.map((gap) => gap?.reason)).toEqual([GapReason.CursorReset]);
    expect(gaps[0]?.detail).toContain(first.data);
    expect((await latestCursor(moved))?.owner?.topic).toBe(moved.data);
  });

  it('keeps its own cursor when RESET_CURSOR is left set', async () => {
    const server = await replayServer({ pacing: { kind: 'rate', perSecond: 500 }, loops: 1 });
    const topics = testTopics(brokers, 'owner-reset-kept');
    await waitFor(() => server.log.exhausted);
    const env = producerEnv(brokers, topics, server.url, {
      SINCE: String(Date.now() - 60_000),
      RESET_CURSOR: '1',
    });
    await produceAll(env, server.log.length);
    const again = spawnProducer(env);
    const resumed = await again.waitForLog((line) => line.msg === 'resuming');
    expect(resumed.cursor).toEqual(expect.any(String));
    again.kill('SIGTERM');
    expect(await again.exited).toBe(0);
    expect(metaIds(await readTopic(brokers, topics.data))).toHaveLength(server.log.validIds().length);
    expect(await readTopic(brokers, topics.gaps).catch(() => [])).toHaveLength(0);
  });

  it('takes a cursor written before owners were recorded as its own, and rewrites it with the owner', async () => {
    const server = await replayServer({ pacing: { kind: 'rate', perSecond: 100 }, loops: 0 });
    const topics = testTopics(brokers, 'owner-old-format');
    const names = topicNames(topics.data, { cursor: topics.cursor, gaps: topics.gaps });
    const cursorSpec = topicSpecs(names).find((spec) => spec.topic === topics.cursor);
    await createTopics(brokers, [
      { ...cursorSpec, topic: topics.cursor, configEntries: [...(cursorSpec?.configEntries ?? [])] },
    ]);
    const now = Date.now();
    const sseId = `[{"topic":"eqiad.mediawiki.recentchange","partition":0,"timestamp":${now - 1000}},{"topic":"codfw.mediawiki.recentchange","partition":0,"offset":-1}]`;
    const old = encodeCursor({
      version: 1,
      sseId,
      window: { completeFrom: now - 2000, keys: [], timestamps: [] },
      producerVersion: '0.0.1',
      committedAt: now - 1000,
    });
    expect(JSON.parse(old.toString())).not.toHaveProperty('topic');
    const producer = testKafka(brokers).producer();
    await producer.connect();
    await producer.send({ topic: topics.cursor, messages: [{ key: topics.producerId, value: old }] });
    await producer.disconnect();

    const upgraded = spawnProducer(producerEnv(brokers, topics, server.url));
    const resumed = await upgraded.waitForLog((line) => line.msg === 'resuming');
    expect(resumed.cursor).toBe(sseId);
    const owner = await waitFor(async () => (await latestCursor(topics))?.owner, { timeoutMs: 30_000 });
    expect(owner).toEqual({ stream: streamIdentity(server.url), topic: topics.data });
    upgraded.kill('SIGTERM');
    expect(await upgraded.exited).toBe(0);
    expect(await readTopic(brokers, topics.gaps).catch(() => [])).toHaveLength(0);
  });
});
