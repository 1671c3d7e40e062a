import type { Logger } from '@wikistream/shared';
import type { ReindexSource } from './args.ts';
import type { Rejection } from './bulk-writer.ts';
import type { Progress } from './progress.ts';
import type { DayPhase, DayState } from './run-state.ts';
import type { StateKeeper } from './state-keeper.ts';
import type { ReindexStore } from './store.ts';

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

export async function enter(ctx: DayContext, day: DayState, phase: DayPhase): Promise<void> {
  day.phase = phase;
  await ctx.keeper.save();
  ctx.progress.update({ day: day.day, step: phase });
  await ctx.afterStep?.(day);
}

export function noteRejected(ctx: DayContext, day: DayState, rejected: readonly Rejection[]): void {
  if (rejected.length === 0) return;
  day.rejected += rejected.length;
  ctx.logger.warn(
    { day: day.day, refused: rejected.slice(0, 5), count: rejected.length },
    'documents refused',
  );
}
