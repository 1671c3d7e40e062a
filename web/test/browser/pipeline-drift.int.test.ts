import {
  DRIFT_KINDS,
  type DriftDocument,
  driftIndexName,
  driftTemplate,
  driftTemplateName,
} from '@wikistream/shared';
import {
  createTestIndexPrefix,
  createTestTopic,
  testElasticsearch,
  uniqueName,
} from '@wikistream/tools/testing';
import { expect, inject, it, onTestFinished } from 'vitest';
import { startApi } from './support/api-process.ts';
import { launchBrowser, watchPage } from './support/browser.ts';

const V1 = '/mediawiki/recentchange/1.0.0';
const V2 = '/mediawiki/recentchange/2.0.0';
const HOSTILE = '<img src=x onerror=alert(1)>';

/** Drift documents as two indexers write them: a minute each, fields of the new version, a first sighting. */
function driftDocuments(now: number): DriftDocument[] {
  const minute = new Date(now - (now % 60_000) - 120_000).toISOString();
  const firstSeen = new Date(now - 3 * 3_600_000).toISOString();
  return ['indexer-a', 'indexer-b'].flatMap((member, m): DriftDocument[] => [
    { kind: DRIFT_KINDS.events, member, schema: V1, minute, count: 600 },
    { kind: DRIFT_KINDS.events, member, schema: V2, minute, count: 17 },
    { kind: DRIFT_KINDS.field, member, schema: V2, minute, field: 'performer', count: 17 },
    { kind: DRIFT_KINDS.field, member, schema: V2, minute, field: HOSTILE, count: 1 },
    { kind: DRIFT_KINDS.otherFields, member, schema: V2, minute, count: 2 + m },
    { kind: DRIFT_KINDS.firstSeen, member, schema: V2, field: 'performer', first_seen: firstSeen },
    { kind: DRIFT_KINDS.firstSeen, member, schema: V2, field: HOSTILE, first_seen: minute },
  ]);
}

it('shows schema drift in the pipeline panel: events per version, unknown fields with counts and first sightings', async () => {
  const brokers = inject('kafkaBrokers');
  const url = inject('elasticsearchUrl');
  const indexPrefix = createTestIndexPrefix(url, 'web-drift');
  const topic = await createTestTopic(brokers, 'web-drift');
  const gapsTopic = await createTestTopic(brokers, 'web-drift-gaps');
  const now = Date.now();
  const client = testElasticsearch(url);
  try {
    await client.indices.putIndexTemplate({
      name: driftTemplateName(indexPrefix),
      ...driftTemplate(indexPrefix),
    });
    await client.bulk({
      refresh: true,
      operations: driftDocuments(now).flatMap((document) => [
        { index: { _index: driftIndexName(indexPrefix, now) } },
        document,
      ]),
    });
  } finally {
    await client.close();
  }
  const api = await startApi({
    elasticsearchUrl: url,
    indexPrefix,
    kafkaBrokers: brokers,
    topic,
    gapsTopic,
    groupId: uniqueName('web-drift-indexer'),
  });
  onTestFinished(() => api.stop());
  const browser = await launchBrowser();
  onTestFinished(() => browser.close());
  const page = await browser.context.newPage();
  const watch = await watchPage(page);
  await page.goto(`${api.origin}/`);
  await page.waitForSelector('#pipeline .drift-fields tbody tr', { timeout: 30_000 });

  const rows = (selector: string) =>
    page.$$eval(`#pipeline ${selector} tbody tr`, (trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim())),
    );
  expect(await rows('.drift-versions')).toEqual([
    [V1, '1,200', '0'],
    [V2, '34', '41'],
  ]);
  const fields = await rows('.drift-fields');
  expect(fields.map(([name, version, count]) => [name, version, count])).toEqual([
    ['performer', V2, '34'],
    [HOSTILE, V2, '2'],
  ]);
  const firstSeen = await page.getAttribute('#pipeline .drift-fields tbody tr:first-child time', 'datetime');
  expect(firstSeen).toBe(new Date(now - 3 * 3_600_000).toISOString());
  expect(await page.textContent('#pipeline .drift-other')).toContain('5');
  // Upstream field names are text, never markup.
  expect(await page.locator('#pipeline img').count()).toBe(0);
  expect(watch.dialogs).toEqual([]);
  expect(watch.pageErrors).toEqual([]);
  expect(await watch.cspViolations()).toEqual([]);
  await page.close();
}, 90_000);
