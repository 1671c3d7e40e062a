import { renderTemplate } from './event-template.ts';
import {
  derivedUuid,
  EntryKind,
  EXPECTED_REASON,
  HOSTILE_KINDS,
  INVALID_KINDS,
  renderInjected,
} from './injected-events.ts';
import { countKinds, createLogStorage } from './log-storage.ts';
import type { SourceEvent } from './source-events.ts';

/**
 * The replay server's stand-in for the Kafka topic behind EventStreams: an append-only log of
 * entries with an offset and a timestamp (ms, non-decreasing). Entries are appended over time by a
 * pacer; clients read from any offset. Only kinds, timestamps and sequence numbers are stored
 * (log-storage.ts), the event text is rendered when served.
 */
export interface InjectionOptions {
  /** After every N recorded events, one of each (0 = never). */
  readonly canaryEvery?: number;
  readonly malformedEvery?: number;
  readonly invalidEvery?: number;
  readonly oversizeEvery?: number;
  /** After every N recorded events, the next hostile kind in turn (too deep, far future, far past). */
  readonly hostileEvery?: number;
}

export interface EventLogOptions {
  readonly source: readonly SourceEvent[];
  /** Passes over the recording; 0 = forever. Looped copies get new, deterministic meta.ids. */
  readonly loops: number;
  readonly topic: string;
  readonly inject?: InjectionOptions;
}

export interface EventLog {
  readonly topic: string;
  readonly length: number;
  /** True when every pass has been appended; the stream then stays open and quiet. */
  readonly exhausted: boolean;
  /** Appends the next recorded event (and what is injected after it); returns the count appended. */
  appendNext(ts: number): number;
  /** Appends a canary event, as Wikimedia does at least hourly so a quiet stream is not a dead one. */
  appendCanary(ts: number): void;
  /** Delay before the next recorded event in the recording's own timeline. */
  nextDelayMs(): number;
  timestamp(offset: number): number;
  kind(offset: number): EntryKind;
  /** The `data:` lines of the entry. */
  render(offset: number): string[];
  /** meta.id of a recorded (valid, non-canary) entry, else undefined. */
  eventId(offset: number): string | undefined;
  /** First offset whose timestamp is ≥ ts (may be `length`: nothing yet). */
  offsetForTimestamp(ts: number): number;
  markServed(offset: number): void;
  /** Resolves at the next append. */
  changed(): Promise<void>;
  validIds(): string[];
  servedValidIds(): string[];
  counts(): Record<string, number>;
  expectedDeadLetters(): Record<string, number>;
}

export function createEventLog(options: EventLogOptions): EventLog {
  const { source, loops, topic } = options;
  if (source.length === 0) throw new Error('the replay log needs at least one recorded event');
  const inject = options.inject ?? {};
  const store = createLogStorage();
  const injectedCount = new Map<EntryKind, number>();
  let dataCount = 0;
  let lastTs = 0;
  let waiters: (() => void)[] = [];

  const total = loops === 0 ? Number.POSITIVE_INFINITY : loops * source.length;

  function pushInjected(kind: EntryKind, ts: number): void {
    const counter = injectedCount.get(kind) ?? 0;
    injectedCount.set(kind, counter + 1);
    store.push(kind, counter, ts);
  }

  function injectAfter(count: number, ts: number): void {
    const due = (every: number | undefined) => every !== undefined && every > 0 && count % every === 0;
    if (due(inject.canaryEvery)) pushInjected(EntryKind.Canary, ts);
    if (due(inject.malformedEvery)) pushInjected(EntryKind.Malformed, ts);
    if (due(inject.invalidEvery)) {
      const round = Math.floor(count / (inject.invalidEvery ?? 1)) - 1;
      pushInjected(INVALID_KINDS[round % INVALID_KINDS.length] as EntryKind, ts);
    }
    if (due(inject.oversizeEvery)) pushInjected(EntryKind.Oversize, ts);
    if (due(inject.hostileEvery)) {
      const round = Math.floor(count / (inject.hostileEvery ?? 1)) - 1;
      pushInjected(HOSTILE_KINDS[round % HOSTILE_KINDS.length] as EntryKind, ts);
    }
  }

  // Many entries share a millisecond at high rates: format each once.
  let isoCache = { ts: Number.NaN, text: '' };
  function isoTime(ts: number): string {
    if (ts !== isoCache.ts) isoCache = { ts, text: new Date(ts).toISOString() };
    return isoCache.text;
  }

  function wakeReaders(): void {
    const resolve = waiters;
    waiters = [];
    for (const wake of resolve) wake();
  }

  function eventId(offset: number): string | undefined {
    if (store.kind(offset) !== EntryKind.Data) return undefined;
    const seq = store.ref(offset);
    const original = (source[seq % source.length] as SourceEvent).originalId;
    const loop = Math.floor(seq / source.length);
    return loop === 0 ? original : derivedUuid(`${original}#loop${loop}`);
  }

  function render(offset: number): string[] {
    const kind = store.kind(offset);
    const ts = store.timestamp(offset);
    if (kind !== EntryKind.Data) return renderInjected(kind, store.ref(offset), { ts, topic, offset });
    const event = source[store.ref(offset) % source.length] as SourceEvent;
    return [
      renderTemplate(event.template, {
        id: eventId(offset) as string,
        dt: isoTime(ts),
        timestamp: Math.floor(ts / 1000),
        topic,
        partition: 0,
        offset,
      }),
    ];
  }

  function collect(predicate: (offset: number) => boolean): string[] {
    const ids: string[] = [];
    for (let offset = 0; offset < store.length; offset++) {
      const id = eventId(offset);
      if (id !== undefined && predicate(offset)) ids.push(id);
    }
    return ids;
  }

  return {
    topic,
    get length() {
      return store.length;
    },
    get exhausted() {
      return dataCount >= total;
    },
    appendNext(ts) {
      if (dataCount >= total) return 0;
      const before = store.length;
      lastTs = Math.max(lastTs, Math.floor(ts));
      store.push(EntryKind.Data, dataCount, lastTs);
      dataCount++;
      injectAfter(dataCount, lastTs);
      wakeReaders();
      return store.length - before;
    },
    appendCanary(ts) {
      lastTs = Math.max(lastTs, Math.floor(ts));
      pushInjected(EntryKind.Canary, lastTs);
      wakeReaders();
    },
    nextDelayMs() {
      if (dataCount >= total) return Number.POSITIVE_INFINITY;
      return dataCount % source.length === 0
        ? dataCount === 0
          ? 0
          : 1000
        : (source[dataCount % source.length] as SourceEvent).delayMs;
    },
    timestamp: store.timestamp,
    kind: store.kind,
    render,
    eventId,
    offsetForTimestamp: store.offsetForTimestamp,
    markServed: store.markServed,
    changed() {
      return new Promise((resolve) => waiters.push(resolve));
    },
    validIds: () => collect(() => true),
    servedValidIds: () => collect(store.served),
    counts() {
      const names = Object.fromEntries(Object.entries(EntryKind).map(([name, kind]) => [kind, name]));
      const result: Record<string, number> = {};
      for (const [kind, count] of countKinds(store)) result[names[kind] as string] = count;
      return result;
    },
    expectedDeadLetters() {
      const result: Record<string, number> = {};
      for (const [kind, count] of countKinds(store)) {
        const reason = EXPECTED_REASON[kind];
        if (reason !== undefined) result[reason] = (result[reason] ?? 0) + count;
      }
      return result;
    },
  };
}
