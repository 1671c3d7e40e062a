import {
  classifyEvent,
  dailyIndexName,
  indexTemplate,
  indexTemplateName,
  type RecentChangeEvent,
  toDocument,
} from '@wikistream/shared';
import { testElasticsearch } from './elasticsearch.ts';
import { fixtureLines } from './fixtures.ts';

/** Every recorded fixture event that the contract accepts and that is not a canary (all of them). */
export function validFixtureEvents(): RecentChangeEvent[] {
  return fixtureLines().flatMap(({ text }) => {
    const result = classifyEvent(text);
    return result.ok && !result.canary ? [result.event] : [];
  });
}

/** The event moved to another time (meta.dt and timestamp), optionally with a new meta.id. */
export function retime(event: RecentChangeEvent, dtMs: number, id?: string): RecentChangeEvent {
  return {
    ...event,
    meta: { ...event.meta, dt: new Date(dtMs).toISOString(), ...(id ? { id } : {}) },
    timestamp: Math.floor(dtMs / 1000),
  };
}

/** A small deterministic pseudo-random source (mulberry32): the same seed gives the same data. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface SeedEvent {
  readonly event: RecentChangeEvent;
  /** When the pipeline received it (ms); default: 500 ms after meta.dt. */
  readonly receivedAt?: number;
  /** When it was indexed (ms); default: 100–149 ms after receipt. */
  readonly indexedAt?: number;
}

/**
 * Stores events the way the indexer does — the shared index template, a daily index by meta.dt,
 * `_id = meta.id`, `toDocument` — then refreshes, so tests can read them at once.
 */
export async function seedDocuments(
  url: string,
  prefix: string,
  events: readonly SeedEvent[],
): Promise<void> {
  const client = testElasticsearch(url);
  try {
    await client.indices.putIndexTemplate({ name: indexTemplateName(prefix), ...indexTemplate({ prefix }) });
    for (let start = 0; start < events.length; start += 2000) {
      const operations = events.slice(start, start + 2000).flatMap(({ event, receivedAt, indexedAt }, i) => {
        const received = receivedAt ?? Date.parse(event.meta.dt) + 500;
        return [
          { index: { _index: dailyIndexName(prefix, event.meta.dt), _id: event.meta.id } },
          toDocument(event, {
            kafkaPartition: 0,
            kafkaOffset: String(start + i),
            receivedAt: received,
            indexedAt: indexedAt ?? received + 100 + (i % 50),
          }),
        ];
      });
      const answer = await client.bulk({ operations });
      if (answer.errors) {
        throw new Error(
          `seeding failed: ${JSON.stringify(answer.items.find((item) => item.index?.error)?.index?.error)}`,
        );
      }
    }
    await client.indices.refresh({ index: `${prefix}-*` });
  } finally {
    await client.close();
  }
}
