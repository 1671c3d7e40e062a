import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from '@elastic/elasticsearch';
import { readAlias } from '@wikistream/shared';

/**
 * The documents of a run, as the api reads them: through the read alias (one version per day), so
 * a day stored twice, or one missing from the alias, shows here too. How many, and which meta.ids.
 */
export const storeIndex = (prefix: string) => readAlias(prefix);

export async function countDocuments(client: Client, prefix: string): Promise<number> {
  const answer = await client.count({
    index: storeIndex(prefix),
    allow_no_indices: true,
    ignore_unavailable: true,
  });
  return answer.count;
}

/**
 * Polls `_count` until it reaches `expected`. Gives up at the deadline, or earlier when the count
 * has not moved for `stallMs` (something is lost: waiting longer would not help). Returns when.
 */
export async function waitForDocuments(
  elasticsearchUrl: string,
  prefix: string,
  expected: number,
  options: { timeoutMs: number; stallMs: number; onProgress?: (count: number) => void },
): Promise<{ count: number; reached: boolean; at: number }> {
  const client = new Client({ node: elasticsearchUrl, requestTimeout: 30_000 });
  const deadline = Date.now() + options.timeoutMs;
  let last = -1;
  let movedAt = Date.now();
  let reported = 0;
  try {
    for (;;) {
      const count = await countDocuments(client, prefix).catch(() => last);
      if (count !== last) movedAt = Date.now();
      last = count;
      if (count >= expected) return { count, reached: true, at: Date.now() };
      if (Date.now() > deadline || Date.now() - movedAt > options.stallMs)
        return { count, reached: false, at: Date.now() };
      if (options.onProgress && Date.now() - reported > 10_000) {
        reported = Date.now();
        options.onProgress(count);
      }
      await sleep(500);
    }
  } finally {
    await client.close();
  }
}

/** meta.id → number of documents, over every index of the prefix (scroll over `_id`s). */
export async function documentIds(client: Client, prefix: string): Promise<Map<string, number>> {
  await client.indices.refresh({
    index: storeIndex(prefix),
    allow_no_indices: true,
    ignore_unavailable: true,
  });
  const counts = new Map<string, number>();
  let page = await client.search({
    index: storeIndex(prefix),
    scroll: '2m',
    size: 10_000,
    _source: false,
    sort: ['_doc'],
    query: { match_all: {} },
    allow_no_indices: true,
    ignore_unavailable: true,
  });
  try {
    while (page.hits.hits.length > 0) {
      for (const hit of page.hits.hits)
        counts.set(hit._id as string, (counts.get(hit._id as string) ?? 0) + 1);
      if (!page._scroll_id) break;
      page = await client.scroll({ scroll_id: page._scroll_id, scroll: '2m' });
    }
  } finally {
    if (page._scroll_id) await client.clearScroll({ scroll_id: page._scroll_id }).catch(() => undefined);
  }
  return counts;
}
