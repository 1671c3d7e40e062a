import { type DeadLetterMessage, type DeadLetterReason, toDeadLetterMessage } from '@wikistream/shared';
import type { InboundMessage } from './consumer-batch.ts';

export interface RecordSender {
  /** Resolves once Kafka acknowledged every record (acks=all). */
  send(topic: string, messages: readonly DeadLetterMessage[]): Promise<void>;
}

export interface Failure {
  readonly message: InboundMessage;
  readonly reason: DeadLetterReason;
  readonly detail: string;
  /** What was thrown, for the log only, when the failure was unexpected. */
  readonly error?: unknown;
}

export interface DeadLetterSink {
  send(
    source: { readonly topic: string; readonly partition: number },
    failures: readonly Failure[],
  ): Promise<void>;
}

/** Pure: a failed record → its dead letter (original bytes and headers, why, and where it came from). */
export function deadLetterFor(
  source: { readonly topic: string; readonly partition: number },
  failure: Failure,
  failedAt: number,
): DeadLetterMessage {
  return toDeadLetterMessage({
    reason: failure.reason,
    detail: failure.detail,
    stage: 'indexer',
    value: failure.message.value ?? Buffer.alloc(0),
    key: failure.message.key,
    headers: failure.message.headers,
    sourceTopic: source.topic,
    sourcePartition: source.partition,
    sourceOffset: failure.message.offset,
    failedAt,
  });
}

/** Publishes dead letters one send at a time, so they keep the order in which they were found. */
export function createDeadLetterSink(
  sender: RecordSender,
  topic: string,
  now: () => number = Date.now,
): DeadLetterSink {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    send(source, failures) {
      if (failures.length === 0) return Promise.resolve();
      const messages = failures.map((failure) => deadLetterFor(source, failure, now()));
      const sent = tail.then(() => sender.send(topic, messages));
      tail = sent.catch(() => undefined);
      return sent;
    },
  };
}
