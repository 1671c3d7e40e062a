import type { Logger } from '@wikistream/shared';
import { sleep } from './backoff.ts';

/** The next offset to read of one partition: every message before it is handled. */
export interface PartitionOffset {
  readonly partition: number;
  readonly offset: string;
}

export interface OffsetCommitterOptions {
  /** Commits the offsets in the group's current generation; rejects when the group does not take them. */
  readonly commit: (offsets: readonly PartitionOffset[]) => Promise<void>;
  readonly onCommitted: (offsets: readonly (PartitionOffset & { readonly highWatermark: string })[]) => void;
  /** Pause before a failed commit is tried again (unless a newer offset or generation replaced it). */
  readonly retryMs: number;
  /** Gives up on what is not committed yet (shutdown deadline). */
  readonly abandon: AbortSignal;
  readonly logger: Logger;
}

interface Pending extends PartitionOffset {
  readonly highWatermark: string;
  readonly generation: number;
}

/**
 * One commit request at a time for every partition that has a new offset: offsets that arrive while
 * one is in flight are merged, and only the newest per partition is sent. A failed commit is tried
 * again, unless the group moved to a new generation, whose members read from what was committed
 * before: offsets of an older generation are never sent.
 */
export function createOffsetCommitter(options: OffsetCommitterOptions) {
  let pending = new Map<number, Pending>();
  let generation = 0;
  let active = false;
  let loop: Promise<void> = Promise.resolve();

  const run = async () => {
    for (;;) {
      const due = [...pending.values()].filter((entry) => entry.generation === generation);
      pending = new Map();
      // Cleared in the same turn as the last check, so an offset added later starts a new loop.
      if (due.length === 0 || options.abandon.aborted) {
        active = false;
        return;
      }
      try {
        await options.commit(due.map(({ partition, offset }) => ({ partition, offset })));
        options.onCommitted(due);
      } catch (error) {
        options.logger.warn({ err: error, offsets: due.length }, 'offset commit failed; trying again');
        for (const entry of due) if (!pending.has(entry.partition)) pending.set(entry.partition, entry);
        await sleep(options.retryMs, options.abandon);
      }
    }
  };

  return {
    commit(partition: number, offset: string, highWatermark: string): void {
      pending.set(partition, { partition, offset, highWatermark, generation });
      if (active) return;
      active = true;
      loop = run();
    },
    /** Offsets not sent yet are dropped: they belong to partitions this member may no longer own. */
    newGeneration(): void {
      generation++;
      pending.clear();
    },
    /** Resolves once nothing is waiting to be committed (or the deadline gave up on it). */
    async idle(): Promise<void> {
      while (active) await loop;
    },
  };
}

export type OffsetCommitter = ReturnType<typeof createOffsetCommitter>;
