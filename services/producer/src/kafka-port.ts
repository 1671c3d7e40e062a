import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip, unzip } from 'node:zlib';
import {
  ErrorCode,
  kafkaLogCreator,
  type Logger,
  type TopicNames,
  type TopicSpec,
  WikistreamError,
} from '@wikistream/shared';
// kafkajs is CommonJS and Node cannot see this export by name.
import kafkajs, {
  CompressionTypes,
  Kafka,
  type Message,
  Partitioners,
  type Producer,
  type TopicMessages,
} from 'kafkajs';
import type { OutMessage } from './classify-frame.ts';
import { tooLarge, unavailable } from './kafka-errors.ts';
import { withTimeout } from './with-timeout.ts';

/**
 * The producer's only door to Kafka (kafkajs lives behind it): topic creation, reading the cursor,
 * and one transaction per batch with the data, dead letters, gap records and the cursor.
 */
export interface TransactionContent {
  readonly data: readonly OutMessage[];
  readonly deadLetters: readonly OutMessage[];
  readonly gaps: readonly Buffer[];
  readonly cursor?: Buffer | undefined;
}

export interface StoredRecord {
  readonly value: Buffer | null;
  readonly timestamp: number;
}

export interface KafkaPort {
  ensureTopics(specs: readonly TopicSpec[]): Promise<void>;
  /**
   * (Re)creates the transactional producer and registers its transactional id: Kafka completes or
   * aborts a predecessor's transaction and fences it before this returns, so readCursor() after it
   * sees everything that will ever be committed under this id.
   */
  connect(): Promise<void>;
  /** The newest committed record with `key` in the cursor topic, reading it to the end. */
  readCursor(key: string): Promise<StoredRecord | undefined>;
  commit(content: TransactionContent): Promise<void>;
  /** Drops the producer after a failure, so the next connect() starts clean. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export interface KafkaPortOptions {
  readonly brokers: readonly string[];
  readonly transactionalId: string;
  readonly topics: TopicNames;
  readonly compression: 'gzip' | 'none';
  readonly retries: number;
  /** A transaction not committed within this time counts as Kafka being unavailable. */
  readonly commitTimeoutMs: number;
  readonly logger: Logger;
  readonly cursorReadTimeoutMs?: number;
}

const gzipAsync = promisify(gzip);
const unzipAsync = promisify(unzip);
/**
 * kafkajs gzips at zlib's default level 6; level 1 costs about a third of the time for a slightly
 * larger batch (measured: see README), and runs in libuv's thread pool, beside the event loop.
 */
kafkajs.CompressionCodecs[CompressionTypes.GZIP] = () => ({
  compress: (encoder: { buffer: Buffer }) => gzipAsync(encoder.buffer, { level: 1 }),
  decompress: (buffer: Buffer) => unzipAsync(buffer),
});

export function createKafkaPort(options: KafkaPortOptions): KafkaPort {
  const kafka = new Kafka({
    clientId: options.transactionalId,
    brokers: [...options.brokers],
    logCreator: kafkaLogCreator(options.logger),
    connectionTimeout: 3000,
    retry: { retries: options.retries, initialRetryTime: 300, maxRetryTime: 5000 },
  });
  const compression = options.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None;
  let producer: Producer | undefined;

  async function dropProducer(): Promise<void> {
    const current = producer;
    producer = undefined;
    if (current) await withTimeout(current.disconnect(), 5000).catch(() => undefined);
  }

  return {
    async ensureTopics(specs) {
      const admin = kafka.admin();
      try {
        await admin.connect();
        const existing = new Set(await admin.listTopics());
        const missing = specs.filter((spec) => !existing.has(spec.topic));
        if (missing.length === 0) return;
        await admin
          .createTopics({
            topics: missing.map((spec) => ({ ...spec, configEntries: [...spec.configEntries] })),
            waitForLeaders: true,
          })
          .catch((error: unknown) => {
            if (!String(error).includes('already exists')) throw error;
          });
      } catch (error) {
        throw unavailable('could not create the topics', error);
      } finally {
        await admin.disconnect().catch(() => undefined);
      }
    },

    async connect() {
      await dropProducer();
      const next = kafka.producer({
        transactionalId: options.transactionalId,
        idempotent: true,
        maxInFlightRequests: 1,
        createPartitioner: Partitioners.DefaultPartitioner,
        // CONCURRENT_TRANSACTIONS (the previous commit's markers are still being written) is
        // normal right after a commit and clears within milliseconds: retry fast, as the Java client does.
        retry: { retries: options.retries, initialRetryTime: 5, maxRetryTime: 3000 },
      });
      try {
        await next.connect();
        // kafkajs registers the transactional id (InitProducerId) only at the first transaction.
        // Do it now, before the cursor is read: the coordinator then finishes or aborts a
        // predecessor's transaction and fences that producer. Otherwise a predecessor still
        // retrying its commit (this process's own after a timeout, or a paused process) could
        // commit events after the cursor was read, and they would be produced twice.
        await (await next.transaction()).abort();
      } catch (error) {
        await next.disconnect().catch(() => undefined);
        throw unavailable('could not start the transactional producer', error);
      }
      producer = next;
    },

    readCursor: (key) => readCursor(kafka, options, key),

    async commit(content) {
      const current = producer;
      if (!current) throw unavailable('the producer is not connected', undefined);
      const work = runTransaction(current, content, options, compression);
      work.catch(() => undefined);
      try {
        // A broker that went away can keep kafkajs retrying for long: give up, drop the
        // producer and start again from the cursor (the next producer fences this transaction).
        await withTimeout(work, options.commitTimeoutMs);
      } catch (error) {
        if (!tooLarge(error)) throw unavailable('the transaction failed', error);
        throw new WikistreamError(ErrorCode.KafkaUnavailable, 'the broker refused a batch as too large', {
          retriable: true,
          cause: error,
          details: { tooLarge: true },
        });
      }
    },

    reset: dropProducer,
    close: dropProducer,
  };
}

async function runTransaction(
  producer: Producer,
  content: TransactionContent,
  options: KafkaPortOptions,
  compression: CompressionTypes,
): Promise<void> {
  const transaction = await producer.transaction();
  try {
    // OutMessage already has kafkajs's message shape; kafkajs does not modify messages.
    const asMessages = (messages: readonly OutMessage[]) => messages as OutMessage[] as Message[];
    const { topics } = options;
    const topicMessages: TopicMessages[] = [];
    if (content.data.length > 0)
      topicMessages.push({ topic: topics.data, messages: asMessages(content.data) });
    if (content.gaps.length > 0) {
      topicMessages.push({
        topic: topics.gaps,
        messages: content.gaps.map((value) => ({ key: null, value })),
      });
    }
    if (content.cursor) {
      topicMessages.push({
        topic: topics.cursor,
        messages: [{ key: options.transactionalId, value: content.cursor }],
      });
    }
    if (topicMessages.length > 0) await transaction.sendBatch({ topicMessages, compression, acks: -1 });
    if (content.deadLetters.length > 0) {
      // Dead letters are always compressed: an oversize event must still fit one record.
      const messages = asMessages(content.deadLetters);
      await transaction.sendBatch({
        topicMessages: [{ topic: topics.deadLetter, messages }],
        compression: CompressionTypes.GZIP,
        acks: -1,
      });
    }
    await transaction.commit();
  } catch (error) {
    await withTimeout(transaction.abort(), 5000).catch(() => undefined);
    throw error;
  }
}

async function readCursor(
  kafka: Kafka,
  options: KafkaPortOptions,
  key: string,
): Promise<StoredRecord | undefined> {
  const topic = options.topics.cursor;
  const admin = kafka.admin();
  let ends: Map<number, bigint>;
  try {
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(topic);
    ends = new Map(
      offsets.filter((o) => BigInt(o.high) > BigInt(o.low)).map((o) => [o.partition, BigInt(o.high)]),
    );
  } catch (error) {
    throw unavailable('could not read the cursor topic offsets', error);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
  if (ends.size === 0) return undefined;
  const groupId = `${options.transactionalId}.cursor-read.${randomBytes(4).toString('hex')}`;
  const consumer = kafka.consumer({ groupId, readUncommitted: false, maxWaitTimeInMs: 250 });
  let latest: StoredRecord | undefined;
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const caughtUp = new Promise<void>((resolve) => {
      consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
        const end = ends.get(payload.partition);
        if (end !== undefined && BigInt(payload.lastOffset) >= end - 1n) ends.delete(payload.partition);
        if (ends.size === 0) resolve();
      });
    });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ message }) => {
        if (message.key?.toString() === key)
          latest = { value: message.value, timestamp: Number(message.timestamp) };
      },
    });
    await withTimeout(caughtUp, options.cursorReadTimeoutMs ?? 90_000);
  } catch (error) {
    throw unavailable('could not read the cursor', error);
  } finally {
    await consumer.disconnect().catch(() => undefined);
    const admin2 = kafka.admin();
    await admin2
      .connect()
      .then(() => admin2.deleteGroups([groupId]))
      .catch(() => undefined)
      .finally(() => admin2.disconnect().catch(() => undefined));
  }
  return latest;
}
