import { readTopic } from '@wikistream/tools/testing';
import type { KafkaMessage } from 'kafkajs';

export { readTopic };

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
