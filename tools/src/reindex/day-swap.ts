import { ErrorCode, readAlias, WikistreamError } from '@wikistream/shared';
import { type DayContext, enter } from './day-context.ts';
import { copyDelta } from './day-copy.ts';
import { drain, freeze, isFrozen, maxSeqNos, unfreeze } from './freeze.ts';
import type { DayState } from './run-state.ts';
import { swapActions } from './swap-actions.ts';

/**
 * frozen → swapping: `current` refuses writes with a 429 (the indexer retries them, and after the
 * swap they reach the new version), the writes under way finish, the last ones are copied, and both
 * versions hold the same documents — or the day is rolled back.
 * Not stopped by Ctrl-C: the pipeline waits on a frozen day, so it is kept short and finished.
 */
export async function freezeAndVerify(ctx: DayContext, day: DayState): Promise<void> {
  const { store, tuning } = ctx;
  day.frozenAt ??= new Date().toISOString();
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
  for (const index of [day.target, ...(day.keep ? [day.keep] : [])]) await store.refresh(index);
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
  // How long the indexer's writes to the day waited: from the freeze to the swap.
  const frozenMs = day.frozenAt === undefined ? undefined : Date.now() - Date.parse(day.frozenAt);
  ctx.logger.info({ day: day.day, from: day.current, to: day.target, frozenMs }, 'day swapped');
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
