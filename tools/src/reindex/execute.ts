import type { DayContext } from './day-context.ts';
import { catchUp, copyStored, finishCopy, prepare } from './day-copy.ts';
import { cleanUp, freezeAndVerify, rollBack, swap } from './day-swap.ts';
import { fixEnds, runKafkaPass } from './kafka-pass.ts';
import type { KafkaSource } from './kafka-source.ts';
import type { ReindexDeps } from './reindex-deps.ts';
import type { DayState, RunState } from './run-state.ts';

const ENDED = new Set(['done', 'rolled-back']);

const BEFORE_SWAP = new Set(['planned', 'copying', 'catching-up', 'frozen']);

/**
 * A day whose current version is gone before its swap (retention deleted the day meanwhile) is
 * rolled back: there is nothing left to rebuild or to swap out.
 */
async function vanished(ctx: DayContext, day: DayState, keepOld: boolean): Promise<boolean> {
  if (!BEFORE_SWAP.has(day.phase) || (await ctx.store.exists(day.current))) return false;
  await rollBack(ctx, day, keepOld, `${day.current} is gone (deleted by retention?)`);
  return true;
}

/** One day, from wherever it stands to done. Returns false when stopped (Ctrl-C) on the way. */
async function finishDay(ctx: DayContext, day: DayState, keepOld: boolean): Promise<boolean> {
  if (await vanished(ctx, day, keepOld)) return true;
  if (day.phase === 'planned') await prepare(ctx, day);
  if (day.phase === 'copying') {
    if (!(await copyStored(ctx, day))) return false;
    await finishCopy(ctx, day);
  }
  if (day.phase === 'catching-up' && !(await catchUp(ctx, day))) return false;
  if (day.phase === 'frozen') await freezeAndVerify(ctx, day);
  if (day.phase === 'swapping') await swap(ctx, day);
  if (day.phase === 'swapped') await cleanUp(ctx, day, keepOld);
  return true;
}

export async function execute(ctx: DayContext, deps: ReindexDeps, run: RunState): Promise<boolean> {
  const open = run.days.filter((day) => !ENDED.has(day.phase));
  const daysDone = () => run.days.filter((day) => ENDED.has(day.phase)).length;
  const documents = () => ({
    unit: 'documents' as const,
    done: run.days.reduce((sum, day) => sum + day.copied, 0),
    total: run.days.reduce((sum, day) => sum + day.total, 0),
  });
  ctx.progress.update({ daysTotal: run.days.length, daysDone: daysDone(), ...documents() });
  if (run.source === 'kafka' && run.kafka) {
    for (const day of open)
      if (!(await vanished(ctx, day, run.keepOld)) && day.phase === 'planned') await prepare(ctx, day);
    const copying = open.filter((day) => day.phase === 'copying');
    // The kept copy of a plain index comes from the stored documents, whatever the source.
    for (const day of copying) if (day.keep && !day.keepCopied && !(await copyKept(ctx, day))) return false;
    if (copying.length > 0) {
      await fixEnds(
        deps.kafka as KafkaSource,
        deps.topic,
        run.kafka,
        run.days.map((day) => day.day),
        deps.lateDays,
      );
      await ctx.keeper.save();
      const read = await runKafkaPass({
        kafka: deps.kafka as KafkaSource,
        store: deps.store,
        topic: deps.topic,
        pass: run.kafka,
        days: copying,
        keeper: ctx.keeper,
        progress: ctx.progress,
        signal: ctx.signal,
      });
      if (!read) return false;
      for (const day of copying) await finishCopy(ctx, day);
      ctx.progress.update(documents());
    }
  }
  for (const day of open) {
    ctx.progress.update({ day: day.day, step: day.phase });
    if (!(await finishDay(ctx, day, run.keepOld))) return false;
    ctx.progress.update({ daysDone: daysDone() });
  }
  return true;
}

/** Kafka source: the kept copy of a plain index is made from its stored documents, as they are. */
async function copyKept(ctx: DayContext, day: DayState): Promise<boolean> {
  const copied = day.copied;
  const complete = await copyStored(ctx, day, false);
  day.copied = copied;
  if (complete) {
    day.keepCopied = true;
    await ctx.keeper.save();
  }
  return complete;
}
