import { classifyEvent, DeadLetterReason, dailyIndexName, derivedFields, HEADERS } from '@wikistream/shared';
import type { IndexAction } from './bulk-body.ts';
import type { InboundMessage } from './consumer-batch.ts';
import { documentSource } from './document-source.ts';
import { schemaOf, unknownFields } from './drift-scan.ts';
import { type EventTimeWindow, outsideWindow } from './event-time-window.ts';

export type PreparedMessage =
  | {
      readonly kind: 'index';
      readonly offset: string;
      readonly action: IndexAction;
      /** meta.dt and the producer's receipt time, in ms, for end-to-end latency. */
      readonly eventTime: number;
      readonly receivedAt: number | undefined;
      /** For schema drift: the event's `$schema` and its top-level fields outside the contract. */
      readonly schema: string | undefined;
      readonly unknownFields: readonly string[] | undefined;
    }
  | { readonly kind: 'skip'; readonly offset: string }
  | {
      readonly kind: 'dead';
      readonly offset: string;
      readonly reason: DeadLetterReason;
      readonly detail: string;
      /** What was thrown, for the log, when the reason is `unexpected_error`. */
      readonly error?: unknown;
    };

export interface PrepareContext {
  readonly partition: number;
  readonly indexPrefix: string;
  readonly indexedAt: number;
  /** The `meta.dt` accepted for indexing (the indexer's clock, EVENT_TIME_MAX_AGE_DAYS/…_SKEW_MS). */
  readonly eventTimes: EventTimeWindow;
}

const UTC_TIME = /^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/;
const dayIndices = new Map<string, string>();

/** `dailyIndexName`, remembered per UTC day for the common `…Z` form (the same few days all day long). */
function indexName(prefix: string, dt: string): string {
  if (!UTC_TIME.test(dt)) return dailyIndexName(prefix, dt);
  const key = `${prefix}\u0000${dt.slice(0, 10)}`;
  let name = dayIndices.get(key);
  if (name === undefined) {
    if (dayIndices.size > 1000) dayIndices.clear();
    name = dailyIndexName(prefix, dt);
    dayIndices.set(key, name);
  }
  return name;
}

/** The producer writes ms since epoch; an ISO time is accepted too. */
export function parseReceivedAt(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const value = /^\d+$/.test(text.trim()) ? Number(text) : Date.parse(text);
  return Number.isFinite(value) ? value : undefined;
}

/**
 * prepareMessage, with whatever it throws turned into a dead letter (`unexpected_error`, the error's
 * message as the detail): a record the code cannot handle is set aside like an invalid one, instead
 * of failing its chunk, which would then be read again, fail again, and hold back its partition.
 */
export function prepareOrDeadLetter(message: InboundMessage, context: PrepareContext): PreparedMessage {
  try {
    return prepareMessage(message, context);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { kind: 'dead', offset: message.offset, reason: DeadLetterReason.Unexpected, detail, error };
  }
}

/**
 * Pure: one Kafka record → what to do with it. Invalid input gets the classifier's reason code;
 * canary events are skipped; a `meta.dt` outside the accepted window is `time_out_of_range`; valid
 * events become an index action with `_id = meta.id` and the daily index of `meta.dt` (UTC), so a
 * redelivered event always overwrites the same document.
 */
export function prepareMessage(message: InboundMessage, context: PrepareContext): PreparedMessage {
  const { offset } = message;
  const result = classifyEvent(message.value ?? Buffer.alloc(0));
  if (!result.ok) return { kind: 'dead', offset, reason: result.reason, detail: result.detail };
  if (result.canary) return { kind: 'skip', offset };
  const { event } = result;
  const eventTime = Date.parse(event.meta.dt);
  const mistimed = outsideWindow(event.meta.dt, eventTime, context.eventTimes);
  if (mistimed !== undefined)
    return { kind: 'dead', offset, reason: DeadLetterReason.TimeOutOfRange, detail: mistimed };
  const receivedAt = parseReceivedAt(message.headers[HEADERS.receivedAt]);
  const value = message.value ?? Buffer.alloc(0);
  const derived = derivedFields(event, {
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
      index: indexName(context.indexPrefix, event.meta.dt),
      id: event.meta.id,
      source: documentSource(value, event, derived),
    },
    eventTime,
    receivedAt,
    schema: schemaOf(event),
    unknownFields: unknownFields(event),
  };
}
