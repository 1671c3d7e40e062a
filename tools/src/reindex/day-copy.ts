import { readAlias } from '@wikistream/shared';
import { type Sink, scanInto } from './copy.ts';
import { type DayContext, enter, noteRejected } from './day-context.ts';
import { localCheckpoints } from './freeze.ts';
import { rederiveStored } from './rederive.ts';
import type { DayState } from './run-state.ts';

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
export async function copyDelta(ctx: DayContext, day: DayState): Promise<number> {
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
  // Refreshes and replicas back now, not while the day is frozen: only a little is written after.
  for (const index of [day.target, ...(day.keep ? [day.keep] : [])])
    await ctx.store.putSettings(index, ctx.liveSettings);
  await enter(ctx, day, 'frozen');
  return true;
}
