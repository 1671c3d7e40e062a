import type { EntryKind } from './injected-events.ts';

/**
 * The replay log's columns: per entry a kind, a reference (sequence number), a timestamp and
 * whether it was served — 14 bytes an entry in growing typed arrays, so millions of entries fit.
 */
export interface LogStorage {
  readonly length: number;
  push(kind: EntryKind, ref: number, ts: number): void;
  kind(offset: number): EntryKind;
  ref(offset: number): number;
  timestamp(offset: number): number;
  markServed(offset: number): void;
  served(offset: number): boolean;
  /** First offset whose timestamp is ≥ ts (timestamps never decrease), as Kafka offsetsForTimes. */
  offsetForTimestamp(ts: number): number;
}

class Column<T extends Float64Array | Uint32Array | Uint8Array> {
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

export function createLogStorage(): LogStorage {
  const times = new Column((n) => new Float64Array(n));
  const kinds = new Column((n) => new Uint8Array(n));
  const refs = new Column((n) => new Uint32Array(n));
  const served = new Column((n) => new Uint8Array(n));
  let length = 0;
  return {
    get length() {
      return length;
    },
    push(kind, ref, ts) {
      times.set(length, ts);
      kinds.set(length, kind);
      refs.set(length, ref);
      served.set(length, 0);
      length++;
    },
    kind: (offset) => kinds.array[offset] as EntryKind,
    ref: (offset) => refs.array[offset] as number,
    timestamp: (offset) => times.array[offset] as number,
    markServed(offset) {
      served.array[offset] = 1;
    },
    served: (offset) => served.array[offset] === 1,
    offsetForTimestamp(ts) {
      let low = 0;
      let high = length;
      while (low < high) {
        const mid = (low + high) >>> 1;
        if ((times.array[mid] as number) < ts) low = mid + 1;
        else high = mid;
      }
      return low;
    },
  };
}

/** How many entries of each kind the log holds. */
export function countKinds(storage: LogStorage): Map<EntryKind, number> {
  const counts = new Map<EntryKind, number>();
  for (let offset = 0; offset < storage.length; offset++) {
    const kind = storage.kind(offset);
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return counts;
}
