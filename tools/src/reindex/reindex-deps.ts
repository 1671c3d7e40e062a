import type { IndexDay, Logger } from '@wikistream/shared';
import type { Tuning } from './day-context.ts';
import type { KafkaSource } from './kafka-source.ts';
import type { Progress } from './progress.ts';
import type { DayState } from './run-state.ts';
import type { ReindexStore } from './store.ts';

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
