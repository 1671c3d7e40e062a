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

export function parseSseId(text: string | undefined): IdEntry[] | undefined {
  if (text === undefined || text === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length === 0) return undefined;
  const entries: IdEntry[] = [];
  for (const item of parsed) {
    if (typeof item !== 'object' || item === null) return undefined;
    const { topic, partition, offset, timestamp } = item as Record<string, unknown>;
    if (typeof topic !== 'string' || !Number.isInteger(partition)) return undefined;
    if (Number.isInteger(offset))
      entries.push({ topic, partition: partition as number, offset: offset as number });
    else if (Number.isInteger(timestamp)) {
      entries.push({ topic, partition: partition as number, timestamp: timestamp as number });
    } else return undefined;
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
