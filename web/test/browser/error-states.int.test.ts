import {
  createTestIndexPrefix,
  createTestTopic,
  startTcpProxy,
  uniqueName,
  waitFor,
} from '@wikistream/tools/testing';
import { expect, inject, it, onTestFinished } from 'vitest';
import { startApi } from './support/api-process.ts';
import { launchBrowser } from './support/browser.ts';
import { gapWindow, seedElasticsearch, seededHistory } from './support/seed.ts';

// The panels fed by /api/stats. (Trending may be answered from the API's cache while
// Elasticsearch is away, so it is not expected to fail.)
const STATS_PANELS = [
  'kpis',
  'events-over-time',
  'change-types',
  'bytes',
  'top-wikis',
  'top-pages',
  'top-editors',
  'namespaces',
];

it('shows an error with a retry in each data panel while Elasticsearch is unreachable, and recovers', async () => {
  const brokers = inject('kafkaBrokers');
  const elasticsearch = new URL(inject('elasticsearchUrl'));
  const indexPrefix = createTestIndexPrefix(elasticsearch.toString(), 'web-err');
  const topic = await createTestTopic(brokers, 'web-err');
  const gapsTopic = await createTestTopic(brokers, 'web-err-gaps');
  const now = Date.now();
  await seedElasticsearch(
    elasticsearch.toString(),
    indexPrefix,
    seededHistory(now, gapWindow(now)).slice(0, 400),
  );
  const proxy = await startTcpProxy({ host: elasticsearch.hostname, port: Number(elasticsearch.port) });
  onTestFinished(() => proxy.close());
  const api = await startApi({
    elasticsearchUrl: proxy.url,
    indexPrefix,
    kafkaBrokers: brokers,
    topic,
    gapsTopic,
    groupId: uniqueName('web-err-indexer'),
    // Every refresh must reach Elasticsearch: otherwise one within the same minute (the range's
    // bucket) is served the shared answer, as it should be, and no panel fails.
    env: { ANALYTICS_CACHE_MS: '0' },
  });
  onTestFinished(() => api.stop());
  const browser = await launchBrowser();
  onTestFinished(() => browser.close());
  const page = await browser.context.newPage();
  const statesOf = (ids: string[]) =>
    page.$$eval(
      'section.panel',
      (panels, wanted) =>
        panels
          .filter((p) => wanted.includes(p.id))
          .map((p) => `${p.id}:${(p as HTMLElement).dataset.state ?? ''}`),
      ids,
    );

  const allIn = (state: string) =>
    waitFor(async () => (await statesOf(STATS_PANELS)).every((entry) => entry.endsWith(`:${state}`)), {
      timeoutMs: 30_000,
      message: `every data panel ${state}`,
    }).catch(async (error: Error) => {
      throw new Error(`${error.message}: ${JSON.stringify(await statesOf(STATS_PANELS))}`);
    });

  await page.goto(api.origin);
  await allIn('ready');

  await proxy.cut();
  await page.click('.app-header button:has-text("Refresh")');
  await allIn('error');
  expect(await page.textContent('.updated')).toMatch(/^Update failed at/);
  expect(
    await page.locator('#top-wikis .panel-error[role="alert"] button', { hasText: 'Retry' }).count(),
  ).toBe(1);
  await page.fill('#search-q', 'anything');
  await page.press('#search-q', 'Enter');
  await page.waitForFunction(() => document.getElementById('search')?.dataset.state === 'error', undefined, {
    timeout: 30_000,
  });

  await proxy.restore();
  await page.click('#top-wikis .panel-error button');
  await allIn('ready');
  expect(await page.textContent('.updated')).toMatch(/^Updated /);
}, 120_000);
