import type { TopicSpec } from '@wikistream/shared';
import { describe, expect, it } from 'vitest';
import { createTopic, type TopicAdmin } from '../src/create-topic.ts';

const spec: TopicSpec = {
  topic: 'data',
  numPartitions: 2,
  configEntries: [{ name: 'retention.ms', value: '1' }],
};

/** kafkajs's KafkaJSProtocolError as it reaches the caller. */
const protocolError = (type: string) => Object.assign(new Error(type), { type, retriable: true });

/** An admin whose broker learns of a new topic only after `unknownFor` metadata requests. */
function admin(options: { create: () => Promise<boolean>; unknownFor: number }) {
  const calls = { metadata: 0, created: [] as unknown[] };
  const fake: TopicAdmin = {
    async createTopics(request) {
      calls.created.push(request);
      return options.create();
    },
    async fetchTopicMetadata({ topics }) {
      calls.metadata++;
      if (calls.metadata <= options.unknownFor) throw protocolError('UNKNOWN_TOPIC_OR_PARTITION');
      return { topics: topics.map((name) => ({ name, partitions: [{ leader: 1 }, { leader: 1 }] })) };
    },
  };
  return { fake, calls };
}

describe('createTopic', () => {
  it('creates the topic with its partitions and settings and reports that it did', async () => {
    const { fake, calls } = admin({ create: async () => true, unknownFor: 0 });
    expect(await createTopic(fake, spec)).toBe(true);
    expect(calls.created).toEqual([
      {
        topics: [{ topic: 'data', numPartitions: 2, configEntries: [{ name: 'retention.ms', value: '1' }] }],
        waitForLeaders: true,
      },
    ]);
  });

  it('accepts a topic another indexer created at the same moment', async () => {
    const { fake } = admin({ create: async () => false, unknownFor: 0 });
    expect(await createTopic(fake, spec)).toBe(false);
  });

  it('waits until a topic it has just created is known to the broker instead of failing the start', async () => {
    // KRaft: the creation succeeded, but the broker answers metadata with UNKNOWN_TOPIC_OR_PARTITION
    // for a moment, and kafkajs gives up waiting for leaders at once.
    const { fake, calls } = admin({
      create: () => Promise.reject(protocolError('UNKNOWN_TOPIC_OR_PARTITION')),
      unknownFor: 3,
    });
    expect(await createTopic(fake, spec, { pauseMs: 1 })).toBe(true);
    expect(calls.metadata).toBe(4);
  });

  it('gives up after its deadline when the topic never becomes known', async () => {
    const { fake } = admin({
      create: () => Promise.reject(protocolError('UNKNOWN_TOPIC_OR_PARTITION')),
      unknownFor: Number.POSITIVE_INFINITY,
    });
    await expect(createTopic(fake, spec, { pauseMs: 1, timeoutMs: 30 })).rejects.toMatchObject({
      type: 'UNKNOWN_TOPIC_OR_PARTITION',
    });
  });

  it('passes any other error on', async () => {
    const { fake } = admin({
      create: () => Promise.reject(protocolError('POLICY_VIOLATION')),
      unknownFor: 0,
    });
    await expect(createTopic(fake, spec)).rejects.toMatchObject({ type: 'POLICY_VIOLATION' });
  });
});
