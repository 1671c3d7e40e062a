import { type Logger, readAlias } from '@wikistream/shared';
import type { SearchPort } from '../elasticsearch/search-types.ts';
import { ROLLUP } from '../limits.ts';
import type { Coverage } from '../query/stats-query.ts';
import {
  cellOperations,
  cellsSearchBody,
  olderRollupPatterns,
  rollupPrefix,
  rollupTemplate,
} from './rollup-index.ts';

export interface RollupWriter {
  readonly name: string;
  start(): Promise<void>;
  close(): Promise<void>;
  /** Minutes this process has rolled up, without holes; undefined before the first chunk. */
  coverage(): Coverage | undefined;
  /** One pass: backfill, then the newest closed minutes (also recomputing the recent ones). */
  runOnce(): Promise<void>;
}

export interface RollupWriterOptions {
  readonly search: SearchPort;
  readonly prefix: string;
  readonly clock: () => number;
  readonly logger: Logger;
  readonly intervalMs: number;
  /** How far back the first pass starts. */
  readonly backfillMs: number;
  /** Daily rollup indices older than this are deleted. */
  readonly retentionMs: number;
}

const MINUTE = 60_000;
const floorMinute = (ms: number) => Math.floor(ms / MINUTE) * MINUTE;

/**
 * Computes per-minute rollup cells from the raw documents. Idempotent: a cell's id is its minute and
 * dimensions, and a recomputed minute overwrites its cells with fresh counts. Minutes are closed
 * ROLLUP.settleMs after they end and recomputed for ROLLUP.recomputeMs, for events that arrive late.
 * Several api processes may run it at once; they write the same cells.
 */
export function createRollupWriter(options: RollupWriterOptions): RollupWriter {
  const raw = readAlias(options.prefix);
  let covered: Coverage | undefined;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let closed = false;

  async function rollUp(from: number, to: number): Promise<void> {
    let after: Record<string, unknown> | undefined;
    do {
      const answer = await options.search.search({ index: raw, body: cellsSearchBody(from, to, after) });
      const cells = answer.aggregations?.cells as
        | { buckets: Parameters<typeof cellOperations>[1]; after_key?: Record<string, unknown> }
        | undefined;
      const buckets = cells?.buckets ?? [];
      if (buckets.length > 0) await options.search.bulk(cellOperations(options.prefix, buckets));
      after = buckets.length > 0 ? cells?.after_key : undefined;
    } while (after && !closed);
  }

  let templated = false;
  let caughtUp = false;

  /** Rollup days entirely older than the retention go, as the indexer deletes old raw days. */
  async function expire(now: number): Promise<void> {
    const pattern = `${rollupPrefix(options.prefix)}-*`;
    const oldest = new Date(now - options.retentionMs).toISOString().slice(0, 10).replaceAll('-', '.');
    const names = await options.search.listIndices(pattern);
    await options.search.deleteIndices(names.filter((name) => (name.split('-').at(-1) ?? '') < oldest));
  }

  /** Cells of an older layout are never read: their indices go, once, before the first pass. */
  async function dropOlderLayouts(): Promise<void> {
    for (const pattern of olderRollupPatterns(options.prefix)) {
      const names = await options.search.listIndices(pattern);
      if (names.length === 0) continue;
      await options.search.deleteIndices(names);
      options.logger.info({ indices: names.length, pattern }, 'rollups of an older layout removed');
    }
  }

  async function pass(): Promise<void> {
    // The mapping must exist before the first cell is written, or the index maps itself dynamically.
    if (!templated) {
      await dropOlderLayouts();
      await options.search.putIndexTemplate(
        `${rollupPrefix(options.prefix)}-template`,
        rollupTemplate(options.prefix),
      );
      templated = true;
    }
    const end = floorMinute(options.clock() - ROLLUP.settleMs);
    let from = covered
      ? Math.max(covered.from, covered.to - ROLLUP.recomputeMs)
      : floorMinute(end - options.backfillMs);
    while (from < end && !closed) {
      const to = Math.min(end, from + ROLLUP.chunkMs);
      await rollUp(from, to);
      await options.search.refresh(`${rollupPrefix(options.prefix)}-*`);
      covered = { from: covered?.from ?? from, to: Math.max(covered?.to ?? to, to) };
      from = to;
    }
    if (!closed) await expire(options.clock());
    if (!caughtUp && covered) {
      caughtUp = true;
      options.logger.info({ from: new Date(covered.from), to: new Date(covered.to) }, 'rollups caught up');
    }
  }

  const runOnce = (): Promise<void> => {
    running ??= pass().finally(() => {
      running = undefined;
    });
    return running;
  };

  return {
    name: 'rollup-writer',
    async start() {
      await options.search.putIndexTemplate(
        `${rollupPrefix(options.prefix)}-template`,
        rollupTemplate(options.prefix),
      );
      // One failed pass is routine (an index created a moment ago, its shards not started yet);
      // failing again on the next pass is worth an operator's look.
      let failures = 0;
      const tick = () =>
        runOnce()
          .then(() => {
            failures = 0;
          })
          .catch((error: unknown) => {
            failures++;
            options.logger[failures > 1 ? 'warn' : 'info'](
              { err: error, failures },
              'rollup pass failed; retrying',
            );
          })
          .finally(() => {
            if (closed) return;
            timer = setTimeout(tick, options.intervalMs);
            timer.unref();
          });
      void tick();
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      await running?.catch(() => undefined);
    },
    coverage: () => covered,
    runOnce,
  };
}
