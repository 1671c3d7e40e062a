import { DeadLetterReason, encodeGap, type PipelineResponse, toDeadLetterMessage } from '@wikistream/shared';
import {
  createTestIndexPrefix,
  createTopics,
  deleteConsumerGroups,
  deleteTopics,
  testKafka,
  uniqueName,
  waitFor,
} from '@wikistream/tools/testing';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { fixtureEventList, seedEvents } from './support/seed.ts';
import { createTestApp, type TestApp } from './support/test-app.ts';

describe('the pipeline view and the dead-letter routes', () => {
  let api: TestApp | undefined;
  const topics: string[] = [];
  const groups: string[] = [];
  afterEach(async () => {
    await api?.close();
    await deleteTopics(inject('kafkaBrokers'), topics.splice(0));
    await deleteConsumerGroups(inject('kafkaBrokers'), groups.splice(0));
  });

  async function setUp() {
    const brokers = inject('kafkaBrokers');
    const topic = uniqueName('api-pipe');
    topics.push(topic, `${topic}.dlq`, `${topic}.gaps`);
    groups.push(`${topic}-indexer`);
    await createTopics(brokers, [
      { topic, numPartitions: 3 },
      { topic: `${topic}.dlq`, numPartitions: 1 },
      { topic: `${topic}.gaps`, numPartitions: 1 },
    ]);
    const kafka = testKafka(brokers);
    const producer = kafka.producer();
    await producer.connect();
    for (const partition of [0, 1, 2])
      await producer.send({
        topic,
        messages: Array.from({ length: 4 + partition }, (_, i) => ({ partition, value: `{"n":${i}}` })),
      });
    const letters = [
      { reason: DeadLetterReason.InvalidJson, value: Buffer.from('{not json') },
      { reason: DeadLetterReason.InvalidJson, value: Buffer.from('[broken') },
      { reason: DeadLetterReason.ElasticsearchRejected, value: Buffer.from('{"meta":{}}') },
    ].map((letter, i) =>
      toDeadLetterMessage({
        ...letter,
        detail: `case ${i}`,
        stage: 'indexer',
        failedAt: Date.now(),
        sourceTopic: topic,
        sourcePartition: 0,
        sourceOffset: String(i),
      }),
    );
    await producer.send({ topic: `${topic}.dlq`, messages: letters });
    const gap = {
      from: '2026-02-26T10:00:00.000Z',
      to: '2026-02-26T10:05:00.000Z',
      reason: 'cursor_expired' as const,
      detectedAt: '2026-02-26T10:05:01.000Z',
    };
    await producer.send({ topic: `${topic}.gaps`, messages: [{ value: encodeGap(gap) }] });
    await producer.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    await admin.setOffsets({
      groupId: `${topic}-indexer`,
      topic,
      partitions: [
        { partition: 0, offset: '1' },
        { partition: 1, offset: '5' },
      ],
    });
    await admin.disconnect();
    return { topic, gap };
  }

  it('reports lag per partition, dead letters by reason, gaps, freshness and latency', async () => {
    const { topic, gap } = await setUp();
    const prefix = createTestIndexPrefix(inject('elasticsearchUrl'), 'api-pipe');
    const now = Date.now();
    const recent = fixtureEventList()
      .slice(0, 20)
      .map((event, i) => ({
        ...event,
        meta: { ...event.meta, id: `recent-${i}`, dt: new Date(now - 60_000 + i).toISOString() },
      }));
    await seedEvents(inject('elasticsearchUrl'), prefix, recent);
    api = await createTestApp({ prefix, topic, startFeed: true, clock: () => now + 30_000 });
    await api.feed.ready();
    const read = async () =>
      (await api?.app.inject({ method: 'GET', url: '/api/pipeline' }))?.json() as PipelineResponse;
    const report = await waitFor(
      async () => {
        const answer = await read();
        return answer.deadLetters.total === 3 && answer.gaps.length === 1 ? answer : undefined;
      },
      { timeoutMs: 20_000 },
    );
    expect(report.lag).toEqual([
      { partition: 0, committedOffset: '1', endOffset: '4', lag: 3 },
      { partition: 1, committedOffset: '5', endOffset: '5', lag: 0 },
      { partition: 2, committedOffset: '-1', endOffset: '6', lag: 6 },
    ]);
    expect(report.totalLag).toBe(9);
    expect(report.deadLetters.byReason).toEqual([
      { key: 'invalid_json', count: 2 },
      { key: 'es_rejected', count: 1 },
    ]);
    expect(report.gaps).toEqual([gap]);
    expect(report.freshness.newestEventDt).toBe(recent.at(-1)?.meta.dt);
    expect(report.freshness.ageSeconds).toBeCloseTo(90, 0);
    // seedEvents stores latencies of 100..119 ms.
    expect(report.latency.sampleSize).toBe(20);
    expect(report.latency.p50Ms).toBeGreaterThanOrEqual(100);
    expect(report.latency.p99Ms).toBeLessThanOrEqual(120);
    // Offsets were committed for the group, but no indexer runs.
    expect(report.indexers).toEqual({ state: 'Empty', members: [] });
    expect(report.unavailable).toEqual([]);
  });

  it("names the indexer group's members and the partitions each one owns", async () => {
    const { topic } = await setUp();
    const kafka = testKafka(inject('kafkaBrokers'));
    const members = [0, 1].map(() => kafka.consumer({ groupId: `${topic}-indexer` }));
    try {
      for (const member of members) {
        await member.connect();
        await member.subscribe({ topic });
        await member.run({ eachMessage: async () => undefined });
      }
      api = await createTestApp({ topic });
      const report = await waitFor(
        async () => {
          const answer = (
            await api?.app.inject({ method: 'GET', url: '/api/pipeline' })
          )?.json() as PipelineResponse;
          const owned = answer.indexers.members.flatMap((member) => member.partitions);
          return answer.indexers.state === 'Stable' &&
            answer.indexers.members.length === 2 &&
            owned.length === 3
            ? answer
            : undefined;
        },
        { timeoutMs: 30_000 },
      );
      const owned = report.indexers.members.map((member) => member.partitions);
      expect(owned.flat().sort()).toEqual([0, 1, 2]);
      expect(owned.every((partitions) => partitions.length > 0)).toBe(true);
      for (const member of report.indexers.members) {
        expect(member.memberId).toMatch(/\S+/);
        expect(member.host).toMatch(/^[\d.:a-f]+$/);
      }
    } finally {
      await Promise.all(members.map((member) => member.disconnect()));
    }
  });

  it('lists dead letters and re-drives them to the data topic unchanged, only with the token', async () => {
    const { topic } = await setUp();
    api = await createTestApp({
      topic,
      startFeed: true,
      env: { ADMIN_TOKEN: 'token-123-abcdefghijklmnopqrstuvwxyz' },
    });
    const auth = { authorization: 'Bearer token-123-abcdefghijklmnopqrstuvwxyz' };
    await waitFor(
      async () =>
        (await api?.app.inject({ method: 'GET', url: '/api/dlq', headers: auth }))?.json().total === 3,
      { timeoutMs: 20_000 },
    );
    const list = (
      await api.app.inject({ method: 'GET', url: '/api/dlq?reason=invalid_json&limit=10', headers: auth })
    ).json();
    expect(list.entries.map((e: { preview: string }) => e.preview)).toEqual(['[broken', '{not json']);
    expect(list.entries[0]).toMatchObject({
      reason: 'invalid_json',
      stage: 'indexer',
      sourceTopic: topic,
      sourcePartition: 0,
      size: 7,
    });
    const before = await api.kafka.endOffsets(topic);
    const refused = await api.app.inject({
      method: 'POST',
      url: '/api/dlq/redrive',
      payload: { reason: 'invalid_json' },
    });
    expect(refused.statusCode).toBe(401);
    const redrive = await api.app.inject({
      method: 'POST',
      url: '/api/dlq/redrive',
      headers: auth,
      payload: { reason: 'invalid_json' },
    });
    expect(redrive.statusCode, redrive.body).toBe(200);
    expect(redrive.json()).toEqual({ redriven: 2 });
    const after = await api.kafka.endOffsets(topic);
    const values: string[] = [];
    for (const { partition, high } of before) {
      const end = after.find((p) => p.partition === partition)?.high ?? high;
      if (end !== high)
        values.push(
          ...(await api.kafka.readPartition(topic, partition, high, 10)).map(
            (r) => r.value?.toString() ?? '',
          ),
        );
    }
    expect(values.sort()).toEqual(['[broken', '{not json']);
  });
});
