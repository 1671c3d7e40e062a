import {
  classifyEvent,
  type DeadLetterReason,
  dailyIndexName,
  HEADERS,
  toDocument,
} from '@wikistream/shared';
import type { IndexAction } from './bulk-body.ts';
import type { InboundMessage } from './consumer-batch.ts';

export type PreparedMessage =
  | {
      readonly kind: 'index';
      readonly offset: string;
      readonly action: IndexAction;
      /** meta.dt and the producer's receipt time, in ms, for end-to-end latency. */
      readonly eventTime: number;
      readonly receivedAt: number | undefined;
    }
  | { readonly kind: 'skip'; readonly offset: string }
  | {
      readonly kind: 'dead';
      readonly offset: string;
      readonly reason: DeadLetterReason;
      readonly detail: string;
    };

export interface PrepareContext {
  readonly partition: number;
  readonly indexPrefix: string;
  readonly indexedAt: number;
}

/** The producer writes ms since epoch; an ISO time is accepted too. */
export function parseReceivedAt(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const value = /^\d+$/.test(text.trim()) ? Number(text) : Date.parse(text);
  return Number.isFinite(value) ? value : undefined;
}

/**
 * Pure: one Kafka record → what to do with it. Invalid input gets the classifier's reason code;
 * canary events are skipped; valid events become an index action with `_id = meta.id` and the
 * daily index of `meta.dt` (UTC), so a redelivered event always overwrites the same document.
 */
export function prepareMessage(message: InboundMessage, context: PrepareContext): PreparedMessage {
  const { offset } = message;
  const result = classifyEvent(message.value ?? Buffer.alloc(0));
  if (!result.ok) return { kind: 'dead', offset, reason: result.reason, detail: result.detail };
  if (result.canary) return { kind: 'skip', offset };
  const { event } = result;
  const receivedAt = parseReceivedAt(message.headers[HEADERS.receivedAt]);
  const document = toDocument(event, {
    kafkaPartition: context.partition,
    kafkaOffset: offset,
    sseId: message.headers[HEADERS.sseId],
    receivedAt,
    indexedAt: context.indexedAt,
  });
  return {
    kind: 'index',
    offset,
    action: {
      index: dailyIndexName(context.indexPrefix, event.meta.dt),
      id: event.meta.id,
      source: JSON.stringify(document),
    },
    eventTime: Date.parse(event.meta.dt),
    receivedAt,
  };
}
