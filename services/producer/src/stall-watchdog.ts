/**
 * Fires when no complete event arrived for `timeoutMs`. It is fed by events (data, canaries and
 * dead letters alike), never by bytes: a server that sends a comment or one byte of an unfinished
 * line now and then is not streaming. EventStreams sends no heartbeats, but the live feed carries
 * about 30 events a second and canary events arrive at least hourly. Suspended while the producer
 * itself stops reading for back-pressure.
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
