import { GapReason, type GapRecord } from '@wikistream/shared';

/** What the producer expected the first event after a (re)connect to follow. */
export interface GapReference {
  /** Time (ms) of the last event known before this connection. */
  readonly fromMs: number;
  readonly reason: GapReason;
  /** StartedLive gaps are recorded whatever the distance; resumes only past the threshold. */
  readonly always: boolean;
  readonly detail: string;
}

/** A gap record when the first event after a resume is far newer than where we resumed. */
export function checkGap(
  reference: GapReference,
  firstEventMs: number,
  thresholdMs: number,
  now: number,
): GapRecord | undefined {
  const distance = firstEventMs - reference.fromMs;
  if (!reference.always && distance <= thresholdMs) return undefined;
  return {
    // A start from SINCE may lie before the old position: a gap never ends before it begins.
    from: new Date(Math.min(reference.fromMs, firstEventMs)).toISOString(),
    to: new Date(firstEventMs).toISOString(),
    reason: reference.reason,
    detectedAt: new Date(now).toISOString(),
    detail: `${reference.detail}; first event ${Math.round(distance / 1000)} s later`,
  };
}

/** The upstream redirected elsewhere at `now`; nothing has been read since `fromMs`. */
export function redirectRefusedGap(fromMs: number, now: number, detail: string): GapRecord {
  return {
    from: new Date(Math.min(fromMs, now)).toISOString(),
    to: new Date(now).toISOString(),
    reason: GapReason.RedirectRefused,
    detectedAt: new Date(now).toISOString(),
    detail,
  };
}

export const resumeGap = (fromMs: number, detail: string): GapReference => ({
  fromMs,
  reason: GapReason.CursorExpired,
  always: false,
  detail,
});

export const startedLiveGap = (fromMs: number, detail: string): GapReference => ({
  fromMs,
  reason: GapReason.StartedLive,
  always: true,
  detail,
});

export const cursorResetGap = (fromMs: number, detail: string): GapReference => ({
  fromMs,
  reason: GapReason.CursorReset,
  always: true,
  detail,
});
