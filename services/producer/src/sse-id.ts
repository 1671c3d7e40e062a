import { MAX_SSE_ID_CHARS } from './defaults.ts';

/**
 * The EventStreams SSE `id`: a JSON array with one entry per topic-partition, carrying either an
 * `offset` or a `timestamp` (= Kafka message time + 1 ms). A resume starts at the first message whose
 * time is ≥ the timestamp (EVENTSTREAMS.md §2.1), so events sharing the last millisecond can be skipped;
 * rewinding the timestamps a little and deduplicating by meta.id closes that hole.
 */
export interface IdEntry {
  readonly topic: string;
  readonly partition: number;
  readonly offset?: number;
  readonly timestamp?: number;
}

/** Where an event sits: its topic-partition and the id timestamp it advanced that partition to. */
export interface Position {
  readonly key: string;
  readonly ts: number;
}

export const entryKey = (entry: IdEntry) => `${entry.topic}/${entry.partition}`;

/**
 * Ids the producer can use as a position: what EventStreams sends (KafkaSSE's assignments), and
 * nothing it could not send back as a Last-Event-ID header, store in a cursor or turn into a date.
 * Anything else is not a position (see sseIdProblem for why).
 */
export function parseSseId(text: string | undefined): IdEntry[] | undefined {
  const read = readSseId(text);
  return typeof read === 'string' ? undefined : read;
}

/** Why `text` is not a usable SSE id, or undefined when it is one. */
export function sseIdProblem(text: string | undefined): string | undefined {
  const read = readSseId(text);
  return typeof read === 'string' ? read : undefined;
}

/** Kafka topic names: what a KafkaSSE id can name, and plain ASCII in an HTTP header. */
const TOPIC = /^[A-Za-z0-9._-]{1,249}$/;
/** The range of a JavaScript Date: an id timestamp outside it is no time at all. */
const MAX_TIME_MS = 8.64e15;

function readSseId(text: string | undefined): IdEntry[] | string {
  if (text === undefined || text === '') return 'no id';
  if (text.length > MAX_SSE_ID_CHARS)
    return `${text.length} characters, at most ${MAX_SSE_ID_CHARS} expected`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  if (!Array.isArray(parsed) || parsed.length === 0) return 'not a non-empty JSON array';
  const entries: IdEntry[] = [];
  for (const item of parsed) {
    if (typeof item !== 'object' || item === null) return 'an entry is not an object';
    const { topic, partition, offset, timestamp } = item as Record<string, unknown>;
    if (typeof topic !== 'string' || !TOPIC.test(topic)) return 'a topic is not a Kafka topic name';
    if (!Number.isSafeInteger(partition) || (partition as number) < 0)
      return 'a partition is not a non-negative integer';
    if (Number.isSafeInteger(offset))
      entries.push({ topic, partition: partition as number, offset: offset as number });
    else if (Number.isSafeInteger(timestamp) && Math.abs(timestamp as number) <= MAX_TIME_MS) {
      entries.push({ topic, partition: partition as number, timestamp: timestamp as number });
    } else return 'an entry has neither an integer offset nor a timestamp within the date range';
  }
  return entries;
}

export function formatSseId(entries: readonly IdEntry[]): string {
  return JSON.stringify(
    entries.map((e) =>
      e.offset !== undefined
        ? { topic: e.topic, partition: e.partition, offset: e.offset }
        : { topic: e.topic, partition: e.partition, timestamp: e.timestamp },
    ),
  );
}

/** The newest timestamp in an id (the last event time + 1), if any entry has one. */
export function latestTimestamp(entries: readonly IdEntry[]): number | undefined {
  let latest: number | undefined;
  for (const entry of entries) {
    if (entry.timestamp !== undefined && (latest === undefined || entry.timestamp > latest))
      latest = entry.timestamp;
  }
  return latest;
}

/**
 * The position of the event that came with `current`: the timestamp entry that changed since
 * `previous` (the newest if several did); when none changed, the previous event's partition.
 */
export function eventPosition(
  previous: readonly IdEntry[] | undefined,
  current: readonly IdEntry[],
  previousKey: string | undefined,
): Position | undefined {
  // Called for every frame: ids have one or two entries, so plain scans beat building maps.
  let best: Position | undefined;
  let fallback: Position | undefined;
  for (const entry of current) {
    if (entry.timestamp === undefined) continue;
    const key = entryKey(entry);
    if (key === previousKey) fallback = { key, ts: entry.timestamp };
    const before = previous?.find((p) => p.topic === entry.topic && p.partition === entry.partition);
    if (before?.timestamp === entry.timestamp) continue;
    if (best === undefined || entry.timestamp > best.ts) best = { key, ts: entry.timestamp };
  }
  if (best) return best;
  if (fallback) return fallback;
  const ts = latestTimestamp(current);
  const newest = current.find((entry) => entry.timestamp === ts);
  return newest && ts !== undefined ? { key: entryKey(newest), ts } : undefined;
}

/**
 * Moves every timestamp back by `overlapMs`, but never before `completeFrom - 1`: events at or
 * after `completeFrom` are all known to the dedupe window, so whatever the upstream sends again
 * from there is recognised. Offset entries are kept as they are.
 */
export function rewindSseId(entries: readonly IdEntry[], overlapMs: number, completeFrom: number): IdEntry[] {
  return entries.map((entry) => {
    if (entry.timestamp === undefined) return entry;
    const rewound = Math.min(entry.timestamp, Math.max(entry.timestamp - overlapMs, completeFrom - 1));
    return { topic: entry.topic, partition: entry.partition, timestamp: rewound };
  });
}
