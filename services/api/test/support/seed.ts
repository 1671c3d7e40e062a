import type { RecentChangeEvent } from '@wikistream/shared';
import { seedDocuments, validFixtureEvents } from '@wikistream/tools/testing';

/** Canary events as the upstream sends them (a valid meta with domain "canary"), to prove they are left out. */
export function canaryEvents(count: number, dt = '2026-02-26T15:49:37.000Z'): RecentChangeEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    meta: { id: `canary-${i}`, dt, domain: 'canary', stream: 'mediawiki.recentchange' },
    type: 'edit',
    wiki: 'enwiki',
    title: 'Canary',
    user: 'Canary',
    bot: false,
  }));
}

/** Every recorded fixture event, parsed and valid. */
export const fixtureEventList = validFixtureEvents;

/** Indexes events the way the indexer does, with latencies of 100..149 ms. */
export function seedEvents(url: string, prefix: string, events: readonly RecentChangeEvent[]): Promise<void> {
  return seedDocuments(
    url,
    prefix,
    events.map((event) => ({ event })),
  );
}
