import { Client } from '@elastic/elasticsearch';
import { onTestFinished } from 'vitest';
import { uniqueName } from './names.ts';

export function testElasticsearch(url: string): Client {
  return new Client({ node: url, requestTimeout: 30_000 });
}

/**
 * A unique index prefix for one test; every index and index template whose name starts with it
 * is deleted when the test finishes. Wildcard deletes are refused by default, so names are listed.
 */
export function createTestIndexPrefix(url: string, prefix = 'test'): string {
  const name = uniqueName(prefix);
  onTestFinished(() => deleteIndicesWithPrefix(url, name));
  return name;
}

export async function deleteIndicesWithPrefix(url: string, prefix: string): Promise<void> {
  const client = testElasticsearch(url);
  try {
    const indices = await client.cat.indices({ index: `${prefix}*`, format: 'json', h: ['index'] });
    const names = indices.map((row) => row.index).filter((name): name is string => typeof name === 'string');
    if (names.length > 0) await client.indices.delete({ index: names, ignore_unavailable: true });
    const templates = await client.indices.getIndexTemplate({ name: `${prefix}*` }, { ignore: [404] });
    for (const { name } of templates.index_templates ?? [])
      await client.indices.deleteIndexTemplate({ name });
  } finally {
    await client.close();
  }
}
