import {
  classifyEvent,
  derivedFields,
  documentSource,
  type EventDocument,
  HEADERS,
  type IndexDay,
  indexDayOf,
  isDerivedFieldName,
  type Provenance,
  type RecentChangeEvent,
  withDerivedFields,
} from '@wikistream/shared';

/**
 * Re-derivation with the current code: a stored document (or a Kafka record) → the document the
 * indexer would build today. The shared `derivedFields`, `withDerivedFields` and `documentSource`
 * do the work, so a rebuilt day holds exactly what the indexer writes from now on.
 */

const millis = (value: unknown): number | undefined => {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || value === '') return undefined;
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
};

/**
 * Pure: where a stored document came from, from its `pipeline` fields, so the rebuilt one keeps its
 * partition, offset, SSE id, receipt and indexing times (and so its latency). A document without
 * them (none is known) gets partition -1 and its event time as the time it was indexed.
 */
export function storedProvenance(document: Readonly<Record<string, unknown>>): Provenance {
  const pipeline = (document.pipeline ?? {}) as Record<string, unknown>;
  const meta = (document.meta ?? {}) as Record<string, unknown>;
  const partition = Number(pipeline.kafka_partition);
  const sseId = pipeline.sse_id;
  return {
    kafkaPartition: Number.isInteger(partition) ? partition : -1,
    kafkaOffset: pipeline.kafka_offset === undefined ? '-1' : String(pipeline.kafka_offset),
    sseId: typeof sseId === 'string' ? sseId : undefined,
    receivedAt: millis(pipeline.received_at),
    indexedAt: millis(pipeline.indexed_at) ?? millis(meta.dt) ?? 0,
  };
}

/** Pure: the event a stored document was built from: every field but the derived ones. */
export function storedEvent(document: Readonly<Record<string, unknown>>): RecentChangeEvent {
  // fromEntries defines the fields, so even one named `__proto__` stays a field.
  return Object.fromEntries(
    Object.entries(document).filter(([key]) => !isDerivedFieldName(key)),
  ) as unknown as RecentChangeEvent;
}

/**
 * Pure: a stored document rebuilt — its derived fields (those of the code that indexed it, or
 * missing) dropped and derived again, its provenance kept.
 */
export function rederiveStored(document: Readonly<Record<string, unknown>>): EventDocument {
  const event = storedEvent(document);
  return withDerivedFields(event, derivedFields(event, storedProvenance(document)));
}

/** A record of the data topic, as the Kafka port hands it over. */
export interface TopicRecord {
  readonly partition: number;
  readonly offset: string;
  /** The record's timestamp (ms, as a string, as Kafka gives it). */
  readonly timestamp: string;
  readonly value: Buffer | null;
  readonly headers: Readonly<Record<string, string>>;
}

export type RecordOutcome =
  | { readonly kind: 'document'; readonly day: IndexDay; readonly id: string; readonly source: Buffer[] }
  | { readonly kind: 'skip'; readonly reason: 'invalid' | 'canary' | 'other_day' };

/**
 * Pure: a data-topic record → the document of a day being rebuilt, as the indexer builds it (the
 * original bytes with the derived fields spliced in), or why it is not one: invalid (the indexer
 * dead-lettered it), a canary, or an event of a day not being rebuilt. A rebuilt document's
 * `pipeline.indexed_at` is the record's timestamp (the time it was first indexed is not in Kafka;
 * the rebuild's own time would make the whole day look freshly indexed to the pipeline panel).
 */
export function rederiveRecord(record: TopicRecord, days: ReadonlySet<IndexDay>): RecordOutcome {
  const value = record.value ?? Buffer.alloc(0);
  const result = classifyEvent(value);
  if (!result.ok) return { kind: 'skip', reason: 'invalid' };
  if (result.canary) return { kind: 'skip', reason: 'canary' };
  const { event } = result;
  let day: IndexDay;
  try {
    day = indexDayOf(event.meta.dt);
  } catch {
    return { kind: 'skip', reason: 'other_day' };
  }
  if (!days.has(day)) return { kind: 'skip', reason: 'other_day' };
  const derived = derivedFields(event, {
    kafkaPartition: record.partition,
    kafkaOffset: record.offset,
    sseId: record.headers[HEADERS.sseId],
    receivedAt: millis(record.headers[HEADERS.receivedAt]),
    indexedAt: Number(record.timestamp),
  });
  return { kind: 'document', day, id: event.meta.id, source: documentSource(value, event, derived) };
}
