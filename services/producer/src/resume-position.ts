import { eventPosition, formatSseId, type IdEntry, parseSseId, rewindSseId } from './sse-id.ts';

/**
 * Where the producer is in the upstream stream and where the next connection should start.
 * The frontier is the newest id timestamp seen per topic-partition. A resume starts `overlapMs`
 * before it (so events sharing the last millisecond, or delivered with skewed clocks, are not
 * skipped); when the previous connection delivered only events the producer already had (it was
 * cut inside the overlap), the next one starts at the frontier's last millisecond instead, so a
 * connection that keeps dropping early still makes progress.
 */
export interface ResumePosition {
  /** The Last-Event-ID for the next connection, if the stream was ever positioned. */
  nextId(overlapMs: number, completeFrom: number): string | undefined;
  connected(sentId: string | undefined): void;
  /**
   * Takes a frame's id; returns the frame's position timestamp (a frame without an id keeps the
   * last one), or undefined when the id is there but is not a position (not an SSE id, or a
   * timestamp after `latestMs`): then nothing changes.
   */
  advance(frameId: string, latestMs?: number): number | undefined;
  /** The position timestamp of the last frame that had one (0 before any). */
  readonly current: number;
  /** The id of the last frame received (the cursor value). */
  readonly lastId: string | undefined;
  /** Newest id timestamp of the frontier (last event time + 1). */
  readonly newest: number | undefined;
}

export function createResumePosition(initialId: string | undefined): ResumePosition {
  let lastId = parseSseId(initialId) ? initialId : undefined;
  let previous: IdEntry[] | undefined;
  let previousKey: string | undefined;
  let lastTs = 0;
  const frontier = new Map<string, number>();
  let atConnect = new Map<string, number>();
  let frames = 0;
  let progressed = true;

  const remember = (entries: readonly IdEntry[]) => {
    for (const entry of entries) {
      if (entry.timestamp === undefined) continue;
      const key = `${entry.topic}/${entry.partition}`;
      if (entry.timestamp > (frontier.get(key) ?? Number.NEGATIVE_INFINITY))
        frontier.set(key, entry.timestamp);
    }
  };
  remember(parseSseId(lastId) ?? []);

  return {
    nextId(overlapMs, completeFrom) {
      const entries = parseSseId(lastId);
      if (!entries) return undefined;
      const front = entries.map((entry) => {
        const ts = frontier.get(`${entry.topic}/${entry.partition}`);
        return ts === undefined || entry.timestamp === undefined
          ? entry
          : { ...entry, timestamp: Math.max(ts, entry.timestamp) };
      });
      const overlap = frames > 0 && !progressed ? Math.min(overlapMs, 1) : overlapMs;
      return formatSseId(rewindSseId(front, overlap, completeFrom));
    },
    connected(sentId) {
      previous = parseSseId(sentId);
      atConnect = new Map(frontier);
      frames = 0;
      progressed = false;
    },
    advance(frameId, latestMs = Number.POSITIVE_INFINITY) {
      frames++;
      if (frameId === '') return lastTs;
      const entries = parseSseId(frameId);
      if (!entries || entries.some((entry) => (entry.timestamp ?? 0) > latestMs)) return undefined;
      const position = eventPosition(previous, entries, previousKey);
      previous = entries;
      lastId = frameId;
      remember(entries);
      if (position) {
        lastTs = position.ts;
        previousKey = position.key;
        if (position.ts > (atConnect.get(position.key) ?? Number.NEGATIVE_INFINITY)) progressed = true;
      }
      return lastTs;
    },
    get lastId() {
      return lastId;
    },
    get current() {
      return lastTs;
    },
    get newest() {
      let newest: number | undefined;
      for (const ts of frontier.values()) newest = newest === undefined ? ts : Math.max(newest, ts);
      return newest;
    },
  };
}
