import { testKafka, uniqueName } from '@wikistream/tools/testing';
import type { KafkaMessage } from 'kafkajs';

/** Every committed record of a topic (read_committed), read to its end offsets as of the call. */
export async function readTopic(brokers: string, topic: string, timeoutMs = 30_000): Promise<KafkaMessage[]> {
  const kafka = testKafka(brokers);
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
  const ends = new Map(
    offsets.filter((o) => BigInt(o.high) > BigInt(o.low)).map((o) => [o.partition, BigInt(o.high)]),
  );
  const messages: KafkaMessage[] = [];
  if (ends.size === 0) return messages;
  const groupId = uniqueName('read-topic');
  const consumer = kafka.consumer({ groupId, readUncommitted: false, maxWaitTimeInMs: 100 });
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
      eachMessage: async ({ message }) => void messages.push(message),
    });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      done,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`reading ${topic} timed out`)), timeoutMs);
      }),
    ]).finally(() => clearTimeout(timer));
  } finally {
    await consumer.disconnect();
    const cleanup = kafka.admin();
    await cleanup.connect();
    await cleanup.deleteGroups([groupId]).catch(() => undefined);
    await cleanup.disconnect();
  }
  return messages;
}

/** meta.ids of the data records, in the order read. */
export function metaIds(messages: readonly KafkaMessage[]): string[] {
  return messages.map(
    (message) => (JSON.parse(message.value?.toString() ?? '{}') as { meta: { id: string } }).meta.id,
  );
}

/** The id timestamp of the newest cursor record, or undefined when none was written yet. */
export async function committedCursorTimestamp(
  brokers: string,
  cursorTopic: string,
): Promise<number | undefined> {
  const records = await readTopic(brokers, cursorTopic).catch(() => []);
  const value = records.at(-1)?.value?.toString();
  if (!value) return undefined;
  const { sseId } = JSON.parse(value) as { sseId: string };
  const entries = JSON.parse(sseId) as { timestamp?: number }[];
  return Math.max(...entries.map((entry) => entry.timestamp ?? Number.NEGATIVE_INFINITY));
}
