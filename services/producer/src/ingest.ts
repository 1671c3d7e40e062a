import { DeadLetterReason, type GapRecord } from '@wikistream/shared';
import {
  type ClassifyOptions,
  classifyFrame,
  type Frame,
  type FrameOutcome,
  messageOf,
  type OutMessage,
  rejectFrame,
} from './classify-frame.ts';
import type { CursorOwner, CursorRecord } from './cursor-record.ts';
import { createDedupeWindow, type WindowLimits } from './dedupe-window.ts';
import { MAX_ID_AHEAD_MS } from './defaults.ts';
import {
  checkGap,
  cursorResetGap,
  type GapReference,
  redirectRefusedGap,
  resumeGap,
  startedLiveGap,
} from './gap-check.ts';
import { createResumePosition } from './resume-position.ts';
import { parseSseId, sseIdProblem } from './sse-id.ts';

/**
 * The producer's pure core: frames in, batches out. It tracks the SSE position, drops events it
 * already produced (by meta.id, within the dedupe window), notices gaps after a resume, and seals
 * batches that carry their own cursor record. No I/O, no timers: the pipeline drives it.
 */
export interface IngestSettings {
  readonly window: WindowLimits;
  readonly overlapMs: number;
  readonly gapThresholdMs: number;
  readonly classify: ClassifyOptions;
  readonly batchSize: number;
  readonly batchMaxBytes: number;
  /** Written into every cursor: the stream and topic its position belongs to. */
  readonly owner: CursorOwner;
}

export interface IngestStart {
  readonly cursor?: CursorRecord | undefined;
  readonly since?: number | undefined;
  /** A cursor record existed but was unusable: when it was written (a StartedLive gap follows). */
  readonly unusableCursorAt?: number | undefined;
  /** Another configuration's cursor was dropped on purpose: its time and why (a CursorReset gap follows). */
  readonly reset?: { readonly at: number; readonly detail: string } | undefined;
}

export interface ResumeRequest {
  readonly lastEventId?: string;
  readonly since?: number;
}

export interface PendingBatch {
  readonly data: OutMessage[];
  readonly deadLetters: OutMessage[];
  readonly gaps: GapRecord[];
  readonly deadLetterReasons: Record<string, number>;
  bytes: number;
  canaries: number;
  duplicates: number;
  frames: number;
}

export interface SealedBatch extends PendingBatch {
  readonly cursor: CursorRecord | undefined;
  readonly sealedAt: number;
}

export interface Ingest {
  nextRequest(): ResumeRequest;
  connected(request: ResumeRequest): void;
  accept(frame: Frame): FrameOutcome | 'duplicate';
  /**
   * The upstream redirected to another origin and the producer refused: a RedirectRefused gap from
   * the newest position to `now`, once per run of refusals (the next frame ends the run).
   */
  redirectRefused(detail: string, now: number): void;
  readonly pending: Readonly<PendingBatch>;
  isFull(): boolean;
  hasPending(): boolean;
  seal(now: number): SealedBatch | undefined;
  /** meta.dt (ms) of the newest data event and canary seen. */
  readonly lastEventTime: number | undefined;
  readonly lastCanaryTime: number | undefined;
}

const emptyBatch = (): PendingBatch => ({
  data: [],
  deadLetters: [],
  gaps: [],
  deadLetterReasons: {},
  bytes: 0,
  canaries: 0,
  duplicates: 0,
  frames: 0,
});

export function createIngest(settings: IngestSettings, start: IngestStart): Ingest {
  const window = createDedupeWindow(settings.window, start.cursor?.window);
  const position = createResumePosition(start.cursor?.sseId);
  let reference: GapReference | undefined;
  // Recorded at the first event whatever the distance: this start is not where the last one stopped.
  let opening =
    start.unusableCursorAt !== undefined
      ? startedLiveGap(start.unusableCursorAt, 'cursor unusable')
      : start.reset
        ? cursorResetGap(start.reset.at, start.reset.detail)
        : undefined;
  let pending = emptyBatch();
  let lastEventTime: number | undefined;
  let lastCanaryTime: number | undefined;
  let refusing = false;

  function add(outcome: FrameOutcome & { kind: 'event' | 'dead-letter' }, ts: number): boolean {
    if (window.has(outcome.dedupeKey)) {
      pending.duplicates++;
      return false;
    }
    window.add(outcome.dedupeKey, ts);
    pending.bytes += outcome.message.value.length;
    if (outcome.kind === 'event') pending.data.push(outcome.message);
    else {
      pending.deadLetters.push(outcome.message);
      pending.deadLetterReasons[outcome.reason] = (pending.deadLetterReasons[outcome.reason] ?? 0) + 1;
    }
    return true;
  }

  /**
   * The frame's position and outcome. Every step here runs under one guard: whatever throws makes
   * the frame an `unexpected_error` dead letter, and the stream goes on.
   */
  function place(frame: Frame): { outcome: FrameOutcome; ts: number } {
    let ts = position.current;
    try {
      // A far-future position would make the next resume ask for events that do not exist yet.
      const advanced = position.advance(frame.id, frame.receivedAt + MAX_ID_AHEAD_MS);
      if (advanced === undefined) {
        const problem = sseIdProblem(frame.id) ?? 'a timestamp more than a day after the frame arrived';
        const detail = `the SSE id is not an EventStreams position: ${problem}`;
        return {
          outcome: rejectFrame(frame, settings.classify, DeadLetterReason.MalformedFrame, detail, ts),
          ts,
        };
      }
      ts = advanced;
      const gapFrom = reference;
      reference = undefined;
      if (gapFrom) {
        const gap = checkGap(gapFrom, ts - 1, settings.gapThresholdMs, frame.receivedAt);
        if (gap) pending.gaps.push(gap);
      }
      return { outcome: classifyFrame(frame, settings.classify, ts), ts };
    } catch (error) {
      const outcome = rejectFrame(
        frame,
        settings.classify,
        DeadLetterReason.Unexpected,
        messageOf(error),
        ts,
      );
      return { outcome, ts };
    }
  }

  return {
    nextRequest() {
      const lastEventId = position.nextId(settings.overlapMs, window.completeFrom);
      if (lastEventId !== undefined) return { lastEventId };
      return start.since === undefined ? {} : { since: start.since };
    },
    connected(request) {
      position.connected(request.lastEventId);
      const resumedFrom = position.newest;
      if (opening) reference = opening;
      else if (request.lastEventId !== undefined && resumedFrom !== undefined) {
        reference = resumeGap(resumedFrom - 1, 'resumed with Last-Event-ID');
      } else if (request.since !== undefined) reference = resumeGap(request.since, 'started with since');
      else reference = undefined;
      opening = undefined;
    },
    accept(frame) {
      pending.frames++;
      refusing = false;
      const { outcome, ts } = place(frame);
      if (outcome.kind === 'canary') {
        pending.canaries++;
        lastCanaryTime = outcome.eventTime;
        return outcome;
      }
      if (!add(outcome, ts)) return 'duplicate';
      if (outcome.kind === 'event') lastEventTime = outcome.eventTime;
      return outcome;
    },
    redirectRefused(detail, now) {
      if (refusing) return;
      refusing = true;
      const newest = position.newest;
      pending.gaps.push(redirectRefusedGap(newest === undefined ? now : newest - 1, now, detail));
    },
    get pending() {
      return pending;
    },
    isFull: () =>
      pending.data.length + pending.deadLetters.length >= settings.batchSize ||
      pending.bytes >= settings.batchMaxBytes,
    hasPending: () => pending.frames > 0 || pending.gaps.length > 0,
    seal(now) {
      if (!this.hasPending()) return undefined;
      const lastId = position.lastId;
      const cursor: CursorRecord | undefined =
        lastId === undefined || parseSseId(lastId) === undefined
          ? undefined
          : {
              version: 1,
              sseId: lastId,
              window: window.snapshot(),
              producerVersion: settings.classify.producerVersion,
              committedAt: now,
              owner: settings.owner,
            };
      const sealed: SealedBatch = { ...pending, cursor, sealedAt: now };
      pending = emptyBatch();
      return sealed;
    },
    get lastEventTime() {
      return lastEventTime;
    },
    get lastCanaryTime() {
      return lastCanaryTime;
    },
  };
}
