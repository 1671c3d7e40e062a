import { createLogger } from '@wikistream/shared';
import { onTestFinished } from 'vitest';
import type { ReindexArgs } from '../../../src/reindex/args.ts';
import { DEFAULT_TUNING } from '../../../src/reindex/day-context.ts';
import { createKafkaSource } from '../../../src/reindex/kafka-source.ts';
import { createProgress } from '../../../src/reindex/progress.ts';
import { type ReindexDeps, runReindex } from '../../../src/reindex/reindex.ts';
import { createReindexStore, type ReindexStore } from '../../../src/reindex/store.ts';

const logger = createLogger({ name: 'reindex-test', level: 'silent' });

export type Call = { readonly method: string; readonly args: readonly unknown[] };

/**
 * A store that dies like a SIGKILLed process: once `killWhen` matches a call, that call completes
 * and then fails, and every later call fails without reaching Elasticsearch — no cleanup happens.
 */
export function killableStore(store: ReindexStore, killWhen: (call: Call) => boolean): ReindexStore {
  let dead = false;
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || property === 'close') return value;
      return async (...args: unknown[]) => {
        if (dead) throw new Error('killed');
        const result = await value.apply(target, args);
        if (killWhen({ method: String(property), args })) {
          dead = true;
          throw new Error('killed');
        }
        return result;
      };
    },
  });
}

export function testStore(url: string): ReindexStore {
  const store = createReindexStore({ url, requestTimeoutMs: 30_000 });
  onTestFinished(() => store.close());
  return store;
}

/** One re-index process's wiring, in the test process: `pid` tells two "processes" apart. */
export function reindexDeps(options: {
  url: string;
  brokers: string;
  prefix: string;
  topic: string;
  pid: number;
  store?: ReindexStore;
}): ReindexDeps {
  const progress = createProgress({ write: () => undefined, clock: Date.now, intervalMs: 60_000 });
  onTestFinished(() => progress.stop());
  return {
    store: options.store ?? testStore(options.url),
    kafka: createKafkaSource({ brokers: [options.brokers], logger }),
    prefix: options.prefix,
    topic: options.topic,
    lateDays: 7,
    logger,
    progress,
    clock: Date.now,
    // Every test "process" runs on this host; only the one being asked about lives.
    self: { host: 'test-host', pid: options.pid, alive: (pid) => pid === options.pid },
    signal: new AbortController().signal,
    tuning: { ...DEFAULT_TUNING, batchSize: 200, enough: 200, quietMs: 300 },
    leaseMs: 30_000,
    heartbeatMs: 1_000,
    saveIntervalMs: 200,
    out: () => undefined,
  };
}

export function args(from: number, to: number, extra: Partial<ReindexArgs> = {}): ReindexArgs {
  return {
    from,
    to,
    source: 'elasticsearch',
    dryRun: false,
    keepOld: false,
    abort: false,
    batchSize: 200,
    help: false,
    ...extra,
  };
}

export { runReindex };
