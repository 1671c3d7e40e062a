import type { RecentChangeEvent } from './recentchange.ts';

/**
 * Kafka record key: `<wiki>:<title>`, so one page's events stay ordered on one partition while
 * the load spreads (keying by wiki alone would put Wikidata, about half the traffic, on one partition).
 */
export function eventKey(event: RecentChangeEvent): string {
  return `${event.wiki ?? event.meta.domain ?? ''}:${event.title ?? ''}`;
}
