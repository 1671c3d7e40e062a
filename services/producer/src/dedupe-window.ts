/**
 * The events produced most recently, by dedupe key (meta.id) and position timestamp. It is stored
 * in the cursor record, in the same transaction as the events, so after any restart the producer
 * knows exactly which of the re-sent events it already has. Bounded by time and by count;
 * `completeFrom` says from which position timestamp on the window is known to be complete.
 */
export interface WindowState {
  readonly completeFrom: number;
  readonly keys: readonly string[];
  readonly timestamps: readonly number[];
}

export interface DedupeWindow {
  has(key: string): boolean;
  add(key: string, ts: number): void;
  readonly size: number;
  readonly completeFrom: number;
  snapshot(): WindowState;
}

export interface WindowLimits {
  readonly overlapMs: number;
  readonly maxIds: number;
}

export function createDedupeWindow(limits: WindowLimits, initial?: WindowState): DedupeWindow {
  let keys: string[] = [...(initial?.keys ?? [])];
  let timestamps: number[] = [...(initial?.timestamps ?? [])];
  let head = 0;
  let completeFrom = initial?.completeFrom ?? 0;
  let newest = timestamps.reduce((max, ts) => Math.max(max, ts), Number.NEGATIVE_INFINITY);
  const present = new Set(keys);

  function dropOldest(): void {
    present.delete(keys[head] as string);
    completeFrom = Math.max(completeFrom, (timestamps[head] as number) + 1);
    head++;
    if (head > 1024 && head * 2 > keys.length) {
      keys = keys.slice(head);
      timestamps = timestamps.slice(head);
      head = 0;
    }
  }

  function trim(): void {
    while (keys.length - head > limits.maxIds) dropOldest();
    while (keys.length > head && (timestamps[head] as number) < newest - limits.overlapMs) dropOldest();
  }
  trim();

  return {
    has: (key) => present.has(key),
    add(key, ts) {
      keys.push(key);
      timestamps.push(ts);
      present.add(key);
      newest = Math.max(newest, ts);
      trim();
    },
    get size() {
      return keys.length - head;
    },
    get completeFrom() {
      return completeFrom;
    },
    snapshot: () => ({ completeFrom, keys: keys.slice(head), timestamps: timestamps.slice(head) }),
  };
}
