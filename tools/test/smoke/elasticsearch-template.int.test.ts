import { dailyIndexName } from '@wikistream/shared';
import { describe, expect, inject, it } from 'vitest';
import { createTestIndexPrefix, fixtureEvents, testElasticsearch } from '../../src/testing/index.ts';

const url = inject('elasticsearchUrl');

describe('Elasticsearch index templates and idempotent writes against the real node', () => {
  it('applies a template to a new daily index, and indexing one event twice keeps one document', async () => {
    const prefix = createTestIndexPrefix(url, 'smoke');
    const client = testElasticsearch(url);
    try {
      await client.indices.putIndexTemplate({
        name: `${prefix}-template`,
        index_patterns: [`${prefix}-*`],
        template: {
          settings: { number_of_shards: 1, number_of_replicas: 0 },
          mappings: {
            dynamic: false,
            properties: {
              wiki: { type: 'keyword' },
              title: { type: 'keyword', fields: { text: { type: 'text' } } },
              meta: { properties: { id: { type: 'keyword' }, dt: { type: 'date' } } },
            },
          },
        },
      });
      const event = fixtureEvents().find((e) => (e.meta as { dt: string }).dt.endsWith('Z')) as {
        meta: { id: string; dt: string };
        title: string;
        wiki: string;
      };
      const index = dailyIndexName(prefix, event.meta.dt);
      for (let i = 0; i < 2; i++) {
        await client.index({ index, id: event.meta.id, document: event, refresh: 'wait_for' });
      }

      const mapping = await client.indices.getMapping({ index });
      expect(mapping[index]?.mappings.properties?.wiki).toEqual({ type: 'keyword' });
      expect(mapping[index]?.mappings.dynamic).toBe('false');
      expect((await client.count({ index })).count).toBe(1);

      // The standard tokenizer keeps "File:City" together, so take a plain word after the first space.
      const word =
        event.title
          .split(/\s+/)
          .slice(1)
          .find((part) => /^\p{L}{3,}$/u.test(part)) ?? event.title;
      const found = await client.search({ index, query: { match: { 'title.text': word } } });
      expect(found.hits.hits.map((hit) => hit._id)).toEqual([event.meta.id]);
    } finally {
      await client.close();
    }
  });
});
