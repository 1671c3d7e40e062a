import {
  encodeGap,
  eventKey,
  type GapRecord,
  HEADERS,
  type RecentChangeEvent,
  toDeadLetterMessage,
} from '@wikistream/shared';
import { testKafka } from '@wikistream/tools/testing';

/** Records as the producer writes them: key `<wiki>:<title>`, the event JSON, sse-id and received-at. */
export async function produceEvents(
  brokers: string,
  topic: string,
  events: readonly RecentChangeEvent[],
): Promise<void> {
  const producer = testKafka(brokers, 'wikistream-web-test').producer();
  await producer.connect();
  try {
    await producer.send({
      topic,
      messages: events.map((event) => ({
        key: eventKey(event),
        value: JSON.stringify(event),
        headers: {
          [HEADERS.sseId]: JSON.stringify([
            { topic: 'eqiad.mediawiki.recentchange', partition: 0, timestamp: Date.parse(event.meta.dt) },
          ]),
          [HEADERS.receivedAt]: String(Date.now()),
        },
      })),
    });
  } finally {
    await producer.disconnect();
  }
}

export async function produceGap(brokers: string, topic: string, gap: GapRecord): Promise<void> {
  const producer = testKafka(brokers, 'wikistream-web-test').producer();
  await producer.connect();
  try {
    await producer.send({ topic, messages: [{ key: gap.from, value: encodeGap(gap) }] });
  } finally {
    await producer.disconnect();
  }
}

export async function produceDeadLetters(
  brokers: string,
  topic: string,
  letters: readonly { reason: 'invalid_json' | 'es_rejected'; detail: string }[],
): Promise<void> {
  const producer = testKafka(brokers, 'wikistream-web-test').producer();
  await producer.connect();
  try {
    await producer.send({
      topic,
      messages: letters.map((letter) => {
        const message = toDeadLetterMessage({
          reason: letter.reason,
          detail: letter.detail,
          stage: letter.reason === 'es_rejected' ? 'indexer' : 'producer',
          value: Buffer.from('{"broken": '),
          failedAt: Date.now(),
        });
        return { key: message.key, value: message.value, headers: message.headers };
      }),
    });
  } finally {
    await producer.disconnect();
  }
}

/** Commits offsets for the indexer group so the pipeline panel has lag to show. */
export async function commitGroupOffsets(
  brokers: string,
  groupId: string,
  topic: string,
  offset: string,
): Promise<void> {
  const admin = testKafka(brokers, 'wikistream-web-test').admin();
  await admin.connect();
  try {
    const partitions = await admin.fetchTopicOffsets(topic);
    await admin.setOffsets({
      groupId,
      topic,
      partitions: partitions.map((p) => ({ partition: p.partition, offset })),
    });
  } finally {
    await admin.disconnect();
  }
}
