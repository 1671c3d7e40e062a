import { randomBytes } from 'node:crypto';
import { ErrorCode, kafkaLogCreator, type Logger, WikistreamError } from '@wikistream/shared';
import { type Admin, AssignerProtocol, Kafka, type KafkaMessage, Partitioners, type Producer } from 'kafkajs';
import type { ConsumerOptions, KafkaPort, KafkaRecord, OutgoingRecord } from './kafka-types.ts';

export interface KafkaPortOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly logger: Logger;
  /** Deadline of one admin call; the API answers 503 past it rather than hang. */
  readonly timeoutMs?: number;
}

function unavailable(error: unknown): WikistreamError {
  return new WikistreamError(ErrorCode.KafkaUnavailable, 'Kafka is unavailable', {
    retriable: true,
    cause: error,
  });
}

async function deadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, late]);
  } catch (error) {
    throw unavailable(error);
  } finally {
    clearTimeout(timer);
  }
}

const toRecord = (topic: string, partition: number, message: KafkaMessage): KafkaRecord => ({
  topic,
  partition,
  offset: message.offset,
  key: message.key,
  value: message.value,
  headers: message.headers ?? {},
});

/** The only file that imports kafkajs (frozen upstream; a switch stays a one-file change). */
export function createKafkaPort(options: KafkaPortOptions): KafkaPort {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const kafka = new Kafka({
    clientId: options.clientId,
    brokers: [...options.brokers],
    connectionTimeout: 2_000,
    requestTimeout: timeoutMs,
    retry: { retries: 2, initialRetryTime: 200 },
    logCreator: kafkaLogCreator(options.logger) as never,
  });
  let admin: Promise<Admin> | undefined;
  let producer: Promise<Producer> | undefined;
  const consumers = new Set<{ disconnect(): Promise<void> }>();

  const withAdmin = async <T>(work: (client: Admin) => Promise<T>): Promise<T> => {
    admin ??= (async () => {
      const client = kafka.admin();
      await client.connect();
      return client;
    })();
    const current = admin;
    try {
      return await deadline(
        current.then((client) => work(client)),
        timeoutMs,
      );
    } catch (error) {
      // A failed connection is not cached: the next call connects again.
      if (admin === current) admin = undefined;
      void current.then((client) => client.disconnect()).catch(() => undefined);
      throw error;
    }
  };

  async function runConsumer(consumerOptions: ConsumerOptions) {
    const consumer = kafka.consumer({
      groupId: consumerOptions.groupId,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
      maxWaitTimeInMs: 250,
      retry: { retries: 5, initialRetryTime: 300 },
    });
    let ready = false;
    consumer.on(consumer.events.FETCH, () => {
      if (!ready) {
        ready = true;
        consumerOptions.onReady?.();
      }
    });
    consumer.on(consumer.events.GROUP_JOIN, () => {
      ready = false;
    });
    consumer.on(consumer.events.CRASH, (event) => {
      if (!event.payload.restart) consumerOptions.onCrash?.(event.payload.error);
    });
    consumers.add(consumer);
    try {
      await consumer.connect();
      for (const { topic, fromBeginning } of consumerOptions.subscriptions)
        await consumer.subscribe({ topics: [topic], fromBeginning });
      await consumer.run({
        autoCommit: true,
        autoCommitInterval: 5_000,
        eachBatch: async ({ batch }) => {
          consumerOptions.onRecords(batch.messages.map((m) => toRecord(batch.topic, batch.partition, m)));
        },
      });
    } catch (error) {
      consumers.delete(consumer);
      await consumer.disconnect().catch(() => undefined);
      throw unavailable(error);
    }
    return {
      stop: async () => {
        consumers.delete(consumer);
        await consumer.disconnect();
      },
    };
  }

  async function readPartition(topic: string, partition: number, fromOffset: string, limit: number) {
    const offsets = await withAdmin((client) => client.fetchTopicOffsets(topic));
    const end = BigInt(offsets.find((o) => o.partition === partition)?.high ?? '0');
    const start = BigInt(fromOffset);
    if (start >= end) return [];
    const last = start + BigInt(limit) > end ? end : start + BigInt(limit);
    const records: KafkaRecord[] = [];
    const groupId = `wikistream-api-read-${randomBytes(6).toString('hex')}`;
    const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 250 });
    let finish: () => void = () => undefined;
    const done = new Promise<void>((resolve) => {
      finish = resolve;
    });
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          if (batch.partition !== partition) return;
          for (const message of batch.messages) {
            if (BigInt(message.offset) < start) continue;
            if (BigInt(message.offset) >= last) return finish();
            records.push(toRecord(topic, partition, message));
          }
          if (BigInt(batch.highWatermark) <= last || records.length >= limit) finish();
        },
      });
      consumer.seek({ topic, partition, offset: start.toString() });
      await deadline(done, 30_000);
    } finally {
      await consumer.disconnect().catch(() => undefined);
      await withAdmin((client) => client.deleteGroups([groupId])).catch(() => undefined);
    }
    return records.slice(0, limit);
  }

  return {
    ping: () =>
      withAdmin(async (client) => {
        await client.describeCluster();
        return true;
      }).catch(() => false),
    existingTopics: async (topics) => {
      const present = new Set(await withAdmin((client) => client.listTopics()));
      return topics.filter((topic) => present.has(topic));
    },
    endOffsets: (topic) =>
      withAdmin(async (client) =>
        (await client.fetchTopicOffsets(topic)).map(({ partition, low, high }) => ({ partition, low, high })),
      ),
    groupOffsets: (groupId, topic) =>
      withAdmin(async (client) => {
        const [entry] = await client.fetchOffsets({ groupId, topics: [topic] });
        return (entry?.partitions ?? []).map(({ partition, offset }) => ({ partition, offset }));
      }),
    groupMembers: (groupId, topic) =>
      withAdmin(async (client) => {
        const [group] = (await client.describeGroups([groupId])).groups;
        return {
          state: group?.state ?? 'Unknown',
          members: (group?.members ?? []).map((member) => ({
            memberId: member.memberId,
            host: member.clientHost.replace(/^\//, ''),
            // Empty while a rebalance has not handed out the new assignment yet.
            partitions: [
              ...((member.memberAssignment.length > 0
                ? AssignerProtocol.MemberAssignment.decode(member.memberAssignment)?.assignment[topic]
                : undefined) ?? []),
            ].sort((a, b) => a - b),
          })),
        };
      }),
    runConsumer,
    readPartition,
    produce: async (topic: string, records: readonly OutgoingRecord[]) => {
      producer ??= (async () => {
        const client = kafka.producer({
          createPartitioner: Partitioners.DefaultPartitioner,
          idempotent: true,
        });
        await client.connect();
        return client;
      })();
      try {
        await (await producer).send({ topic, messages: records.map((r) => ({ ...r })) });
      } catch (error) {
        producer = undefined;
        throw unavailable(error);
      }
    },
    deleteGroup: (groupId) => withAdmin((client) => client.deleteGroups([groupId])).then(() => undefined),
    close: async () => {
      await Promise.all([...consumers].map((consumer) => consumer.disconnect().catch(() => undefined)));
      await Promise.all(
        [admin, producer].map((client) => client?.then((c) => c.disconnect()).catch(() => undefined)),
      );
      admin = undefined;
      producer = undefined;
    },
  };
}
