import {
  createLogger,
  dailyIndexName,
  type RecentChangeEvent,
  readAlias,
  type StatsResponse,
  toDocument,
} from '@wikistream/shared';
import { createTestIndexPrefix, testElasticsearch } from '@wikistream/tools/testing';
import { describe, expect, inject, it } from 'vitest';
import { createSearchPort } from '../src/elasticsearch/search-port.ts';
import { rollupPrefix } from '../src/rollup/rollup-index.ts';
import { createRollupWriter } from '../src/rollup/rollup-writer.ts';
import { canaryEvents, fixtureEventList, seedEvents } from './support/seed.ts';
import { createTestApp } from './support/test-app.ts';

describe('per-minute rollups', () => {
  it('pass without error on a deployment that has no daily index yet', async () => {
    const url = inject('elasticsearchUrl');
    const search = createSearchPort({ url, requestTimeoutMs: 30_000 });
    const writer = createRollupWriter({
      search,
      prefix: createTestIndexPrefix(url, 'api-rollup-empty'),
      clock: () => Date.now(),
      logger: createLogger({ name: 'rollup-test', level: 'silent' }),
      intervalMs: 3_600_000,
      backfillMs: 3_600_000,
      retentionMs: 8 * 86_400_000,
    });
    try {
      await writer.runOnce();
      await writer.runOnce();
      expect(writer.coverage()).toBeDefined();
    } finally {
      await writer.close();
      await search.close();
    }
  });

  it('give the same statistics as the raw documents, however often a minute is recomputed', async () => {
    const url = inject('elasticsearchUrl');
    const prefix = createTestIndexPrefix(url, 'api-rollup');
    const now = Math.floor(Date.now() / 60_000) * 60_000 + 17_000;
    // The fixtures, re-timed over the last three hours (deterministically), plus canaries.
    const events = fixtureEventList().map((event, i) => ({
      ...event,
      meta: {
        ...event.meta,
        dt: new Date(now - 3 * 3_600_000 + ((i * 7_919) % (3 * 3_600_000))).toISOString(),
      },
    }));
    await seedEvents(url, prefix, [...events, ...canaryEvents(10, new Date(now - 3_600_000).toISOString())]);
    const search = createSearchPort({ url, requestTimeoutMs: 30_000 });
    const writer = createRollupWriter({
      search,
      prefix,
      clock: () => now,
      logger: createLogger({ name: 'rollup-test', level: 'silent' }),
      intervalMs: 3_600_000,
      backfillMs: 4 * 3_600_000,
      retentionMs: 8 * 86_400_000,
    });
    // Cells of the layout before editor kinds, as an older api wrote them: never read, and removed.
    const older = `${prefix}_rollup-${new Date(now).toISOString().slice(0, 10).replaceAll('-', '.')}`;
    const seeder = testElasticsearch(url);
    await seeder.index({
      index: older,
      refresh: true,
      document: { meta: { dt: now - 3_600_000 }, wiki: 'enwiki', bot: false, rollup: { count: 1000 } },
    });
    await seeder.close();
    const raw = await createTestApp({ prefix, env: { ANALYTICS_CACHE_MS: '0' } });
    const rolled = await createTestApp({ prefix, env: { ANALYTICS_CACHE_MS: '0' }, rollups: writer });
    try {
      await writer.runOnce();
      const coverage = writer.coverage();
      expect(coverage?.to).toBe(Math.floor((now - 60_000) / 60_000) * 60_000);
      const client = testElasticsearch(url);
      expect(await client.indices.exists({ index: older })).toBe(false);
      const cells = await client.search({
        index: `${rollupPrefix(prefix)}-*`,
        size: 0,
        aggs: { events: { sum: { field: 'rollup.count' } } },
      });
      await client.close();
      const inCoverage = events.filter((e) => Date.parse(e.meta.dt) < (coverage?.to ?? 0)).length;
      expect((cells.aggregations?.events as { value: number } | undefined)?.value).toBe(inCoverage);

      const from = new Date(now - 2.5 * 3_600_000 + 7_000).toISOString();
      const to = new Date(now - 90_000 + 13_000).toISOString();
      const ask = async (app: typeof raw, query: string) =>
        (
          await app.app.inject({ method: 'GET', url: `/api/stats?from=${from}&to=${to}${query}` })
        ).json() as StatsResponse;
      for (const query of [
        '',
        '&wiki=enwiki,commonswiki',
        '&bot=false&type=edit',
        '&namespace=0,14&anonymous=false',
        '&editorKind=temporary,ip',
        '&editorKind=registered&bot=false',
        '&editorKind=bot,temporary',
      ]) {
        const expected = await ask(raw, query);
        expect(expected.totals.events).toBeGreaterThan(0);
        expect(await ask(rolled, query)).toEqual(expected);
      }
      // A day of rollups past the retention is deleted by the next pass.
      const expired = `${rollupPrefix(prefix)}-2020.01.01`;
      const admin = testElasticsearch(url);
      await admin.indices.create({ index: expired });
      await writer.runOnce();
      await writer.runOnce();
      expect(await ask(rolled, '')).toEqual(await ask(raw, ''));
      expect(await admin.indices.exists({ index: expired })).toBe(false);
      await admin.close();

      // `pnpm reindex` swaps a day to a new version with other derived fields: the rollups follow.
      await swapToRederivedVersions(url, prefix, events);
      await writer.runOnce();
      for (const query of ['', '&editorKind=bot', '&editorKind=registered,temporary,ip']) {
        const expected = await ask(raw, query);
        expect(await ask(rolled, query), query).toEqual(expected);
      }
      expect((await ask(raw, '&editorKind=bot')).totals.events).toBe((await ask(raw, '')).totals.events);
    } finally {
      await writer.close();
      await raw.close();
      await rolled.close();
      await search.close();
    }
  });
});

/**
 * What a re-index does to the read alias, with a visible change: every day's documents again, as
 * version 2 of the day with every event a bot's, then the read alias moved to it in one call.
 */
async function swapToRederivedVersions(url: string, prefix: string, events: readonly RecentChangeEvent[]) {
  const client = testElasticsearch(url);
  try {
    const operations = events.flatMap((event, i) => [
      { index: { _index: `${dailyIndexName(prefix, event.meta.dt)}-v2`, _id: event.meta.id } },
      toDocument({ ...event, bot: true }, { kafkaPartition: 0, kafkaOffset: String(i), indexedAt: 0 }),
    ]);
    const answer = await client.bulk({ operations, refresh: true });
    expect(answer.errors).toBe(false);
    const days = [...new Set(events.map((event) => dailyIndexName(prefix, event.meta.dt)))];
    await client.indices.updateAliases({
      actions: days.flatMap((day) => [
        { remove: { index: day, alias: readAlias(prefix) } },
        { add: { index: `${day}-v2`, alias: readAlias(prefix) } },
      ]),
    });
  } finally {
    await client.close();
  }
}
