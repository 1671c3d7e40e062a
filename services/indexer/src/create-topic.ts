import type { TopicSpec } from '@wikistream/shared';
import { sleep } from './backoff.ts';

/** What creating a topic needs from a Kafka admin client (kafkajs's Admin has this shape). */
export interface TopicAdmin {
  createTopics(options: {
    topics: { topic: string; numPartitions: number; configEntries: { name: string; value: string }[] }[];
    waitForLeaders: boolean;
  }): Promise<boolean>;
  fetchTopicMetadata(options: {
    topics: string[];
  }): Promise<{ topics: { name: string; partitions: { leader: number }[] }[] }>;
}

export interface CreateTopicOptions {
  readonly timeoutMs?: number;
  readonly pauseMs?: number;
}

/** The broker does not know the topic (yet), or its partitions have no leader yet. */
function notYetVisible(error: unknown): boolean {
  const type = (error as { type?: unknown; originalError?: { type?: unknown } } | null)?.type;
  const original = (error as { originalError?: { type?: unknown } } | null)?.originalError?.type;
  return [type, original].some((t) => t === 'UNKNOWN_TOPIC_OR_PARTITION' || t === 'LEADER_NOT_AVAILABLE');
}

/**
 * Creates a topic unless it exists and returns once its partitions have leaders; true when this
 * call created it. Several indexers may start at once: TOPIC_ALREADY_EXISTS is fine. Under KRaft
 * the broker can answer a metadata request for a topic that was created a moment ago with
 * UNKNOWN_TOPIC_OR_PARTITION; kafkajs waits out only LEADER_NOT_AVAILABLE and fails the creation,
 * which would end the indexer's start. Here that window is waited out (bounded).
 */
export async function createTopic(
  admin: TopicAdmin,
  spec: TopicSpec,
  options: CreateTopicOptions = {},
): Promise<boolean> {
  try {
    return await admin.createTopics({
      topics: [
        { topic: spec.topic, numPartitions: spec.numPartitions, configEntries: [...spec.configEntries] },
      ],
      waitForLeaders: true,
    });
  } catch (error) {
    if (!notYetVisible(error)) throw error;
  }
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: [spec.topic] });
      const partitions = topics.find((topic) => topic.name === spec.topic)?.partitions ?? [];
      if (partitions.length > 0 && partitions.every((partition) => partition.leader >= 0)) return true;
    } catch (error) {
      if (!notYetVisible(error) || Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline) throw new Error(`topic ${spec.topic} has no leaders after creation`);
    await sleep(options.pauseMs ?? 200);
  }
}
