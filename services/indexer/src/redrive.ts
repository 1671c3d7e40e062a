import {
  type DeadLetter,
  type DeadLetterMessage,
  fromDeadLetterMessage,
  type Logger,
} from '@wikistream/shared';
import type { ConsumerBatch } from './consumer-batch.ts';
import type { RecordSender } from './dead-letter-sink.ts';
import type { KafkaPort } from './kafka.ts';
import type { RedriveArgs } from './redrive-args.ts';

/** Added to re-driven records: where in the DLQ they came from. */
export const REDRIVEN_FROM_HEADER = 'redriven-from';

export interface RedriveOptions extends RedriveArgs {
  readonly kafka: Pick<KafkaPort, 'positions' | 'startReader'>;
  readonly sender: RecordSender;
  readonly deadLetterTopic: string;
  readonly dataTopic: string;
  /** The re-drive cursor's group; one per reason, so re-driving one reason never skips another's entries. */
  readonly groupId: string;
  readonly logger: Logger;
  readonly timeoutMs?: number;
}

export interface RedriveSummary {
  readonly scanned: number;
  readonly redriven: number;
  readonly byReason: Readonly<Record<string, number>>;
}

/** The cursor group for a reason: `<indexer group>.redrive.<reason|all>`. */
export function redriveGroupId(indexerGroupId: string, reason: string | undefined): string {
  return `${indexerGroupId}.redrive.${reason ?? 'all'}`;
}

/** Pure: the record to publish again: original key, bytes and headers, plus where it came from. */
export function redriveRecord(
  letter: DeadLetter,
  origin: { topic: string; partition: number; offset: string },
): DeadLetterMessage {
  return {
    key: letter.key ?? null,
    value: letter.value,
    headers: {
      ...letter.headers,
      [REDRIVEN_FROM_HEADER]: `${origin.topic}/${origin.partition}/${origin.offset}`,
    },
  };
}

/**
 * Publishes the selected DLQ entries back to the data topic, oldest first, up to the DLQ's end as
 * it was when the command started. The position is committed in the cursor group after each
 * publish, so running it again does not re-drive the same entries (re-driving twice would still
 * be harmless for Elasticsearch: `_id = meta.id`).
 */
export async function redriveDeadLetters(options: RedriveOptions): Promise<RedriveSummary> {
  const positions = await options.kafka.positions(options.deadLetterTopic, options.groupId);
  const ends = new Map(positions.map((p) => [p.partition, BigInt(p.high)]));
  const remaining = new Set(
    positions
      .filter((p) => BigInt(p.committed) < BigInt(p.high) && BigInt(p.low) < BigInt(p.high))
      .map((p) => p.partition),
  );
  const summary = { scanned: 0, redriven: 0, byReason: {} as Record<string, number> };
  if (positions.length === 0)
    options.logger.warn({ topic: options.deadLetterTopic }, 'no such dead-letter topic');
  if (remaining.size === 0) return summary;
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const handler = async (batch: ConsumerBatch) => {
    if (remaining.size === 0) return;
    const end = ends.get(batch.partition) ?? 0n;
    const { through, records, limitReached } = select(batch, end, options, summary);
    if (records.length > 0) await options.sender.send(options.dataTopic, records);
    summary.redriven += records.length;
    if (through !== undefined) {
      batch.resolveOffset(through);
      await batch.commit();
    }
    const sawEnd = batch.messages.some((message) => BigInt(message.offset) >= end);
    if (limitReached) remaining.clear();
    else if (sawEnd || BigInt(batch.lastOffset) + 1n >= end) remaining.delete(batch.partition);
    if (remaining.size === 0) finish();
  };
  const reader = await options.kafka.startReader(options.deadLetterTopic, options.groupId, handler);
  try {
    await untilDone(finished, remaining, options);
  } finally {
    await reader.stop();
  }
  return summary;
}

function select(
  batch: ConsumerBatch,
  end: bigint,
  options: RedriveOptions,
  summary: { scanned: number; redriven: number; byReason: Record<string, number> },
): { through: string | undefined; records: DeadLetterMessage[]; limitReached: boolean } {
  const records: DeadLetterMessage[] = [];
  let through: string | undefined;
  for (const message of batch.messages) {
    if (BigInt(message.offset) >= end) break;
    if (options.limit !== undefined && summary.redriven + records.length >= options.limit) {
      return { through, records, limitReached: true };
    }
    summary.scanned++;
    through = message.offset;
    const letter = fromDeadLetterMessage(message);
    if (letter === undefined || (options.reason !== undefined && letter.reason !== options.reason)) continue;
    records.push(
      redriveRecord(letter, { topic: batch.topic, partition: batch.partition, offset: message.offset }),
    );
    summary.byReason[letter.reason] = (summary.byReason[letter.reason] ?? 0) + 1;
  }
  const limitReached = options.limit !== undefined && summary.redriven + records.length >= options.limit;
  return { through, records, limitReached };
}

/** Done when every partition was read to its end, or its committed position got there (marker-only tails). */
async function untilDone(
  finished: Promise<void>,
  remaining: Set<number>,
  options: RedriveOptions,
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  for (;;) {
    const tick = new Promise<'tick'>((resolve) => setTimeout(() => resolve('tick'), 1000).unref());
    if ((await Promise.race([finished.then(() => 'done' as const), tick])) === 'done') return;
    const positions = await options.kafka.positions(options.deadLetterTopic, options.groupId);
    for (const p of positions) if (BigInt(p.committed) >= BigInt(p.high)) remaining.delete(p.partition);
    if (remaining.size === 0) return;
    if (Date.now() > deadline)
      throw new Error(`re-drive did not reach the end of ${options.deadLetterTopic} in time`);
  }
}
