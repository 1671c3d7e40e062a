import { renderTemplate } from './event-template.ts';
import { derivedUuid, EntryKind, EXPECTED_REASON, INVALID_KINDS, renderInjected } from './injected-events.ts';
import type { SourceEvent } from './source-events.ts';

/**
 * The replay server's stand-in for the Kafka topic behind EventStreams: an append-only log of
 * entries with an offset and a timestamp (ms, non-decreasing). Entries are appended over time by a
 * pacer; clients read from any offset. Only kinds, timestamps and sequence numbers are stored
 * (13 bytes an entry), the event text is rendered when served.
 */
export interface InjectionOptions {
  /** After every N recorded events, one of each (0 = never). */
  readonly canaryEvery?: number;
  readonly malformedEvery?: number;
  readonly invalidEvery?: number;
  readonly oversizeEvery?: number;
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

class Growable<T extends Float64Array | Uint32Array | Uint8Array> {
  array: T;
  readonly make: (size: number) => T;
  constructor(make: (size: number) => T) {
    this.make = make;
    this.array = make(1024);
  }
  set(index: number, value: number): void {
    if (index >= this.array.length) {
      const bigger = this.make(this.array.length * 2);
      bigger.set(this.array);
      this.array = bigger;
    }
    this.array[index] = value;
  }
}

export function createEventLog(options: EventLogOptions): EventLog {
  const { source, loops, topic } = options;
  if (source.length === 0) throw new Error('the replay log needs at least one recorded event');
  const inject = options.inject ?? {};
  const times = new Growable((n) => new Float64Array(n));
  const kinds = new Growable((n) => new Uint8Array(n));
  const refs = new Growable((n) => new Uint32Array(n));
  const served = new Growable((n) => new Uint8Array(n));
  const injectedCount = new Map<EntryKind, number>();
  let length = 0;
  let dataCount = 0;
  let lastTs = 0;
  let waiters: (() => void)[] = [];

  const total = loops === 0 ? Number.POSITIVE_INFINITY : loops * source.length;

  function push(kind: EntryKind, ref: number, ts: number): void {
    times.set(length, ts);
    kinds.set(length, kind);
    refs.set(length, ref);
    served.set(length, 0);
    length++;
  }

  function pushInjected(kind: EntryKind, ts: number): void {
    const counter = injectedCount.get(kind) ?? 0;
    injectedCount.set(kind, counter + 1);
    push(kind, counter, ts);
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
    if (kinds.array[offset] !== EntryKind.Data) return undefined;
    const seq = refs.array[offset] as number;
    const original = (source[seq % source.length] as SourceEvent).originalId;
    const loop = Math.floor(seq / source.length);
    return loop === 0 ? original : derivedUuid(`${original}#loop${loop}`);
  }

  function render(offset: number): string[] {
    const kind = kinds.array[offset] as EntryKind;
    const ts = times.array[offset] as number;
    if (kind !== EntryKind.Data)
      return renderInjected(kind, refs.array[offset] as number, { ts, topic, offset });
    const event = source[(refs.array[offset] as number) % source.length] as SourceEvent;
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

  function offsetForTimestamp(ts: number): number {
    let low = 0;
    let high = length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((times.array[mid] as number) < ts) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  function collect(predicate: (offset: number) => boolean): string[] {
    const ids: string[] = [];
    for (let offset = 0; offset < length; offset++) {
      const id = eventId(offset);
      if (id !== undefined && predicate(offset)) ids.push(id);
    }
    return ids;
  }

  function countKinds(): Map<EntryKind, number> {
    const counts = new Map<EntryKind, number>();
    for (let offset = 0; offset < length; offset++) {
      const kind = kinds.array[offset] as EntryKind;
      counts.set(kind, (counts.get(kind) ?? 0) + 1);
    }
    return counts;
  }

  return {
    topic,
    get length() {
      return length;
    },
    get exhausted() {
      return dataCount >= total;
    },
    appendNext(ts) {
      if (dataCount >= total) return 0;
      const before = length;
      lastTs = Math.max(lastTs, Math.floor(ts));
      push(EntryKind.Data, dataCount, lastTs);
      dataCount++;
      injectAfter(dataCount, lastTs);
      wakeReaders();
      return length - before;
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
    timestamp: (offset) => times.array[offset] as number,
    kind: (offset) => kinds.array[offset] as EntryKind,
    render,
    eventId,
    offsetForTimestamp,
    markServed(offset) {
      served.array[offset] = 1;
    },
    changed() {
      return new Promise((resolve) => waiters.push(resolve));
    },
    validIds: () => collect(() => true),
    servedValidIds: () => collect((offset) => served.array[offset] === 1),
    counts() {
      const names = Object.fromEntries(Object.entries(EntryKind).map(([name, kind]) => [kind, name]));
      const result: Record<string, number> = {};
      for (const [kind, count] of countKinds()) result[names[kind] as string] = count;
      return result;
    },
    expectedDeadLetters() {
      const result: Record<string, number> = {};
      for (const [kind, count] of countKinds()) {
        const reason = EXPECTED_REASON[kind];
        if (reason !== undefined) result[reason] = (result[reason] ?? 0) + count;
      }
      return result;
    },
  };
}
