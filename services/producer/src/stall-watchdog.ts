/**
 * Fires when no bytes arrived for `timeoutMs` (EventStreams sends no heartbeats, but canary events
 * guarantee traffic). Suspended while the producer itself stops reading for back-pressure.
 */
export interface Watchdog {
  feed(): void;
  suspend(): void;
  resume(): void;
  stop(): void;
}

export function startWatchdog(timeoutMs: number, onStall: () => void): Watchdog {
  let timer: NodeJS.Timeout | undefined = setTimeout(onStall, timeoutMs);
  return {
    feed() {
      timer?.refresh();
    },
    suspend() {
      clearTimeout(timer);
      timer = undefined;
    },
    resume() {
      if (timer === undefined) timer = setTimeout(onStall, timeoutMs);
    },
    stop() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
