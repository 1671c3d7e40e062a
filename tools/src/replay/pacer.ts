import type { EventLog } from './event-log.ts';

/**
 * How fast the log grows: `rate` (events a second), `speed` (the recording's own spacing divided by
 * a factor), or `max` (as fast as the fastest client reads: entries are appended on demand).
 * Timestamps are "now" at append, so old recordings are re-timed to the present.
 */
export type Pacing =
  | { readonly kind: 'max' }
  | { readonly kind: 'rate'; readonly perSecond: number }
  | { readonly kind: 'speed'; readonly factor: number };

export interface Pacer {
  readonly onDemand: boolean;
  /** For `max`: append the next chunk now. */
  demand(): void;
  stop(): void;
}

const DEMAND_CHUNK = 256;
const TICK_MS = 10;

export function startPacer(log: EventLog, pacing: Pacing, now: () => number = Date.now): Pacer {
  if (pacing.kind === 'max') {
    return {
      onDemand: true,
      demand() {
        const ts = now();
        for (let i = 0; i < DEMAND_CHUNK && !log.exhausted; i++) log.appendNext(ts);
      },
      stop() {},
    };
  }
  const started = now();
  let appended = 0;
  let next = started;
  const tick = () => {
    const current = now();
    if (pacing.kind === 'rate') {
      const due = Math.floor(((current - started) * pacing.perSecond) / 1000);
      while (appended < due && !log.exhausted) {
        log.appendNext(started + (appended * 1000) / pacing.perSecond);
        appended++;
      }
      return;
    }
    while (!log.exhausted) {
      const at = next + log.nextDelayMs() / pacing.factor;
      if (at > current) break;
      log.appendNext(at);
      next = at;
    }
  };
  const timer = setInterval(tick, TICK_MS);
  timer.unref();
  tick();
  return {
    onDemand: false,
    demand() {},
    stop: () => clearInterval(timer),
  };
}
