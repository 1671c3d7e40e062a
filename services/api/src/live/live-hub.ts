import { randomBytes } from 'node:crypto';
import type { EventSummary } from '@wikistream/shared';

/** One event of the live feed, numbered in arrival order and pre-formatted once for every client. */
export interface LiveEntry {
  readonly seq: number;
  readonly summary: EventSummary;
  /** The whole SSE frame: `id:`, `event: change`, `data:`. */
  readonly frame: string;
}

/** Where the hub delivers: one per connected client (sse-connection.ts). */
export interface LiveSink {
  deliver(entry: LiveEntry): void;
  end(): void;
  /** Events waiting for this client, and events it lost by reading too slowly. */
  queued(): number;
  dropped(): number;
}

export interface Subscription {
  /** Events after Last-Event-ID that are still in the ring and match, oldest first. */
  readonly replay: readonly LiveEntry[];
  /** Events after Last-Event-ID that are gone from the ring (an upper bound of the matching ones). */
  readonly missed: number;
  unsubscribe(): void;
}

export interface LiveHub {
  publish(summary: EventSummary): void;
  subscribe(matches: (summary: EventSummary) => boolean, sink: LiveSink, lastEventId?: string): Subscription;
  clientCount(): number;
  /** Per-client queue lengths and drop counts, for tests and diagnostics. */
  clientStats(): { queued: number; dropped: number }[];
  /** Ends every client's stream (shutdown); later subscribers are ended at once. */
  close(): void;
}

/**
 * Fans the one Kafka feed out to every SSE client. Resume tokens are `<epoch>.<seq>`: the epoch
 * names this process's numbering, so a token from another process or an earlier run is never
 * mistaken for a position here. A bounded ring of recent events serves short resumes.
 */
export function createLiveHub(options: { replaySize: number; epoch?: string }): LiveHub {
  const epoch = options.epoch ?? randomBytes(4).toString('hex');
  const ring: LiveEntry[] = [];
  let head = 0;
  let nextSeq = 1;
  let closed = false;
  const clients = new Map<LiveSink, (summary: EventSummary) => boolean>();

  const ordered = (): LiveEntry[] =>
    ring.length < options.replaySize ? ring : [...ring.slice(head), ...ring.slice(0, head)];

  function resumeFrom(lastEventId: string | undefined): number | undefined {
    const match = /^([0-9a-f]+)\.(\d{1,15})$/.exec(lastEventId ?? '');
    if (!match || match[1] !== epoch) return undefined;
    const seq = Number(match[2]);
    return seq < nextSeq ? seq : undefined;
  }

  return {
    publish(summary) {
      const seq = nextSeq++;
      const frame = `id: ${epoch}.${seq}\nevent: change\ndata: ${JSON.stringify(summary)}\n\n`;
      const entry = { seq, summary, frame };
      if (options.replaySize > 0) {
        if (ring.length < options.replaySize) ring.push(entry);
        else {
          ring[head] = entry;
          head = (head + 1) % options.replaySize;
        }
      }
      for (const [sink, matches] of clients) if (matches(summary)) sink.deliver(entry);
    },
    subscribe(matches, sink, lastEventId) {
      if (closed) {
        queueMicrotask(() => sink.end());
        return { replay: [], missed: 0, unsubscribe: () => undefined };
      }
      const after = resumeFrom(lastEventId);
      let replay: LiveEntry[] = [];
      let missed = 0;
      if (after !== undefined) {
        const recent = ordered();
        const oldest = recent[0]?.seq ?? nextSeq;
        missed = Math.max(0, oldest - after - 1);
        replay = recent.filter((entry) => entry.seq > after && matches(entry.summary));
      }
      clients.set(sink, matches);
      return { replay, missed, unsubscribe: () => void clients.delete(sink) };
    },
    clientCount: () => clients.size,
    clientStats: () =>
      [...clients.keys()].map((sink) => ({ queued: sink.queued(), dropped: sink.dropped() })),
    close() {
      closed = true;
      for (const sink of [...clients.keys()]) sink.end();
      clients.clear();
    },
  };
}
