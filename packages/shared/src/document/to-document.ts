import { type EditorKind, editorKind } from '../editor/editor-kind.ts';
import type { RecentChangeEvent } from '../event/recentchange.ts';

/** Where a document came from in the pipeline; the API derives latency and freshness from it. */
export interface Provenance {
  readonly kafkaPartition: number;
  /** Kafka offsets are 64-bit; kept as a string on the way and indexed as a long. */
  readonly kafkaOffset: string;
  readonly sseId?: string | undefined;
  /** When the producer received the event from upstream (ms since epoch). */
  readonly receivedAt?: number | undefined;
  /** When the indexer built the document (ms since epoch). */
  readonly indexedAt: number;
}

export interface PipelineFields {
  kafka_partition: number;
  kafka_offset: string;
  sse_id?: string;
  received_at?: string;
  indexed_at: string;
  /**
   * `indexed_at - received_at` in ms: the end-to-end latency of the pipeline, stored as a number
   * because the engine has no scripts to compute it at query time. Absent without `received_at`.
   */
  latency_ms?: number;
}

/** What the pipeline adds to an event. */
export interface DerivedFields {
  /** `length.new - length.old`; null when either side is unknown. */
  byte_delta: number | null;
  /** Who made the change: `bot`, `temporary` (account), `ip` (address) or `registered` (editor-kind.ts). */
  editor_kind: EditorKind;
  /**
   * The change was made by a logged-out user, whatever its bot flag: under a temporary account or an
   * IPv4 or IPv6 address (documents indexed before editor kinds counted only addresses).
   */
  is_anonymous: boolean;
  /**
   * The title with namespace and path separators turned into spaces, for full-text search: the
   * standard tokenizer keeps "File:City" as one token, and the engine's test distribution has no
   * char filters to split it at index time.
   */
  title_text?: string;
  pipeline: PipelineFields;
}

/** The Elasticsearch document: the event unchanged, plus fields derived by the pipeline. */
export type EventDocument = RecentChangeEvent & DerivedFields;

/** Every derived field name; `satisfies` makes a new derived field fail to compile until it is listed. */
const DERIVED_NAMES: ReadonlySet<string> = new Set(
  Object.keys({
    byte_delta: true,
    editor_kind: true,
    is_anonymous: true,
    title_text: true,
    pipeline: true,
  } satisfies Record<keyof DerivedFields, true>),
);

/**
 * Whether a top-level event field is named like a derived field, or is a dotted name under one
 * (`pipeline.kafka_partition`: Elasticsearch reads dots as paths, so it would add a second value to
 * the derived field). Such fields are left out of the document: the pipeline's values are the only
 * ones searched, whatever an event carries, and `title_text` is never the event's own when it has
 * no title. The record in Kafka keeps them.
 */
export function isDerivedFieldName(key: string): boolean {
  const dot = key.indexOf('.');
  return DERIVED_NAMES.has(dot === -1 ? key : key.slice(0, dot));
}

/** Whether the event has a field that `isDerivedFieldName` keeps out of its document. */
export function hasDerivedFieldName(event: RecentChangeEvent): boolean {
  for (const key in event) if (isDerivedFieldName(key)) return true;
  return false;
}

/** The event without the fields `isDerivedFieldName` reserves (the event itself when it has none). */
function withoutDerivedNames(event: RecentChangeEvent): RecentChangeEvent {
  if (!hasDerivedFieldName(event)) return event;
  // fromEntries defines the fields, so even one named `__proto__` stays a field.
  return Object.fromEntries(
    Object.entries(event).filter(([key]) => !isDerivedFieldName(key)),
  ) as RecentChangeEvent;
}

function loggedOut(user: unknown): boolean {
  return typeof user === 'string' && editorKind({ user }) !== 'registered';
}

export function byteDelta(event: RecentChangeEvent): number | null {
  const { old: before, new: after } = event.length ?? {};
  if (typeof after !== 'number') return null;
  if (event.type === 'new' && (before === undefined || before === null)) return after;
  return typeof before === 'number' ? after - before : null;
}

export function titleText(title: string): string {
  return title.replace(/[:_/]+/g, ' ').trim();
}

/**
 * `new Date(ms).toISOString()`, remembering the last time: the indexer stamps one indexed-at per
 * chunk, and a producer batch shares one received-at, so the same few values come again and again.
 */
function isoTimeOfLast(): (ms: number) => string {
  let lastMs = Number.NaN;
  let lastIso = '';
  return (ms) => {
    if (ms !== lastMs) {
      lastIso = new Date(ms).toISOString();
      lastMs = ms;
    }
    return lastIso;
  };
}
const indexedAtIso = isoTimeOfLast();
const receivedAtIso = isoTimeOfLast();

/** Pure: the fields toDocument adds to an event, on their own (the indexer splices them into the event's bytes). */
export function derivedFields(event: RecentChangeEvent, provenance: Provenance): DerivedFields {
  const pipeline: PipelineFields = {
    kafka_partition: provenance.kafkaPartition,
    kafka_offset: provenance.kafkaOffset,
    indexed_at: indexedAtIso(provenance.indexedAt),
  };
  if (provenance.sseId !== undefined) pipeline.sse_id = provenance.sseId;
  if (provenance.receivedAt !== undefined) {
    pipeline.received_at = receivedAtIso(provenance.receivedAt);
    pipeline.latency_ms = Math.max(0, Math.round(provenance.indexedAt - provenance.receivedAt));
  }
  const delta = byteDelta(event);
  const kind = editorKind(event);
  // The name decides anonymity; the bot flag only decides the kind (a bot may edit logged out).
  const anonymous = kind === 'temporary' || kind === 'ip' || (kind === 'bot' && loggedOut(event.user));
  return typeof event.title === 'string'
    ? {
        byte_delta: delta,
        editor_kind: kind,
        is_anonymous: anonymous,
        title_text: titleText(event.title),
        pipeline,
      }
    : { byte_delta: delta, editor_kind: kind, is_anonymous: anonymous, pipeline };
}

/**
 * Pure: event + provenance → document. The event's own fields are never altered; those named like a
 * derived field are left out (`isDerivedFieldName`).
 */
export function toDocument(event: RecentChangeEvent, provenance: Provenance): EventDocument {
  return withDerivedFields(event, derivedFields(event, provenance));
}

/** Pure: the document of an event whose derived fields are already computed (see toDocument). */
export function withDerivedFields(event: RecentChangeEvent, derived: DerivedFields): EventDocument {
  return { ...withoutDerivedNames(event), ...derived };
}
