import { HEADERS } from './contract.ts';
import { RejectReason } from './event/classify-event.ts';

/**
 * Dead letters keep the original bytes as the record value, unchanged, so a re-drive can publish
 * them back as they were; what went wrong travels in `dlq-*` headers next to the original headers.
 */
export const DeadLetterReason = {
  ...RejectReason,
  /** Elasticsearch refused the document (mapping or parse error, a 4xx other than 429). */
  ElasticsearchRejected: 'es_rejected',
  /** An SSE frame whose data could not be read as one event. */
  MalformedFrame: 'malformed_frame',
  /** `meta.dt` outside the accepted window (now − retention … now + the allowed skew). */
  TimeOutOfRange: 'time_out_of_range',
  /** A per-event step threw where it should not; the error's message is the detail. */
  Unexpected: 'unexpected_error',
} as const;
export type DeadLetterReason = (typeof DeadLetterReason)[keyof typeof DeadLetterReason];

export const DEAD_LETTER_STAGES = ['producer', 'indexer'] as const;
export type DeadLetterStage = (typeof DEAD_LETTER_STAGES)[number];

export interface DeadLetter {
  readonly reason: DeadLetterReason;
  readonly detail: string;
  readonly stage: DeadLetterStage;
  readonly value: Buffer;
  readonly key?: Buffer | null | undefined;
  /** The original record's headers (or, at the producer, the SSE id and receipt time). */
  readonly headers?: Readonly<Record<string, string>>;
  readonly sourceTopic?: string | undefined;
  readonly sourcePartition?: number | undefined;
  readonly sourceOffset?: string | undefined;
  readonly failedAt: number;
}

export interface DeadLetterMessage {
  key: Buffer | null;
  value: Buffer;
  headers: Record<string, string>;
}

const MAX_DETAIL = 2000;
const DLQ_HEADERS = new Set<string>([
  HEADERS.reason,
  HEADERS.detail,
  HEADERS.stage,
  HEADERS.sourceTopic,
  HEADERS.sourcePartition,
  HEADERS.sourceOffset,
  HEADERS.failedAt,
]);

export function toDeadLetterMessage(letter: DeadLetter): DeadLetterMessage {
  const headers: Record<string, string> = { ...letter.headers };
  headers[HEADERS.reason] = letter.reason;
  headers[HEADERS.detail] = letter.detail.slice(0, MAX_DETAIL);
  headers[HEADERS.stage] = letter.stage;
  headers[HEADERS.failedAt] = String(letter.failedAt);
  if (letter.sourceTopic !== undefined) headers[HEADERS.sourceTopic] = letter.sourceTopic;
  if (letter.sourcePartition !== undefined) headers[HEADERS.sourcePartition] = String(letter.sourcePartition);
  if (letter.sourceOffset !== undefined) headers[HEADERS.sourceOffset] = letter.sourceOffset;
  return { key: letter.key ?? null, value: letter.value, headers };
}

/** Reads a DLQ record back; undefined when it carries no reason header (not a dead letter). */
export function fromDeadLetterMessage(message: {
  key?: Buffer | null;
  value: Buffer | null;
  headers?: Record<string, Buffer | string | (Buffer | string)[] | undefined>;
}): DeadLetter | undefined {
  const headers = headerStrings(message.headers);
  const reason = headers[HEADERS.reason];
  if (reason === undefined) return undefined;
  const original: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (!DLQ_HEADERS.has(name)) original[name] = value;
  const partition = headers[HEADERS.sourcePartition];
  return {
    reason: reason as DeadLetterReason,
    detail: headers[HEADERS.detail] ?? '',
    stage: (headers[HEADERS.stage] ?? 'producer') as DeadLetterStage,
    value: message.value ?? Buffer.alloc(0),
    key: message.key ?? null,
    headers: original,
    sourceTopic: headers[HEADERS.sourceTopic],
    sourcePartition: partition === undefined ? undefined : Number(partition),
    sourceOffset: headers[HEADERS.sourceOffset],
    failedAt: Number(headers[HEADERS.failedAt] ?? 0),
  };
}

/** Kafka headers as plain strings (the last value wins when a header repeats). */
export function headerStrings(
  headers: Record<string, Buffer | string | (Buffer | string)[] | undefined> | undefined,
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, raw] of Object.entries(headers ?? {})) {
    const value = Array.isArray(raw) ? raw.at(-1) : raw;
    if (value !== undefined) result[name] = value.toString();
  }
  return result;
}
