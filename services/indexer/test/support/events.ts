import { createHash } from 'node:crypto';
import { eventKey, HEADERS, type RecentChangeEvent } from '@wikistream/shared';
import { fixtureEvents } from '@wikistream/tools/testing';

export interface TestRecord {
  readonly id: string | undefined;
  readonly key: string | null;
  readonly value: string;
  readonly headers: Record<string, string>;
}

/** A deterministic UUID-shaped id for the n-th generated event of a run. */
export function generatedId(run: string, n: number): string {
  const hex = createHash('sha1').update(`${run}:${n}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Every recorded fixture event, looped to `count` with new deterministic ids and re-timed into the
 * last hours (so retention never touches them), keyed like the producer keys them.
 */
export function loopedEvents(count: number, run: string, now = Date.now()): TestRecord[] {
  const fixtures = fixtureEvents() as unknown as RecentChangeEvent[];
  return Array.from({ length: count }, (_, n) => {
    const base = fixtures[n % fixtures.length] as RecentChangeEvent;
    const time = now - (count - n) * 1000;
    const event: RecentChangeEvent = {
      ...base,
      meta: { ...base.meta, id: generatedId(run, n), dt: new Date(time).toISOString() },
      timestamp: Math.floor(time / 1000),
    };
    return record(event, now);
  });
}

export function record(event: RecentChangeEvent, receivedAt = Date.now()): TestRecord {
  return {
    id: event.meta.id,
    key: eventKey(event),
    value: JSON.stringify(event),
    headers: { [HEADERS.receivedAt]: String(receivedAt), [HEADERS.sseId]: `[{"n":"${event.meta.id}"}]` },
  };
}
