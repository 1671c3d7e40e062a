/** How far `meta.dt` may lie from the indexer's clock (EVENT_TIME_MAX_AGE_DAYS, EVENT_TIME_MAX_SKEW_MS). */
export interface EventTimeLimits {
  readonly maxAgeMs: number;
  readonly maxSkewMs: number;
}

/** The `meta.dt` accepted for indexing, in ms since the epoch, both ends included. */
export interface EventTimeWindow {
  readonly from: number;
  readonly until: number;
}

/** The days a `<prefix>-YYYY.MM.DD` name can hold. */
const FIRST_NAMEABLE = Date.parse('0000-01-01T00:00:00.000Z');
const LAST_NAMEABLE = Date.parse('9999-12-31T23:59:59.999Z');

/**
 * Pure: the window of event times at `now`. Every accepted event creates or writes a daily index, so
 * the window bounds how many there can be: about as many as retention keeps, plus tomorrow's. Without
 * it a stream of odd dates could create an index, and its shards, for any day of the years 0000 to
 * 9999 and beyond, and retention never deletes the future ones, nor those past 9999 whose names it
 * does not recognise. However wide the limits, the window stays within the years a name can hold.
 */
export function eventTimeWindow(now: number, limits: EventTimeLimits): EventTimeWindow {
  return {
    from: Math.max(now - limits.maxAgeMs, FIRST_NAMEABLE),
    until: Math.min(now + limits.maxSkewMs, LAST_NAMEABLE),
  };
}

/** Pure: why `dt` (its time `ms`) is not accepted, or undefined when it is within the window. */
export function outsideWindow(dt: string, ms: number, window: EventTimeWindow): string | undefined {
  if (ms >= window.from && ms <= window.until) return undefined;
  const from = new Date(window.from).toISOString();
  const until = new Date(window.until).toISOString();
  return `meta.dt ${dt} is outside the accepted window from ${from} to ${until}`;
}
