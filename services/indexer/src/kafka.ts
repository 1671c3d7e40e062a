import { headerStrings, kafkaLogCreator, type Logger, type TopicSpec } from '@wikistream/shared';
import {
  type Admin,
  type Consumer,
  type EachBatchPayload,
  type IHeaders,
  Kafka,
  type KafkaMessage,
  Partitioners,
  type Producer,
} from 'kafkajs';
import type { BatchHandler, InboundMessage } from './consumer-batch.ts';
import { createTopic } from './create-topic.ts';
import type { RecordSender } from './dead-letter-sink.ts';
import type { PartitionOffset } from './offset-committer.ts';

/** The only file that imports kafkajs (unmaintained since 2023): swapping clients is a one-file change. */
export interface ConsumerSettings {
  readonly groupId: string;
  readonly topic: string;
  readonly sessionTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly maxBytesPerPartition: number;
  readonly maxBytes: number;
  readonly maxWaitMs: number;
  readonly partitionsConcurrently: number;
  /** Commit whatever kafkajs resolves by itself too (batches of transaction markers only). */
  readonly commitEveryResolve?: boolean;
  /**
   * The consumer never commits by itself: resolving an offset only moves the fetch position, and
   * the handler commits through `RunningConsumer.commit` once the messages are handled.
   */
  readonly explicitCommits?: boolean;
}

export interface ConsumerEvents {
  /** The partitions of the topic this member owns after a rebalance. */
  onAssignment?(partitions: readonly number[]): void;
  /** The consumer gave up for good (kafkajs does not restart it). */
  onFatal?(error: Error): void;
  /** A fetched batch held only transaction markers; kafkajs resolved it without calling the handler. */
  onMarkersOnly?(partition: number, lastOffset: string, highWatermark: string): void;
}

export interface RunningConsumer {
  /** Finishes the batch in flight (the handler sees isRunning() false), commits, leaves the group. */
  stop(): Promise<void>;
  /** Commits these next-to-read offsets once, in the current generation; rejects when refused. */
  commit(offsets: readonly PartitionOffset[]): Promise<void>;
  /** The next fetch of this partition starts at `offset` (batches handed out before are stale). */
  rewind(partition: number, offset: string): void;
}

export interface KafkaPort {
  ensureTopics(specs: readonly TopicSpec[]): Promise<void>;
  createSender(): Promise<RecordSender & { close(): Promise<void> }>;
  startConsumer(
    settings: ConsumerSettings,
    handler: BatchHandler,
    events?: ConsumerEvents,
  ): Promise<RunningConsumer>;
  /** Offsets per partition: [low, high) of the topic and the group's committed position; none for a missing topic. */
  positions(
    topic: string,
    groupId: string,
  ): Promise<{ partition: number; low: string; high: string; committed: string }[]>;
  /** How many partitions the topic has (0 when it does not exist). */
  partitionCount(topic: string): Promise<number>;
  /** A consumer that reads from the group's position, for one-shot tools; stop() when done. */
  startReader(topic: string, groupId: string, handler: BatchHandler): Promise<RunningConsumer>;
}

export function createKafkaPort(options: {
  brokers: readonly string[];
  clientId: string;
  logger: Logger;
}): KafkaPort {
  const kafka = new Kafka({
    clientId: options.clientId,
    brokers: [...options.brokers],
    logCreator: kafkaLogCreator(options.logger),
    retry: { retries: 8, initialRetryTime: 300, maxRetryTime: 10_000 },
  });
  const withAdmin = async <T>(work: (admin: Admin) => Promise<T>): Promise<T> => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      return await work(admin);
    } finally {
      await admin.disconnect();
    }
  };
  return {
    ensureTopics: (specs) =>
      withAdmin(async (admin) => {
        // One call per topic: creating is idempotent (TOPIC_ALREADY_EXISTS is fine, also when
        // another indexer creates it at the same moment), and each call waits for its leaders.
        for (const spec of specs) {
          if (await createTopic(admin, spec))
            options.logger.info({ topic: spec.topic, partitions: spec.numPartitions }, 'topic created');
        }
      }),
    async createSender() {
      // acks=all, one request in flight, bounded retries: a send fails (and the batch is retried
      // from its last commit) instead of hanging through a Kafka outage. Not idempotent: a retried
      // send may write a dead letter twice, which is harmless; an unlimited idempotent producer
      // would block shutdown while Kafka is away.
      const producer = kafka.producer({
        createPartitioner: Partitioners.DefaultPartitioner,
        maxInFlightRequests: 1,
      });
      await producer.connect();
      return senderFor(producer);
    },
    startConsumer: (settings, handler, events) => startConsumer(kafka, settings, handler, events ?? {}),
    positions: (topic, groupId) =>
      withAdmin(async (admin) => {
        if (!(await admin.listTopics()).includes(topic)) return [];
        const ends = await admin.fetchTopicOffsets(topic);
        const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
        return ends.map(({ partition, low, high }) => ({
          partition,
          low,
          high,
          committed: committed?.partitions.find((entry) => entry.partition === partition)?.offset ?? '-1',
        }));
      }),
    partitionCount: (topic) =>
      withAdmin(async (admin) => {
        if (!(await admin.listTopics()).includes(topic)) return 0;
        const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
        return topics[0]?.partitions.length ?? 0;
      }),
    startReader: (topic, groupId, handler) =>
      startConsumer(kafka, { ...readerSettings(topic, groupId), commitEveryResolve: true }, handler, {}),
  };
}

/** Settings of a one-shot reader: one partition at a time, the client's usual timeouts and sizes. */
export function readerSettings(topic: string, groupId: string): ConsumerSettings {
  return {
    groupId,
    topic,
    sessionTimeoutMs: 30_000,
    heartbeatIntervalMs: 3_000,
    rebalanceTimeoutMs: 60_000,
    maxBytesPerPartition: 1024 * 1024,
    maxBytes: 8 * 1024 * 1024,
    maxWaitMs: 1_000,
    partitionsConcurrently: 1,
  };
}

function senderFor(producer: Producer): RecordSender & { close(): Promise<void> } {
  return {
    async send(topic, messages) {
      await producer.send({
        topic,
        acks: -1,
        messages: messages.map((message) => ({
          key: message.key,
          value: message.value,
          headers: message.headers,
        })),
      });
    },
    close: () => producer.disconnect(),
  };
}

async function startConsumer(
  kafka: Kafka,
  settings: ConsumerSettings,
  handler: BatchHandler,
  events: ConsumerEvents,
): Promise<RunningConsumer> {
  const consumer = kafka.consumer({
    groupId: settings.groupId,
    sessionTimeout: settings.sessionTimeoutMs,
    heartbeatInterval: settings.heartbeatIntervalMs,
    rebalanceTimeout: settings.rebalanceTimeoutMs,
    maxBytesPerPartition: settings.maxBytesPerPartition,
    maxBytes: settings.maxBytes,
    maxWaitTimeInMs: settings.maxWaitMs,
    readUncommitted: false,
    allowAutoTopicCreation: false,
  });
  watch(consumer, settings.topic, events);
  await consumer.connect();
  await consumer.subscribe({ topic: settings.topic, fromBeginning: true });
  // The group's own commit, without the consumer's retries: a refused commit is the caller's to retry.
  let commitDirectly: EachBatchPayload['commitOffsetsIfNecessary'] | undefined;
  await consumer.run({
    autoCommit: !settings.explicitCommits,
    ...(settings.commitEveryResolve ? { autoCommitThreshold: 1 } : {}),
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: settings.partitionsConcurrently,
    eachBatch: (payload) => {
      commitDirectly = payload.commitOffsetsIfNecessary;
      return handler(adaptBatch(payload));
    },
  });
  let stopped: Promise<void> | undefined;
  return {
    stop() {
      // disconnect() stops the runner (waiting for the batch in flight), leaves the group, closes.
      stopped ??= consumer.disconnect();
      return stopped;
    },
    async commit(offsets) {
      const partitions = offsets.map(({ partition, offset }) => ({ partition, offset }));
      if (commitDirectly) await commitDirectly({ topics: [{ topic: settings.topic, partitions }] });
      else await consumer.commitOffsets(partitions.map((entry) => ({ topic: settings.topic, ...entry })));
    },
    rewind(partition, offset) {
      consumer.seek({ topic: settings.topic, partition, offset });
    },
  };
}

function watch(consumer: Consumer, topic: string, events: ConsumerEvents): void {
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    events.onAssignment?.(payload.memberAssignment[topic] ?? []);
  });
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
    if (payload.topic === topic && payload.batchSize === 0) {
      events.onMarkersOnly?.(payload.partition, payload.lastOffset, String(payload.highWatermark));
    }
  });
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (!payload.restart) events.onFatal?.(payload.error);
  });
}

function adaptBatch(payload: EachBatchPayload) {
  const { batch } = payload;
  return {
    topic: batch.topic,
    partition: batch.partition,
    highWatermark: batch.highWatermark,
    lastOffset: batch.lastOffset(),
    messages: batch.messages.map(inbound),
    resolveOffset: (offset: string) => payload.resolveOffset(offset),
    // Commits exactly what was resolved; kafkajs's own auto-commit also only sees resolved offsets.
    commit: async () => {
      await payload.commitOffsetsIfNecessary(payload.uncommittedOffsets());
    },
    heartbeat: () => payload.heartbeat(),
    isRunning: () => payload.isRunning(),
    isStale: () => payload.isStale(),
  };
}

function inbound(message: KafkaMessage): InboundMessage {
  return {
    offset: message.offset,
    key: message.key,
    value: message.value,
    headers: headerStrings(message.headers as IHeaders | undefined),
  };
}
