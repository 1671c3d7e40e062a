import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin, KafkaMessage } from 'kafkajs';
import { testKafka } from './kafka.ts';
import { uniqueName } from './names.ts';

/**
 * Reads every committed record of a topic (read_committed), up to its end offsets as of the call,
 * handing each to `onMessage`. Transaction markers occupy offsets but are not records, so a
 * partition is done when a batch reaches its end offset minus one.
 *
 * The end offsets kafkajs lists are the last stable offsets: a transaction whose commit its
 * producer has already been told of stays below them until the broker has written its commit
 * markers, a few milliseconds later. So the ends are read until they stop moving.
 */
export async function forEachRecord(
  brokers: string,
  topic: string,
  onMessage: (message: KafkaMessage, partition: number) => void,
  timeoutMs = 120_000,
): Promise<void> {
  const kafka = testKafka(brokers, 'wikistream-test-reader');
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await settledOffsets(admin, topic).finally(() => admin.disconnect());
  const ends = new Map(
    offsets.filter((o) => BigInt(o.high) > BigInt(o.low)).map((o) => [o.partition, BigInt(o.high)]),
  );
  if (ends.size === 0) return;
  const limits = new Map(ends);
  const groupId = uniqueName('read-topic');
  const consumer = kafka.consumer({
    groupId,
    readUncommitted: false,
    maxWaitTimeInMs: 200,
    maxBytes: 16 << 20,
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    const done = new Promise<void>((resolve) => {
      consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
        const end = ends.get(payload.partition);
        if (end !== undefined && BigInt(payload.lastOffset) >= end - 1n) ends.delete(payload.partition);
        if (ends.size === 0) resolve();
      });
    });
    await consumer.run({
      autoCommit: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) {
          if (BigInt(message.offset) < (limits.get(batch.partition) ?? 0n))
            onMessage(message, batch.partition);
        }
      },
    });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      done,
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`reading ${topic} timed out (${ends.size} partitions unfinished)`)),
          timeoutMs,
        );
      }),
    ]).finally(() => clearTimeout(timer));
  } finally {
    await consumer.disconnect();
    await deleteGroup(brokers, groupId);
  }
}

const SETTLE_MS = 150;
const SETTLE_LIMIT_MS = 5_000;

type TopicOffsets = Awaited<ReturnType<Admin['fetchTopicOffsets']>>;

/**
 * The topic's offsets once two readings SETTLE_MS apart agree, or after SETTLE_LIMIT_MS when the
 * topic is still being written to (a reader then gets what was committed by then).
 */
async function settledOffsets(admin: Admin, topic: string): Promise<TopicOffsets> {
  const key = (offsets: TopicOffsets) =>
    offsets
      .map(({ partition, high }) => `${partition}:${high}`)
      .sort()
      .join(',');
  const giveUpAt = Date.now() + SETTLE_LIMIT_MS;
  let offsets = await admin.fetchTopicOffsets(topic);
  for (;;) {
    await sleep(SETTLE_MS);
    const again = await admin.fetchTopicOffsets(topic);
    if (key(again) === key(offsets) || Date.now() > giveUpAt) return again;
    offsets = again;
  }
}

/** Every committed record of a topic (read_committed), up to its end offsets as of the call. */
export async function readTopic(brokers: string, topic: string, timeoutMs?: number): Promise<KafkaMessage[]> {
  const messages: KafkaMessage[] = [];
  await forEachRecord(brokers, topic, (message) => void messages.push(message), timeoutMs);
  return messages;
}

async function deleteGroup(brokers: string, groupId: string): Promise<void> {
  const admin = testKafka(brokers).admin();
  await admin.connect();
  await admin.deleteGroups([groupId]).catch(() => undefined);
  await admin.disconnect();
}
