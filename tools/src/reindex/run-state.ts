import type { IndexDay } from '@wikistream/shared';
import type { ReindexSource } from './args.ts';
import { daysInWindow } from './window.ts';

/**
 * A day's steps, in order. Each is idempotent and the state is saved before the step that depends
 * on it runs, so a run stopped anywhere (Ctrl-C, SIGKILL, a crash) goes on from where it was:
 * - planned: the new version's name is chosen (saved first, so a restart never picks another);
 * - copying: documents go from the current version to the new one (a resumed copy continues after
 *   the last meta.id written; Kafka: the shared pass over the topic);
 * - catching-up: what the indexer wrote to the current version since is copied too, by sequence
 *   number, until little is left;
 * - frozen: the current version refuses writes with a 429 (the indexer retries them), the last
 *   writes are copied, the counts compared;
 * - swapping: one `_aliases` call makes the new version the day's;
 * - swapped: the old version is deleted, or kept read-only;
 * - done / rolled-back.
 */
export const DAY_PHASES = [
  'planned',
  'copying',
  'catching-up',
  'frozen',
  'swapping',
  'swapped',
  'done',
  'rolled-back',
] as const;
export type DayPhase = (typeof DAY_PHASES)[number];

export interface DayState {
  readonly day: IndexDay;
  /** The version being replaced, and whether it is the plain index holding the day's name. */
  readonly current: string;
  readonly plain: boolean;
  /** The version being built. */
  readonly target: string;
  /** `--keep-old` for a plain index: where its documents are kept (its name becomes the alias). */
  readonly keep?: string | undefined;
  phase: DayPhase;
  /** Per shard of `current`: every write up to this sequence number is in the new version. */
  watermark?: number[] | undefined;
  /** The last meta.id the copy wrote (elasticsearch source; Kafka source: of the kept copy). */
  cursor?: string | undefined;
  /** Kafka source: the kept copy is complete. */
  keepCopied?: boolean | undefined;
  /** Documents in `current` when the day was planned, and when it was frozen. */
  total: number;
  finalCount?: number | undefined;
  copied: number;
  caughtUp: number;
  /** When the current version was frozen (the indexer's writes to the day wait from then to the swap). */
  frozenAt?: string | undefined;
  /** Documents the engine refused (would have been dead-lettered). */
  rejected: number;
  error?: string | undefined;
}

export interface KafkaPassState {
  readonly groupId: string;
  /** Per partition (as strings, for JSON): where reading started, and the end it stops before. */
  readonly from: Record<string, string>;
  readonly until: Record<string, string>;
  /** The ends are taken again once every day's watermark is known (before that, a dry run's guess). */
  endsFixed: boolean;
  /** The next offset to read, per partition; saved only after what came before it was written. */
  positions: Record<string, string>;
  done: boolean;
  records: number;
  written: number;
  skipped: Record<string, number>;
}

export interface Owner {
  readonly host: string;
  readonly pid: number;
  heartbeatAt: string;
}

export interface RunState {
  readonly id: string;
  readonly prefix: string;
  readonly from: string;
  readonly to: string;
  readonly source: ReindexSource;
  readonly keepOld: boolean;
  readonly startedAt: string;
  updatedAt: string;
  finishedAt?: string | undefined;
  outcome?: 'done' | 'aborted' | undefined;
  owner: Owner | null;
  days: DayState[];
  kafka?: KafkaPassState | undefined;
}

/** The run's progress lives in Elasticsearch, next to what it changes: `<prefix>_reindex/_doc/run`. */
export function stateIndex(prefix: string): string {
  return `${prefix}_reindex`;
}
export const STATE_ID = 'run';

/** Pure: whether a run's owner may still be working: its lease is fresh and, on this host, it lives. */
export function ownerActive(
  owner: Owner | null,
  now: number,
  leaseMs: number,
  self: { host: string; alive: (pid: number) => boolean },
): boolean {
  if (owner === null) return false;
  if (owner.host === self.host && !self.alive(owner.pid)) return false;
  return now - Date.parse(owner.heartbeatAt) < leaseMs;
}

/**
 * Pure: whether an unfinished run is the one these arguments ask for (then it is resumed): the same
 * days and source, so `--to now` given again still resumes.
 */
export function sameRun(run: RunState, args: { from: number; to: number; source: ReindexSource }): boolean {
  const days = (from: number, to: number) => daysInWindow(from, to).join();
  return (
    days(Date.parse(run.from), Date.parse(run.to)) === days(args.from, args.to) && run.source === args.source
  );
}

export const isFinished = (run: RunState) => run.finishedAt !== undefined;
