/**
 * Reconnect delays: capped exponential back-off with jitter. A 403 means our User-Agent (or other
 * configuration) is refused, so it is retried slowly; a 429 means too many connections, so it backs
 * off longer than a dropped connection does. A redirect to another origin is refused, and retried as
 * slowly as a 403: the stream has moved, which only a configuration change fixes.
 */
export type DisconnectCause =
  | 'end'
  | 'network'
  | 'stall'
  | 'server_error_event'
  | 'http_403'
  | 'http_429'
  | 'http_4xx'
  | 'http_5xx'
  | 'redirect_refused';

export interface BackoffSettings {
  readonly baseMs: number;
  readonly maxMs: number;
}

export function causeOfStatus(status: number): DisconnectCause {
  if (status === 403) return 'http_403';
  if (status === 429) return 'http_429';
  if (status >= 400 && status < 500) return 'http_4xx';
  return 'http_5xx';
}

/** Delay before reconnect `attempt` (1 = first retry); `random` in [0, 1). */
export function reconnectDelay(
  cause: DisconnectCause,
  attempt: number,
  settings: BackoffSettings,
  random: () => number = Math.random,
): number {
  const { baseMs, maxMs } = settings;
  let ceiling: number;
  if (cause === 'http_403' || cause === 'http_4xx' || cause === 'redirect_refused') ceiling = maxMs;
  else {
    const start = cause === 'http_429' ? baseMs * 4 : baseMs;
    ceiling = Math.min(maxMs, start * 2 ** Math.min(Math.max(attempt - 1, 0), 30));
  }
  // "Equal jitter": never less than half the ceiling, so retries spread without hammering.
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
