import { driftTemplate, driftTemplateName, type Logger } from '@wikistream/shared';
import { statusOutcome } from './bulk-response.ts';
import type { DriftCounter } from './drift-counter.ts';
import { driftBulkBody, driftWrites } from './drift-documents.ts';
import type { SearchStore } from './elasticsearch.ts';
import type { IndexerMetrics } from './metrics.ts';

/** First-seen keys remembered as stored; past it the memory starts again (a repeated create is harmless). */
const WRITTEN_KEYS_MAX = 10_000;

export interface DriftFlusherOptions {
  readonly counter: DriftCounter;
  readonly store: Pick<SearchStore, 'bulk' | 'putTemplate'>;
  readonly prefix: string;
  /** This indexer instance, in every document and id it writes. */
  readonly member: string;
  readonly intervalMs: number;
  /** The last flush, at close, gives up after this long. */
  readonly closeTimeoutMs: number;
  readonly logger: Logger;
  readonly metrics: IndexerMetrics;
  readonly now?: () => number;
}

export interface DriftFlusher {
  readonly name: string;
  start(): Promise<void>;
  /** Writes what was counted since the last flush; false when it could not (kept for the next one). */
  flush(): Promise<boolean>;
  /** Stops the timer and flushes once more (after the consumer stopped: the counts are final). */
  close(): Promise<void>;
}

/**
 * Writes the drift counters to Elasticsearch every `intervalMs`, off the indexing path: a flush that
 * fails is logged and its counts stay for the next one (bounded by the counter's limits); nothing
 * here waits for it, blocks a bulk or delays a commit. The drift template is put before the first
 * write, so the first daily drift index gets the mapping.
 */
export function createDriftFlusher(options: DriftFlusherOptions): DriftFlusher {
  const now = options.now ?? Date.now;
  const written = new Set<string>();
  let templated = false;
  /** Aborted at the close deadline: cuts the flush in flight short. */
  const closing = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<boolean> | undefined;
  let failures = 0;

  /** Whether anything was written; throws when it could not be. */
  const write = async (signal: AbortSignal): Promise<boolean> => {
    const dropped = options.counter.takeDropped();
    if (dropped > 0) {
      options.metrics.driftDroppedEvents.inc(dropped);
      options.logger.error({ events: dropped }, 'schema drift counts dropped: flushes failed for too long');
    }
    const snapshot = options.counter.snapshot(now());
    options.metrics.driftPendingMinutes.set(options.counter.size().minutes);
    if (snapshot.minutes.length === 0) return false;
    if (!templated) {
      const template = options.store.putTemplate(
        driftTemplateName(options.prefix),
        driftTemplate(options.prefix),
      );
      await untilAborted(template, signal);
      templated = true;
    }
    const { operations, firstSeenKeys } = driftWrites(snapshot, options.member, options.prefix, written);
    const reply = await options.store.bulk(driftBulkBody(operations), signal);
    if (reply.kind === 'failed') throw new Error(`schema drift bulk failed: ${reply.detail}`);
    const refused = operations.flatMap((operation, i) => {
      const item = reply.items[i]?.[operation.op];
      // A first-seen document that exists already is the point of `create`.
      if (operation.op === 'create' && item?.status === 409) return [];
      return statusOutcome(item?.status) === 'ok'
        ? []
        : [`${item?.status ?? 'no answer'} ${operation.index}`];
    });
    if (refused.length > 0)
      throw new Error(`schema drift documents refused: ${refused.length}, e.g. ${refused[0]}`);
    options.counter.acknowledge(snapshot);
    if (written.size + firstSeenKeys.length > WRITTEN_KEYS_MAX) written.clear();
    for (const key of firstSeenKeys) written.add(key);
    return true;
  };

  const flush = (): Promise<boolean> => {
    running ??= write(closing.signal)
      .then(
        (wrote) => {
          if (wrote) options.metrics.driftFlushes.inc({ outcome: 'ok' });
          if (failures > 0) options.logger.info({ failures }, 'schema drift counts stored again');
          failures = 0;
          return true;
        },
        (error: unknown) => {
          options.metrics.driftFlushes.inc({ outcome: 'failed' });
          // The first failure and then every tenth: an outage should not flood the log.
          if (failures++ % 10 === 0)
            options.logger.warn({ err: error, failures }, 'schema drift counts not stored; retrying');
          return false;
        },
      )
      .finally(() => {
        running = undefined;
      });
    return running;
  };

  return {
    name: 'schema-drift',
    async start() {
      timer = setInterval(() => void flush(), options.intervalMs);
      timer.unref();
    },
    flush,
    async close() {
      clearInterval(timer);
      const deadline = setTimeout(() => closing.abort(), options.closeTimeoutMs);
      try {
        await running;
        if (!closing.signal.aborted) await flush();
      } finally {
        clearTimeout(deadline);
      }
    },
  };
}

/** The promise, or a rejection as soon as the signal aborts (for calls that take no signal). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason);
    signal.addEventListener('abort', abort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}
