/**
 * Shares one computation among every request that asks the same question:
 * - concurrent requests wait for the same promise (single flight);
 * - for `ttlMs` the answer is reused as it is;
 * - for `staleMs` after that it is still served at once while one refresh runs in the background,
 *   so a dashboard never waits for a recomputation after the first one.
 * Failures are never kept. At most `maxEntries` questions are held, the oldest evicted first.
 */
export interface AnswerCache {
  get<T>(key: string, compute: () => Promise<T>): Promise<T>;
}

interface Entry {
  value: Promise<unknown>;
  /** When the value was computed; undefined while the first computation runs. */
  settledAt: number | undefined;
  refreshing: boolean;
}

export function createAnswerCache(options: {
  ttlMs: number;
  staleMs: number;
  maxEntries: number;
  clock: () => number;
}): AnswerCache {
  const entries = new Map<string, Entry>();

  function compute<T>(key: string, work: () => Promise<T>, previous?: Entry): Promise<T> {
    const value = work();
    const entry: Entry = previous ?? { value, settledAt: undefined, refreshing: false };
    if (!previous) entries.set(key, entry);
    value.then(
      () => {
        entry.value = value;
        entry.settledAt = options.clock();
        entry.refreshing = false;
      },
      () => {
        entry.refreshing = false;
        if (entry.settledAt === undefined && entries.get(key) === entry) entries.delete(key);
      },
    );
    while (entries.size > options.maxEntries) {
      const oldest = entries.keys().next().value;
      if (oldest === undefined) break;
      entries.delete(oldest);
    }
    return value;
  }

  return {
    get<T>(key: string, work: () => Promise<T>): Promise<T> {
      if (options.ttlMs <= 0) return work();
      const entry = entries.get(key);
      if (!entry) return compute(key, work);
      if (entry.settledAt === undefined) return entry.value as Promise<T>;
      const age = options.clock() - entry.settledAt;
      if (age < options.ttlMs) return entry.value as Promise<T>;
      if (age < options.ttlMs + options.staleMs) {
        if (!entry.refreshing) {
          entry.refreshing = true;
          compute(key, work, entry).catch(() => undefined);
        }
        return entry.value as Promise<T>;
      }
      entries.delete(key);
      return compute(key, work);
    },
  };
}
