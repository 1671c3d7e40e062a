import type { EventSummary, LIVE_EVENT as SHARED_LIVE_EVENT } from '@wikistream/shared';

/** The SSE event names, checked against the shared contract without bundling it. */
export const LIVE_EVENT: typeof SHARED_LIVE_EVENT = { change: 'change', skipped: 'skipped' };

/** `event: change` data → an event, or null when it is not one (never throws). */
export function parseChange(data: string): EventSummary | null {
  try {
    const value = JSON.parse(data) as Partial<EventSummary> | null;
    return value !== null &&
      typeof value === 'object' &&
      typeof value.id === 'string' &&
      typeof value.dt === 'string' &&
      typeof value.type === 'string'
      ? (value as EventSummary)
      : null;
  } catch {
    return null;
  }
}

/** `event: skipped` data → how many events the server dropped for this client (0 when unreadable). */
export function parseSkipped(data: string): number {
  try {
    const count = Number((JSON.parse(data) as { skipped?: unknown } | null)?.skipped);
    return Number.isSafeInteger(count) && count > 0 ? count : 0;
  } catch {
    return 0;
  }
}

/**
 * Newest first: the batch reversed (it arrived oldest first) and ordered by event time, since
 * events from different Kafka partitions interleave. Already shown ids are left out.
 */
export function newestFirst(batch: readonly EventSummary[], shown: ReadonlySet<string>): EventSummary[] {
  return batch
    .filter((event) => !shown.has(event.id))
    .reverse()
    .sort((a, b) => Date.parse(b.dt) - Date.parse(a.dt));
}
