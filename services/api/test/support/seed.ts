import {
  classifyEvent,
  dailyIndexName,
  indexTemplate,
  indexTemplateName,
  type RecentChangeEvent,
  toDocument,
} from '@wikistream/shared';
import { fixtureLines, testElasticsearch } from '@wikistream/tools/testing';

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
export function fixtureEventList(): RecentChangeEvent[] {
  return fixtureLines().map(({ text }) => {
    const result = classifyEvent(text);
    if (!result.ok) throw new Error(result.detail);
    return result.event;
  });
}

/** Indexes events the way the indexer does (template, daily index by meta.dt, _id = meta.id). */
export async function seedEvents(
  url: string,
  prefix: string,
  events: readonly RecentChangeEvent[],
): Promise<void> {
  const client = testElasticsearch(url);
  try {
    await client.indices.putIndexTemplate({ name: indexTemplateName(prefix), ...indexTemplate({ prefix }) });
    for (let start = 0; start < events.length; start += 2000) {
      const operations = events.slice(start, start + 2000).flatMap((event, i) => {
        const receivedAt = Date.parse(event.meta.dt) + 500;
        return [
          { create: { _index: dailyIndexName(prefix, event.meta.dt), _id: event.meta.id } },
          toDocument(event, {
            kafkaPartition: 0,
            kafkaOffset: String(start + i),
            receivedAt,
            indexedAt: receivedAt + 100 + (i % 50),
          }),
        ];
      });
      const answer = await client.bulk({ operations });
      if (answer.errors)
        throw new Error(`seeding failed: ${JSON.stringify(answer.items.find((item) => item.create?.error))}`);
    }
    await client.indices.refresh({ index: `${prefix}-*` });
  } finally {
    await client.close();
  }
}
