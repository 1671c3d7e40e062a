import { ErrorCode, WikistreamError } from '@wikistream/shared';
import type { ReindexArgs } from './args.ts';
import type { DayContext } from './day-context.ts';
import { rollBack, thaw } from './day-swap.ts';
import { describeRun } from './describe.ts';
import { execute } from './execute.ts';
import { liveSettings, planRun, templatesNote } from './plan-run.ts';
import type { ReindexDeps, ReindexSummary } from './reindex-deps.ts';
import { isFinished, ownerActive, type RunState, STATE_ID, sameRun, stateIndex } from './run-state.ts';
import { createStateKeeper, type StateKeeper } from './state-keeper.ts';
import type { Versioned } from './store.ts';
import { ensureTemplates } from './templates.ts';

export type { ReindexDeps, ReindexSummary } from './reindex-deps.ts';

function summary(
  run: RunState | undefined,
  outcome: ReindexSummary['outcome'],
  elapsedMs: number,
): ReindexSummary {
  const days = (run?.days ?? []).map((day) => ({
    day: day.day,
    from: day.current,
    to: day.target,
    phase: day.phase,
    documents: day.finalCount ?? day.total,
    caughtUp: day.caughtUp,
  }));
  const documents = (run?.days ?? []).reduce((sum, day) => sum + day.copied + day.caughtUp, 0);
  return {
    outcome,
    ...(run ? { run: run.id } : {}),
    days,
    documents,
    elapsedMs,
    perSecond: elapsedMs > 0 ? Math.round((documents * 1000) / elapsedMs) : 0,
  };
}

async function takeOver(
  deps: ReindexDeps,
  run: RunState,
  version: Versioned<RunState> | 'absent',
): Promise<StateKeeper> {
  run.owner = { host: deps.self.host, pid: deps.self.pid, heartbeatAt: new Date(deps.clock()).toISOString() };
  const keeper = await createStateKeeper({
    store: deps.store,
    run,
    version,
    clock: deps.clock,
    saveIntervalMs: deps.saveIntervalMs,
    heartbeatMs: deps.heartbeatMs,
    logger: deps.logger,
  });
  await keeper.save();
  keeper.startHeartbeat();
  return keeper;
}

function context(
  deps: ReindexDeps,
  run: RunState,
  keeper: StateKeeper,
  settings: Record<string, unknown>,
): DayContext {
  return {
    store: deps.store,
    prefix: deps.prefix,
    source: run.source,
    keeper,
    progress: deps.progress,
    logger: deps.logger,
    tuning: deps.tuning,
    signal: deps.signal,
    liveSettings: settings,
    afterStep: deps.afterStep,
  };
}

/**
 * `pnpm reindex`: rebuilds the days of a window into new versions and swaps them in, resuming an
 * unfinished run of the same window (or rolling it back with `abort`). The run's state lives in
 * `<prefix>_reindex`; one process owns it at a time.
 */
export async function runReindex(deps: ReindexDeps, args: ReindexArgs): Promise<ReindexSummary> {
  const started = deps.clock();
  const elapsed = () => deps.clock() - started;
  const { store, prefix, logger } = deps;
  const loaded = await store.getDocument<RunState>(stateIndex(prefix), STATE_ID);
  const unfinished = loaded && !isFinished(loaded.doc) ? loaded : undefined;
  if (unfinished && ownerActive(unfinished.doc.owner, deps.clock(), deps.leaseMs, deps.self)) {
    const owner = unfinished.doc.owner;
    throw new WikistreamError(
      ErrorCode.ReindexInProgress,
      `another re-index is running (pid ${owner?.pid} on ${owner?.host}, last seen ${owner?.heartbeatAt})`,
    );
  }
  if (args.abort) {
    if (!unfinished) return summary(undefined, 'nothing', elapsed());
    if (args.dryRun) {
      deps.out(
        `Dry run: would roll back the unfinished run ${unfinished.doc.id} (${unfinished.doc.from} – ${unfinished.doc.to}).`,
      );
      return summary(unfinished.doc, 'dry-run', elapsed());
    }
    return abort(deps, unfinished, elapsed);
  }
  if (unfinished && !sameRun(unfinished.doc, args)) {
    const run = unfinished.doc;
    throw new WikistreamError(
      ErrorCode.ReindexInProgress,
      `an unfinished re-index of ${run.from} – ${run.to} (source ${run.source}) exists: run it again with those arguments to finish it, or with --abort to roll it back`,
    );
  }
  const planned = unfinished ? { run: unfinished.doc, missing: [] } : await planRun(deps, args);
  const { run } = planned;
  if (args.dryRun) {
    const templates = await templatesNote(store, prefix);
    for (const line of describeRun(run, {
      resuming: unfinished !== undefined,
      missing: planned.missing,
      topic: deps.topic,
      templates,
    }))
      deps.out(line);
    return summary(run, 'dry-run', elapsed());
  }
  if (run.days.length === 0) return summary(run, 'nothing', elapsed());
  await ensureTemplates(store, prefix, logger);
  if (unfinished)
    logger.info({ run: run.id, from: run.from, to: run.to }, 'resuming the unfinished re-index');
  const keeper = await takeOver(deps, run, unfinished ?? loaded ?? 'absent');
  const ctx = context(deps, run, keeper, await liveSettings(store, prefix));
  try {
    if (!(await execute(ctx, deps, run))) {
      await keeper.release();
      logger.info({ run: run.id }, 'stopped; the same command resumes it');
      return summary(run, 'stopped', elapsed());
    }
    run.finishedAt = new Date(deps.clock()).toISOString();
    run.outcome = 'done';
    await keeper.release();
    if (run.kafka) await deps.kafka?.deleteGroup(run.kafka.groupId);
    return summary(run, 'done', elapsed());
  } catch (error) {
    for (const day of run.days) await thaw(ctx, day);
    await keeper
      .release()
      .catch((failure: unknown) => logger.warn({ err: failure }, 'cannot save the state'));
    throw error;
  } finally {
    deps.progress.print();
  }
}

async function abort(
  deps: ReindexDeps,
  unfinished: Versioned<RunState>,
  elapsed: () => number,
): Promise<ReindexSummary> {
  const run = unfinished.doc;
  const keeper = await takeOver(deps, run, unfinished);
  const ctx = context(deps, run, keeper, await liveSettings(deps.store, deps.prefix));
  try {
    for (const day of run.days) await rollBack(ctx, day, run.keepOld, 'aborted');
    run.finishedAt = new Date(deps.clock()).toISOString();
    run.outcome = 'aborted';
    await keeper.release();
    if (run.kafka) await deps.kafka?.deleteGroup(run.kafka.groupId);
    return summary(run, 'aborted', elapsed());
  } catch (error) {
    await keeper.release().catch(() => undefined);
    throw error;
  }
}
