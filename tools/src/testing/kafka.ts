import { type Admin, type ITopicConfig, Kafka, logLevel } from 'kafkajs';
import { onTestFinished } from 'vitest';
import { uniqueName } from './names.ts';

/** A kafkajs client for tests, quiet unless a test fails loudly on its own. */
export function testKafka(brokers: string, clientId = 'wikistream-test'): Kafka {
  return new Kafka({ clientId, brokers: brokers.split(','), logLevel: logLevel.NOTHING });
}

async function withAdmin<T>(brokers: string, work: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = testKafka(brokers).admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}

export interface TestTopicOptions {
  readonly partitions?: number;
  readonly configEntries?: ITopicConfig['configEntries'];
  /** Register deletion when the current test finishes (default true). */
  readonly cleanup?: boolean;
}

/** Creates a uniquely named topic and deletes it when the test finishes. */
export async function createTestTopic(
  brokers: string,
  prefix: string,
  options: TestTopicOptions = {},
): Promise<string> {
  const topic = uniqueName(prefix);
  await createTopics(brokers, [
    { topic, numPartitions: options.partitions ?? 1, configEntries: options.configEntries },
  ]);
  if (options.cleanup ?? true) onTestFinished(() => deleteTopics(brokers, [topic]));
  return topic;
}

export async function createTopics(brokers: string, topics: ITopicConfig[]): Promise<void> {
  await withAdmin(brokers, async (admin) => {
    await admin.createTopics({
      topics: topics.map((t) => ({ replicationFactor: 1, ...t })),
      waitForLeaders: true,
    });
  });
}

export async function deleteTopics(brokers: string, topics: string[]): Promise<void> {
  await withAdmin(brokers, async (admin) => {
    const existing = new Set(await admin.listTopics());
    const present = topics.filter((topic) => existing.has(topic));
    if (present.length > 0) await admin.deleteTopics({ topics: present });
  });
}

export async function deleteConsumerGroups(brokers: string, groupIds: string[]): Promise<void> {
  await withAdmin(brokers, async (admin) => {
    await admin.deleteGroups(groupIds).catch(() => undefined);
  });
}
