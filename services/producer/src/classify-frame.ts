import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import {
  classifyEvent,
  DeadLetterReason,
  eventKey,
  HEADERS,
  type RecentChangeEvent,
  toDeadLetterMessage,
} from '@wikistream/shared';
import { MAX_DEDUPE_KEY_CHARS, MAX_RECORD_BYTES, MAX_SSE_ID_CHARS } from './defaults.ts';

/** One SSE `message` frame as it came off the wire. */
export interface Frame {
  readonly data: string;
  /** The SSE id in effect for this frame (the upstream's Last-Event-ID format). */
  readonly id: string;
  readonly receivedAt: number;
}

export interface OutMessage {
  readonly key: string | null;
  readonly value: Buffer;
  readonly headers: Record<string, string>;
}

export type FrameOutcome =
  | {
      readonly kind: 'event';
      readonly dedupeKey: string;
      readonly message: OutMessage;
      readonly eventTime: number;
    }
  | { readonly kind: 'canary'; readonly eventTime: number }
  | {
      readonly kind: 'dead-letter';
      readonly dedupeKey: string;
      readonly reason: DeadLetterReason;
      readonly message: OutMessage;
    };

export interface ClassifyOptions {
  readonly producerVersion: string;
  /** Whether data records are compressed; an uncompressed record must fit the broker's limit as it is. */
  readonly compressed: boolean;
}

/**
 * Frame → data record, canary, or dead letter (with the reason code). Pure; never throws: a step
 * that throws all the same turns the frame into an `unexpected_error` dead letter with the error's
 * message, so no input can crash the producer or stop its stream.
 * `position` (the frame's id timestamp) tells apart identical broken frames sent at different times.
 */
export function classifyFrame(frame: Frame, options: ClassifyOptions, position = 0): FrameOutcome {
  try {
    return classify(frame, options, position);
  } catch (error) {
    return rejectFrame(frame, options, DeadLetterReason.Unexpected, messageOf(error), position);
  }
}

/** The frame as a dead letter with `reason` and `detail`. */
export function rejectFrame(
  frame: Frame,
  options: ClassifyOptions,
  reason: DeadLetterReason,
  detail: string,
  position: number,
): FrameOutcome {
  return deadLetter(frame, provenance(frame, options), reason, detail, position);
}

/** The detail of an `unexpected_error` dead letter. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function provenance(frame: Frame, options: ClassifyOptions): Record<string, string> {
  return {
    // Cut only when the id itself is broken (then the frame is a dead letter): valid ids are short.
    [HEADERS.sseId]: frame.id.slice(0, MAX_SSE_ID_CHARS),
    [HEADERS.receivedAt]: String(frame.receivedAt),
    [HEADERS.producerVersion]: options.producerVersion,
  };
}

function classify(frame: Frame, options: ClassifyOptions, position: number): FrameOutcome {
  const headers = provenance(frame, options);
  // EventStreams writes every event as exactly one data line; anything else is broken framing.
  if (frame.data.trim() === '' || frame.data.includes('\n')) {
    const lines = frame.data === '' ? 0 : frame.data.split('\n').length;
    return deadLetter(
      frame,
      headers,
      DeadLetterReason.MalformedFrame,
      `frame has ${lines} data lines, expected 1`,
      position,
    );
  }
  const result = classifyEvent(frame.data);
  if (!result.ok) return deadLetter(frame, headers, result.reason, result.detail, position);
  const eventTime = Date.parse(result.event.meta.dt);
  if (result.canary) return { kind: 'canary', eventTime };
  const value = Buffer.from(frame.data, 'utf8');
  const key = eventKey(result.event as RecentChangeEvent);
  // The broker's limit is on the whole record: key and headers count too.
  const extra = Buffer.byteLength(key) + headerBytes(headers);
  if (value.length + extra > MAX_RECORD_BYTES && !fitsCompressed(value, extra, options.compressed)) {
    return deadLetter(
      frame,
      headers,
      DeadLetterReason.TooLarge,
      `${value.length + extra} bytes do not fit in one Kafka record`,
      position,
    );
  }
  return {
    kind: 'event',
    dedupeKey: dedupeKeyOf(result.event.meta.id),
    message: { key, value, headers },
    eventTime,
  };
}

/** meta.id, or its hash when it is long: the dedupe window, stored in the cursor, stays small. */
function dedupeKeyOf(metaId: string): string {
  if (metaId.length <= MAX_DEDUPE_KEY_CHARS) return metaId;
  return `sha256:${createHash('sha256').update(metaId).digest('base64url')}`;
}

function headerBytes(headers: Record<string, string>): number {
  let total = 0;
  for (const [name, value] of Object.entries(headers)) total += name.length + Buffer.byteLength(value);
  return total;
}

function fitsCompressed(value: Buffer, extra: number, compressed: boolean): boolean {
  return compressed && gzipSync(value).length + extra <= MAX_RECORD_BYTES;
}

function deadLetter(
  frame: Frame,
  headers: Record<string, string>,
  reason: DeadLetterReason,
  detail: string,
  position: number,
): FrameOutcome {
  let value = Buffer.from(frame.data, 'utf8');
  let note = detail;
  // Dead letters are always gzip-compressed; only what cannot fit even then is cut down.
  if (value.length > MAX_RECORD_BYTES && gzipSync(value).length > MAX_RECORD_BYTES) {
    note = `${detail}; value truncated from ${value.length} bytes`;
    value = value.subarray(0, MAX_RECORD_BYTES);
  }
  const message = toDeadLetterMessage({
    reason,
    detail: note,
    stage: 'producer',
    value,
    headers,
    failedAt: frame.receivedAt,
  });
  // Broken events have no meta.id: the same bytes at the same stream position are the same event.
  const dedupeKey = `dlq:${position}:${createHash('sha1').update(frame.data).digest('base64url')}`;
  return {
    kind: 'dead-letter',
    dedupeKey,
    reason,
    message: { key: null, value: message.value, headers: message.headers },
  };
}
