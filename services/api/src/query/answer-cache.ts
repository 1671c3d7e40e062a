/**
 * Shares one computation among every request that asks the same question within `ttlMs`:
 * concurrent requests wait for the same promise (single flight), later ones reuse the answer until
 * it expires. Failures are not kept. At most `maxEntries` answers are held (oldest evicted first).
 */
export interface AnswerCache {
  get<T>(key: string, compute: () => Promise<T>): Promise<T>;
}

export function createAnswerCache(options: {
  ttlMs: number;
  maxEntries: number;
  clock: () => number;
}): AnswerCache {
  const entries = new Map<string, { expires: number; value: Promise<unknown> }>();
  return {
    get<T>(key: string, compute: () => Promise<T>): Promise<T> {
      if (options.ttlMs <= 0) return compute();
      const now = options.clock();
      const cached = entries.get(key);
      if (cached && cached.expires > now) return cached.value as Promise<T>;
      entries.delete(key);
      const value = compute();
      entries.set(key, { expires: now + options.ttlMs, value });
      value.catch(() => {
        if (entries.get(key)?.value === value) entries.delete(key);
      });
      while (entries.size > options.maxEntries) {
        const oldest = entries.keys().next().value;
        if (oldest === undefined) break;
        entries.delete(oldest);
      }
      return value;
    },
  };
}
