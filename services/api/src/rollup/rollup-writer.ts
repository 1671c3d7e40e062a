import { type Logger, parseDailyIndexName, readAlias } from '@wikistream/shared';
import type { SearchPort } from '../elasticsearch/search-types.ts';
import { ROLLUP } from '../limits.ts';
import type { Coverage } from '../query/stats-query.ts';
import {
  cellOperations,
  cellsSearchBody,
  olderRollupPatterns,
  rollupIndexName,
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
const DAY = 24 * 60 * MINUTE;
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
  /** Each day's index behind the read alias, as last rolled up. */
  let dayIndices: Map<string, string> | undefined;
  /** Days whose cells are being rebuilt: until they are, no cell is read (`coverage()` is undefined). */
  const stale = new Set<string>();

  /**
   * A day the read alias now reads from another index (`pnpm reindex` swapped it to a new version,
   * with other derived fields) has cells of the old one, some under dimensions that no longer
   * occur: its rollup index goes and its covered minutes are rolled up again from the new one.
   */
  async function redoSwappedDays(): Promise<void> {
    const current = new Map<string, string>();
    for (const name of await options.search.listIndices(raw)) {
      const parsed = parseDailyIndexName(options.prefix, name);
      if (parsed) current.set(parsed.day, name);
    }
    for (const [day, name] of current) {
      if (dayIndices?.has(day) && dayIndices.get(day) !== name) stale.add(day);
    }
    dayIndices = current;
    for (const day of [...stale]) {
      if (closed) return;
      const start = Date.parse(`${day.replaceAll('.', '-')}T00:00:00.000Z`);
      await options.search.deleteIndices([rollupIndexName(options.prefix, start)]);
      const from = Math.max(start, covered?.from ?? start);
      const to = Math.min(start + DAY, covered?.to ?? start);
      for (let chunk = from; chunk < to && !closed; chunk += ROLLUP.chunkMs)
        await rollUp(chunk, Math.min(to, chunk + ROLLUP.chunkMs));
      await options.search.refresh(`${rollupPrefix(options.prefix)}-*`);
      if (closed) return;
      stale.delete(day);
      options.logger.info({ day, index: current.get(day) }, 'rollups of a re-indexed day rebuilt');
    }
  }

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
    await redoSwappedDays();
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
    coverage: () => (stale.size > 0 ? undefined : covered),
    runOnce,
  };
}
