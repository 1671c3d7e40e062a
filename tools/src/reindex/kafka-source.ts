import { headerStrings, kafkaLogCreator, type Logger } from '@wikistream/shared';
import { type IHeaders, Kafka } from 'kafkajs';
import type { TopicRecord } from './rederive.ts';

export interface PartitionRange {
  readonly partition: number;
  /** The oldest offset the topic still holds, and the end (the next offset to be written). */
  readonly low: string;
  readonly high: string;
}

export interface ReadRequest {
  readonly topic: string;
  /** A consumer group of the run's own: nothing is committed in it, positions are the caller's. */
  readonly groupId: string;
  /** Where each partition's reading starts, and the end it stops before. */
  readonly from: ReadonlyMap<number, bigint>;
  readonly until: ReadonlyMap<number, bigint>;
  /** Handed each fetched batch's records within the range, in order, and the next offset to read. */
  onBatch(partition: number, records: TopicRecord[], next: bigint): Promise<void>;
  readonly signal: AbortSignal;
}

/** The only file of the re-index that talks to Kafka. */
export interface KafkaSource {
  partitions(topic: string): Promise<PartitionRange[]>;
  /** Per partition, the first offset whose timestamp is at or after `ms` (the end when none is). */
  offsetsAt(topic: string, ms: number): Promise<Map<number, bigint>>;
  /** Reads every partition from `from` to `until`; resolves when all got there (or when stopped). */
  read(request: ReadRequest): Promise<void>;
  deleteGroup(groupId: string): Promise<void>;
}

export function createKafkaSource(options: {
  brokers: readonly string[];
  logger: Logger;
  /** Fetch size per partition (bounds memory: one batch per partition is in flight). */
  maxBytesPerPartition?: number;
}): KafkaSource {
  const kafka = new Kafka({
    clientId: 'wikistream-reindex',
    brokers: [...options.brokers],
    logCreator: kafkaLogCreator(options.logger),
  });
  const withAdmin = async <T>(work: (admin: ReturnType<Kafka['admin']>) => Promise<T>): Promise<T> => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      return await work(admin);
    } finally {
      await admin.disconnect();
    }
  };
  return {
    partitions: (topic) =>
      withAdmin(async (admin) =>
        (await admin.fetchTopicOffsets(topic))
          .map(({ partition, low, high }) => ({ partition, low, high }))
          .sort((a, b) => a.partition - b.partition),
      ),
    offsetsAt: (topic, ms) =>
      withAdmin(
        async (admin) =>
          new Map(
            (await admin.fetchTopicOffsetsByTimestamp(topic, ms)).map(({ partition, offset }) => [
              partition,
              BigInt(offset),
            ]),
          ),
      ),
    async read(request) {
      const remaining = new Set(
        [...request.until]
          .filter(([partition, end]) => (request.from.get(partition) ?? end) < end)
          .map(([p]) => p),
      );
      if (remaining.size === 0) return;
      const positions = new Map(request.from);
      const consumer = kafka.consumer({
        groupId: request.groupId,
        readUncommitted: false,
        allowAutoTopicCreation: false,
        maxWaitTimeInMs: 500,
        maxBytes: 16 << 20,
        maxBytesPerPartition: options.maxBytesPerPartition ?? 4 << 20,
      });
      let failure: unknown;
      let finish: () => void = () => undefined;
      const finished = new Promise<void>((resolve) => {
        finish = resolve;
      });
      const fail = (error: unknown) => {
        failure ??= error;
        finish();
      };
      const reached = (partition: number, lastOffset: string) => {
        const end = request.until.get(partition);
        // Transaction markers take offsets too: a batch ending at end - 1 reached the end.
        if (end !== undefined && BigInt(lastOffset) >= end - 1n) remaining.delete(partition);
        if (remaining.size === 0) finish();
      };
      consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
        if (payload.topic === request.topic && payload.batchSize === 0)
          reached(payload.partition, payload.lastOffset);
      });
      consumer.on(consumer.events.CRASH, ({ payload }) => {
        if (!payload.restart) fail(payload.error);
      });
      request.signal.addEventListener('abort', finish, { once: true });
      await consumer.connect();
      try {
        await consumer.subscribe({ topic: request.topic, fromBeginning: true });
        await consumer.run({
          // Nothing is committed: the positions are the run's, saved with its state. Resolving
          // (kafkajs does it after each batch) only moves the fetch on.
          autoCommit: false,
          partitionsConsumedConcurrently: Math.max(1, request.until.size),
          eachBatch: async ({ batch, heartbeat }) => {
            const start = positions.get(batch.partition);
            const end = request.until.get(batch.partition);
            if (start === undefined || end === undefined || failure !== undefined || request.signal.aborted)
              return;
            const records = batch.messages
              .filter((message) => BigInt(message.offset) >= start && BigInt(message.offset) < end)
              .map((message) => ({
                partition: batch.partition,
                offset: message.offset,
                timestamp: message.timestamp,
                value: message.value,
                headers: headerStrings(message.headers as IHeaders | undefined),
              }));
            const last = BigInt(batch.lastOffset());
            const next = last + 1n > end ? end : last + 1n;
            if (next > start) {
              try {
                await request.onBatch(batch.partition, records, next);
              } catch (error) {
                fail(error);
                return;
              }
              positions.set(batch.partition, next);
            }
            await heartbeat();
            reached(batch.partition, batch.lastOffset());
          },
        });
        for (const [partition, offset] of positions)
          consumer.seek({ topic: request.topic, partition, offset: offset.toString() });
        await finished;
      } finally {
        request.signal.removeEventListener('abort', finish);
        await consumer.disconnect().catch(() => undefined);
      }
      if (failure !== undefined) throw failure;
    },
    deleteGroup: (groupId) =>
      withAdmin(async (admin) => {
        await admin.deleteGroups([groupId]).catch(() => undefined);
      }),
  };
}
