import { randomUUID } from 'node:crypto';
import {
  ErrorCode,
  type IndexDay,
  indexPattern,
  indexTemplateName,
  type Logger,
  TEMPLATE_VERSION,
  versionedIndexName,
  WikistreamError,
} from '@wikistream/shared';
import type { ReindexArgs } from './args.ts';
import {
  catchUp,
  cleanUp,
  copyStored,
  type DayContext,
  finishCopy,
  freezeAndVerify,
  prepare,
  rollBack,
  swap,
  type Tuning,
  thaw,
} from './day-steps.ts';
import { describeRun } from './describe.ts';
import { fixEnds, kafkaPassState, planKafka, runKafkaPass } from './kafka-pass.ts';
import type { KafkaSource } from './kafka-source.ts';
import { dayLayouts, nextVersionName } from './layout.ts';
import type { Progress } from './progress.ts';
import {
  type DayState,
  isFinished,
  ownerActive,
  type RunState,
  STATE_ID,
  sameRun,
  stateIndex,
} from './run-state.ts';
import { createStateKeeper, type StateKeeper } from './state-keeper.ts';
import type { ReindexStore, Versioned } from './store.ts';
import { ensureTemplates, templateOptions } from './templates.ts';
import { daysInWindow } from './window.ts';

export interface ReindexDeps {
  readonly store: ReindexStore;
  /** Needed for `--source kafka` only. */
  readonly kafka?: KafkaSource | undefined;
  readonly prefix: string;
  readonly topic: string;
  /** How many days after its day an event may still arrive (EVENT_TIME_MAX_AGE_DAYS). */
  readonly lateDays: number;
  readonly logger: Logger;
  readonly progress: Progress;
  readonly clock: () => number;
  /** This process, and whether a process of this host lives (a dead owner's run is taken over). */
  readonly self: { readonly host: string; readonly pid: number; alive(pid: number): boolean };
  readonly signal: AbortSignal;
  readonly tuning: Tuning;
  readonly leaseMs: number;
  readonly heartbeatMs: number;
  readonly saveIntervalMs: number;
  /** The dry run's report goes here (stdout). */
  readonly out: (line: string) => void;
  readonly afterStep?: ((day: DayState) => Promise<void>) | undefined;
}

export interface ReindexSummary {
  readonly outcome: 'done' | 'stopped' | 'dry-run' | 'aborted' | 'nothing';
  readonly run?: string;
  readonly days: readonly {
    readonly day: IndexDay;
    readonly from: string;
    readonly to: string;
    readonly phase: string;
    readonly documents: number;
    readonly caughtUp: number;
  }[];
  readonly documents: number;
  readonly elapsedMs: number;
  readonly perSecond: number;
}

const ENDED = new Set(['done', 'rolled-back']);

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

/** A new run: the days of the window that have an index, each with the name of its next version. */
async function planRun(
  deps: ReindexDeps,
  args: ReindexArgs,
): Promise<{ run: RunState; missing: IndexDay[] }> {
  const { store, prefix } = deps;
  const listing = await store.aliases(indexPattern(prefix));
  const layouts = dayLayouts(prefix, daysInWindow(args.from, args.to), listing);
  const days: DayState[] = [];
  for (const layout of layouts) {
    if (layout.current === undefined) continue;
    const keep = args.keepOld && layout.plain ? versionedIndexName(prefix, layout.day, 1) : undefined;
    if (keep !== undefined && listing[keep] !== undefined)
      throw new WikistreamError(
        ErrorCode.ReindexIncomplete,
        `${keep} exists already: delete it to keep the old version there`,
      );
    days.push({
      day: layout.day,
      current: layout.current,
      plain: layout.plain,
      target: nextVersionName(prefix, layout),
      keep,
      phase: 'planned',
      total: await store.count(layout.current),
      copied: 0,
      caughtUp: 0,
      rejected: 0,
    });
  }
  const now = new Date(deps.clock()).toISOString();
  const id = randomUUID();
  let kafka: RunState['kafka'];
  if (args.source === 'kafka' && days.length > 0) {
    if (!deps.kafka) throw new Error('reading Kafka needs a Kafka source');
    const plan = await planKafka(
      deps.kafka,
      deps.topic,
      days.map((day) => day.day),
      deps.lateDays,
    );
    kafka = kafkaPassState(`wikistream-reindex.${prefix}.${id}`, plan);
  }
  const run: RunState = {
    id,
    prefix,
    from: new Date(args.from).toISOString(),
    to: new Date(args.to).toISOString(),
    source: args.source,
    keepOld: args.keepOld,
    startedAt: now,
    updatedAt: now,
    owner: null,
    days,
    ...(kafka ? { kafka } : {}),
  };
  return {
    run,
    missing: layouts.filter((layout) => layout.current === undefined).map((layout) => layout.day),
  };
}

async function templatesNote(store: ReindexStore, prefix: string): Promise<string | undefined> {
  const installed = await store.templateVersion(indexTemplateName(prefix));
  if (installed === TEMPLATE_VERSION) return undefined;
  return `Installs index template version ${TEMPLATE_VERSION} (installed: ${installed ?? 'none'}) and the versions template.`;
}

async function liveSettings(store: ReindexStore, prefix: string): Promise<Record<string, unknown>> {
  const options = templateOptions(await store.templateSettings(indexTemplateName(prefix)));
  return {
    'index.refresh_interval': options.refreshInterval ?? '1s',
    'index.number_of_replicas': options.replicas ?? 0,
  };
}

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

async function execute(ctx: DayContext, deps: ReindexDeps, run: RunState): Promise<boolean> {
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
