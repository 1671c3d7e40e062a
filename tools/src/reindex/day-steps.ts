import { ErrorCode, type Logger, readAlias, WikistreamError } from '@wikistream/shared';
import type { ReindexSource } from './args.ts';
import type { Rejection } from './bulk-writer.ts';
import { type Sink, scanInto } from './copy.ts';
import { drain, freeze, isFrozen, localCheckpoints, maxSeqNos, unfreeze } from './freeze.ts';
import type { Progress } from './progress.ts';
import { rederiveStored } from './rederive.ts';
import type { DayPhase, DayState } from './run-state.ts';
import type { StateKeeper } from './state-keeper.ts';
import type { ReindexStore } from './store.ts';
import { swapActions } from './swap-actions.ts';

export interface Tuning {
  readonly batchSize: number;
  /** Point-in-time keep-alive between two pages. */
  readonly keepAlive: string;
  /** Catch-up rounds before freezing, at most; a round copying no more than `enough` ends them. */
  readonly catchUpRounds: number;
  readonly enough: number;
  /** How long a frozen index must stay settled before its last catch-up; and the give-up time. */
  readonly quietMs: number;
  readonly pollMs: number;
  readonly drainTimeoutMs: number;
}

export const DEFAULT_TUNING: Tuning = {
  batchSize: 1000,
  keepAlive: '5m',
  catchUpRounds: 5,
  enough: 1000,
  quietMs: 1_000,
  pollMs: 100,
  drainTimeoutMs: 120_000,
};

export interface DayContext {
  readonly store: ReindexStore;
  readonly prefix: string;
  readonly source: ReindexSource;
  readonly keeper: StateKeeper;
  readonly progress: Progress;
  readonly logger: Logger;
  readonly tuning: Tuning;
  readonly signal: AbortSignal;
  /** Settings a finished version gets back (the template's refresh interval and replicas). */
  readonly liveSettings: Record<string, unknown>;
  /** Called after each step's state is saved (tests stop a run there). */
  readonly afterStep?: ((day: DayState) => Promise<void>) | undefined;
}

/** While a version is built: no refreshes, no replicas (both come back before the swap). */
export const BUILD_SETTINGS = { 'index.refresh_interval': '-1', 'index.number_of_replicas': 0 };

const identity = (source: Record<string, unknown>) => JSON.stringify(source);

/** Where the documents of `current` go: the new version, re-derived; the kept copy, as they are. */
export function sinks(day: DayState, withTarget = true): Sink[] {
  return [
    ...(withTarget
      ? [
          {
            index: day.target,
            transform: (source: Record<string, unknown>) => JSON.stringify(rederiveStored(source)),
          },
        ]
      : []),
    ...(day.keep ? [{ index: day.keep, transform: identity }] : []),
  ];
}

async function enter(ctx: DayContext, day: DayState, phase: DayPhase): Promise<void> {
  day.phase = phase;
  await ctx.keeper.save();
  ctx.progress.update({ day: day.day, step: phase });
  await ctx.afterStep?.(day);
}

function noteRejected(ctx: DayContext, day: DayState, rejected: readonly Rejection[]): void {
  if (rejected.length === 0) return;
  day.rejected += rejected.length;
  ctx.logger.warn(
    { day: day.day, refused: rejected.slice(0, 5), count: rejected.length },
    'documents refused',
  );
}

/** planned → copying: the new version exists (and the kept copy), and where the copy starts is known. */
export async function prepare(ctx: DayContext, day: DayState): Promise<void> {
  const { store } = ctx;
  await store.createIndex(day.target, BUILD_SETTINGS);
  if (day.keep) await store.createIndex(day.keep, BUILD_SETTINGS);
  // Defensive: a version built without its template would sit in the read alias half-built.
  if ((await store.aliasMembers(readAlias(ctx.prefix))).has(day.target))
    throw new Error(
      `${day.target} is in the read alias before its swap: is the versions template installed?`,
    );
  // The checkpoint first, then a refresh: every write up to it is visible to the copy that follows;
  // everything after it is the catch-up's.
  day.watermark = localCheckpoints(await store.checkpoints(day.current));
  await store.refresh(day.current);
  day.total = await store.count(day.current);
  day.cursor = undefined;
  day.copied = 0;
  await enter(ctx, day, 'copying');
}

/**
 * copying → catching-up (elasticsearch source): every document of `current` into the new version,
 * re-derived. Returns false when stopped (Ctrl-C) before the end; the cursor is saved.
 */
export async function copyStored(ctx: DayContext, day: DayState, withTarget = true): Promise<boolean> {
  const base = ctx.progress.view.done - day.copied;
  const result = await scanInto(ctx.store, {
    index: day.current,
    query: { match_all: {} },
    after: day.cursor,
    sinks: sinks(day, withTarget),
    size: ctx.tuning.batchSize,
    keepAlive: ctx.tuning.keepAlive,
    signal: ctx.signal,
    onPage: async (page) => {
      day.copied += page.copied;
      day.cursor = page.last;
      noteRejected(ctx, day, page.rejected);
      ctx.progress.update({ done: base + day.copied });
      await ctx.keeper.saveSoon();
    },
  });
  await ctx.keeper.save();
  return result.complete;
}

export async function finishCopy(ctx: DayContext, day: DayState): Promise<void> {
  await enter(ctx, day, 'catching-up');
}

/** Copies what was written to `current` above the watermark; moves the watermark. */
async function copyDelta(ctx: DayContext, day: DayState): Promise<number> {
  const { store } = ctx;
  const checkpoints = await store.checkpoints(day.current);
  await store.refresh(day.current);
  const from = Math.min(...(day.watermark ?? [-1]).map((value) => value ?? -1));
  const result = await scanInto(store, {
    index: day.current,
    query: { range: { _seq_no: { gt: from } } },
    sinks: sinks(day),
    size: ctx.tuning.batchSize,
    keepAlive: ctx.tuning.keepAlive,
  });
  noteRejected(ctx, day, result.rejected);
  day.watermark = localCheckpoints(checkpoints);
  day.caughtUp += result.copied;
  return result.copied;
}

/** catching-up → frozen: rounds of catch-up while the indexer writes on, until a round is small. */
export async function catchUp(ctx: DayContext, day: DayState): Promise<boolean> {
  for (let round = 0; round < ctx.tuning.catchUpRounds; round++) {
    if (ctx.signal.aborted) return false;
    const copied = await copyDelta(ctx, day);
    await ctx.keeper.save();
    ctx.logger.debug({ day: day.day, round, copied }, 'caught up');
    if (copied <= ctx.tuning.enough) break;
  }
  await enter(ctx, day, 'frozen');
  return true;
}

/**
 * frozen → swapping: `current` refuses writes with a 429 (the indexer retries them, and after the
 * swap they reach the new version), the writes under way finish, the last ones are copied, the
 * new version gets its live settings, and both hold the same documents — or the day is rolled back.
 * Not stopped by Ctrl-C: the pipeline waits on a frozen day, so it is kept short and finished.
 */
export async function freezeAndVerify(ctx: DayContext, day: DayState): Promise<void> {
  const { store, tuning } = ctx;
  const frozenAt = Date.now();
  for (;;) {
    await freeze(store, day.current);
    await drain(store, day.current, {
      quietMs: tuning.quietMs,
      pollMs: tuning.pollMs,
      timeoutMs: tuning.drainTimeoutMs,
    });
    await copyDelta(ctx, day);
    // Should the block have been lifted meanwhile (the disk monitor lifts flood-stage blocks once a
    // disk has room again), writes may have come: freeze and catch up again.
    const after = await store.checkpoints(day.current);
    const still = await isFrozen(store, day.current);
    if (still && maxSeqNos(after).every((max, shard) => max <= (day.watermark?.[shard] ?? -1))) break;
    ctx.logger.warn(
      { day: day.day, index: day.current },
      'writes reached the frozen version; catching up again',
    );
  }
  // What the indexer waits on: from the freeze to here (the swap follows at once).
  ctx.logger.info(
    { day: day.day, index: day.current, frozenMs: Date.now() - frozenAt },
    'last writes copied',
  );
  for (const index of [day.target, ...(day.keep ? [day.keep] : [])]) {
    await store.putSettings(index, ctx.liveSettings);
    await store.refresh(index);
  }
  const [current, rebuilt] = await Promise.all([store.count(day.current), store.count(day.target)]);
  day.finalCount = current;
  if (current !== rebuilt) {
    const message = `${day.day}: the new version holds ${rebuilt} documents, the current one ${current}${
      day.rejected > 0 ? ` (${day.rejected} refused)` : ''
    }${ctx.source === 'kafka' ? '; the topic may no longer hold the whole day: use --source elasticsearch' : ''}`;
    await rollBack(ctx, day, false, message);
    throw new WikistreamError(ErrorCode.ReindexIncomplete, message, {
      details: { day: day.day, current, rebuilt, refused: day.rejected },
    });
  }
  await enter(ctx, day, 'swapping');
}

/** Whether the swap happened: the read alias holds the new version. */
async function swapped(ctx: DayContext, day: DayState): Promise<boolean> {
  return (await ctx.store.aliasMembers(readAlias(ctx.prefix))).has(day.target);
}

/** swapping → swapped: one atomic `_aliases` call (done already when resumed after it). */
export async function swap(ctx: DayContext, day: DayState): Promise<void> {
  if (!(await swapped(ctx, day))) {
    await ctx.store.updateAliases(
      swapActions({
        prefix: ctx.prefix,
        dayName: `${ctx.prefix}-${day.day}`,
        current: day.current,
        plain: day.plain,
        target: day.target,
      }),
    );
  }
  ctx.logger.info({ day: day.day, from: day.current, to: day.target }, 'day swapped');
  await enter(ctx, day, 'swapped');
}

/** swapped → done: the old version goes (or stays, read-only, with `--keep-old`). */
export async function cleanUp(ctx: DayContext, day: DayState, keepOld: boolean): Promise<void> {
  const { store } = ctx;
  if (!day.plain && (await store.exists(day.current))) {
    if (keepOld) {
      await store.putSettings(day.current, { 'index.blocks.write': true });
      await unfreeze(store, day.current);
    } else await store.deleteIndices([day.current]);
  }
  if (day.keep) await store.putSettings(day.keep, { 'index.blocks.write': true });
  await enter(ctx, day, 'done');
}

/**
 * Undoes a day that was not swapped: `current` takes writes again, the new version (and the kept
 * copy) go. A day swapped already is finished instead: it is the day's now.
 */
export async function rollBack(
  ctx: DayContext,
  day: DayState,
  keepOld: boolean,
  reason?: string,
): Promise<void> {
  if (day.phase === 'done' || day.phase === 'rolled-back') return;
  if (day.phase === 'swapped' || (day.phase === 'swapping' && (await swapped(ctx, day)))) {
    if (day.phase === 'swapping') await enter(ctx, day, 'swapped');
    await cleanUp(ctx, day, keepOld);
    return;
  }
  const { store } = ctx;
  if (await store.exists(day.current)) await unfreeze(store, day.current);
  await store.deleteIndices([day.target, ...(day.keep ? [day.keep] : [])]);
  day.error = reason;
  ctx.logger.warn({ day: day.day, reason }, 'day rolled back');
  await enter(ctx, day, 'rolled-back');
}

/** After a failure: a frozen day that was not swapped takes writes again (best effort; resumable). */
export async function thaw(ctx: DayContext, day: DayState): Promise<void> {
  if (day.phase !== 'frozen' && day.phase !== 'swapping') return;
  try {
    if (!(await swapped(ctx, day)) && (await ctx.store.exists(day.current)))
      await unfreeze(ctx.store, day.current);
  } catch (error) {
    ctx.logger.warn(
      { err: error, day: day.day, index: day.current },
      'cannot lift the freeze; run again to finish',
    );
  }
}
