import { indexPattern, type Logger } from '@wikistream/shared';
import type { SearchStore } from './elasticsearch.ts';
import type { IndexerMetrics } from './metrics.ts';
import { expiredIndices } from './retention.ts';

export interface RetentionOptions {
  readonly store: Pick<SearchStore, 'listIndices' | 'deleteIndices'>;
  readonly prefix: string;
  readonly retentionDays: number;
  readonly intervalMs: number;
  readonly logger: Logger;
  readonly metrics?: IndexerMetrics;
  readonly now?: () => Date;
}

export interface RetentionJob {
  readonly name: string;
  start(): Promise<void>;
  /** Deletes the expired daily indices now; returns their names. */
  runOnce(): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * Deletes daily indices older than the retention, now and then every interval. Names are listed
 * first (the engine refuses wildcard deletes) and deleted with ignore_unavailable, so several
 * indexers doing it at the same moment is fine.
 */
export function createRetentionJob(options: RetentionOptions): RetentionJob {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  const runOnce = async (): Promise<string[]> => {
    const names = await options.store.listIndices(indexPattern(options.prefix));
    const expired = expiredIndices(
      names,
      options.prefix,
      options.retentionDays,
      options.now?.() ?? new Date(),
    );
    if (expired.length === 0) return [];
    await options.store.deleteIndices(expired);
    options.metrics?.retentionDeleted.inc(expired.length);
    options.logger.info(
      { indices: expired, retentionDays: options.retentionDays },
      'expired daily indices deleted',
    );
    return expired;
  };
  const tick = () => {
    running = runOnce().catch((error: unknown) => {
      options.metrics?.retentionFailures.inc();
      options.logger.warn({ err: error }, 'retention run failed; next try at the next interval');
    });
    return running;
  };
  return {
    name: 'retention',
    async start() {
      await tick();
      timer = setInterval(tick, options.intervalMs);
      timer.unref();
    },
    runOnce,
    async close() {
      clearInterval(timer);
      await running;
    },
  };
}
