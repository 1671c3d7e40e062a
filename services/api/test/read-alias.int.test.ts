import {
  dailyIndexName,
  type EventsPage,
  indexDayOf,
  readAlias,
  type StatsResponse,
  versionedIndexName,
  versionTemplate,
  versionTemplateName,
} from '@wikistream/shared';
import { createTestIndexPrefix, retime, testElasticsearch } from '@wikistream/tools/testing';
import { describe, expect, inject, it, onTestFinished } from 'vitest';
import { fixtureEventList, seedEvents } from './support/seed.ts';
import { createTestApp } from './support/test-app.ts';

const url = inject('elasticsearchUrl');
const DAY = 86_400_000;

describe('the api reads every day once, through the read alias', () => {
  it('counts a day once while a rebuilt version of it is built beside it, after the swap, and with the old one kept', async () => {
    const prefix = createTestIndexPrefix(url, 'api-read-alias');
    const client = testElasticsearch(url);
    onTestFinished(() => client.close());
    const start = Date.parse('2026-11-20T00:00:00Z');
    // Two days of events, 100 each.
    const events = fixtureEventList()
      .slice(0, 200)
      .map((event, i) => retime(event, start + (i < 100 ? 0 : DAY) + i * 60_000, `read-alias-${i}`));
    await seedEvents(url, prefix, events);
    await client.indices.putIndexTemplate({
      name: versionTemplateName(prefix),
      ...versionTemplate({ prefix }),
    });
    const api = await createTestApp({ prefix, env: { ANALYTICS_CACHE_MS: '0' } });
    onTestFinished(() => api.close());
    const window = 'from=2026-11-20T00:00:00Z&to=2026-11-22T00:00:00Z';
    const totals = async () => {
      const page = (await api.app.inject({ url: `/api/events?${window}&size=1` })).json() as EventsPage;
      const stats = (await api.app.inject({ url: `/api/stats?${window}` })).json() as StatsResponse;
      return [page.total, stats.totals.events];
    };
    expect(await totals()).toEqual([200, 200]);

    // A version of the first day being built: every document of the day, a second time.
    const plain = dailyIndexName(prefix, new Date(start));
    const built = versionedIndexName(prefix, indexDayOf(start), 2);
    await client.indices.create({ index: built });
    await client.bulk({
      refresh: true,
      operations: events
        .slice(0, 100)
        .flatMap((event) => [
          { index: { _index: built, _id: event.meta.id } },
          { ...event, wiki: 'rebuiltwiki' },
        ]),
    });
    expect(await totals()).toEqual([200, 200]);

    // The swap: the day's name becomes the alias of its new version, which the read alias now holds.
    await client.indices.updateAliases({
      actions: [
        { add: { index: built, alias: readAlias(prefix) } },
        { remove_index: { index: plain } },
        { add: { index: built, alias: plain, is_write_index: true } },
      ],
    });
    expect(await totals()).toEqual([200, 200]);
    const rebuilt = (await api.app
      .inject({
        url: `/api/events?${window}&wiki=rebuiltwiki&size=1`,
      })
      .then((response) => response.json())) as EventsPage;
    expect(rebuilt.total).toBe(100);

    // An old version kept beside the current one is not read either.
    const kept = versionedIndexName(prefix, indexDayOf(start), 1);
    await client.indices.create({ index: kept });
    await client.bulk({
      refresh: true,
      operations: events
        .slice(0, 100)
        .flatMap((event) => [{ index: { _index: kept, _id: event.meta.id } }, event]),
    });
    expect(await totals()).toEqual([200, 200]);
  });
});
