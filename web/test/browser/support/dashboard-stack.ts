import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { RecentChangeEvent } from '@wikistream/shared';
import {
  createTopics,
  deleteConsumerGroups,
  deleteIndicesWithPrefix,
  deleteTopics,
  REPO_ROOT,
  uniqueName,
} from '@wikistream/tools/testing';
import type { Page } from 'playwright-core';
import { type ApiProcess, startApi } from './api-process.ts';
import { launchBrowser, type PageWatch, type TestBrowser, watchPage } from './browser.ts';
import { commitGroupOffsets, produceDeadLetters, produceEvents, produceGap } from './kafka.ts';
import {
  editorKindEvents,
  fixtureRecentChanges,
  gapWindow,
  hostileEvents,
  seedElasticsearch,
  seededHistory,
} from './seed.ts';

/** Where screenshots go (gitignored). */
export const ARTIFACTS = join(REPO_ROOT, 'test-artifacts');

/** Every panel that loads data on its own; the live feed waits for Kafka instead. */
export const PANELS = [
  'kpis',
  'events-over-time',
  'change-types',
  'bytes',
  'top-wikis',
  'top-pages',
  'top-editors',
  'trending',
  'namespaces',
  'pipeline',
  'search',
];

/**
 * One test file's world: a unique index prefix seeded from the fixtures (plus hostile events),
 * a unique data topic with its dead-letter and gap-ledger topics, committed offsets for an
 * indexer group so there is lag to show, the real API on a free port, and Chromium.
 */
export interface DashboardStack {
  readonly api: ApiProcess;
  readonly browser: TestBrowser;
  readonly brokers: string;
  readonly topic: string;
  open(path?: string): Promise<{ page: Page; watch: PageWatch }>;
  close(): Promise<void>;
}

export async function waitForPanels(page: Page): Promise<void> {
  await page.waitForFunction(
    (ids) =>
      ids.every((id) => {
        const panel = document.getElementById(id);
        return panel && panel.dataset.state !== 'loading' && panel.getAttribute('aria-busy') !== 'true';
      }),
    PANELS,
    { timeout: 30_000 },
  );
}

async function seed(brokers: string, elasticsearchUrl: string, names: Record<string, string>): Promise<void> {
  const now = Date.now();
  const gap = gapWindow(now);
  const timed = (event: RecentChangeEvent) => {
    const at = Date.parse(event.meta.dt);
    return { event, receivedAt: at + 300, indexedAt: at + 900 };
  };
  const hostile = hostileEvents(now, 30, uniqueName('xss')).map(timed);
  const kinds = editorKindEvents(now, uniqueName('kinds')).map(timed);
  await createTopics(brokers, [
    { topic: names.topic as string, numPartitions: 3 },
    { topic: `${names.topic}.dlq`, numPartitions: 1 },
    { topic: names.gapsTopic as string, numPartitions: 1 },
  ]);
  await seedElasticsearch(elasticsearchUrl, names.indexPrefix as string, [
    ...seededHistory(now, gap),
    ...kinds,
    ...hostile,
  ]);
  await produceGap(brokers, names.gapsTopic as string, gap);
  await produceDeadLetters(brokers, `${names.topic}.dlq`, [
    { reason: 'invalid_json', detail: 'Unexpected end of JSON input' },
    { reason: 'invalid_json', detail: 'Unexpected token' },
    { reason: 'es_rejected', detail: 'mapper_parsing_exception' },
  ]);
  await produceEvents(brokers, names.topic as string, fixtureRecentChanges().slice(0, 60));
  await commitGroupOffsets(brokers, names.groupId as string, names.topic as string, '5');
}

export async function startDashboardStack(
  brokers: string,
  elasticsearchUrl: string,
): Promise<DashboardStack> {
  const topic = uniqueName('web-dash');
  const names = {
    indexPrefix: uniqueName('web-dash'),
    topic,
    gapsTopic: `${topic}-gaps`,
    groupId: uniqueName('web-dash-indexer'),
  };
  let api: ApiProcess | undefined;
  let browser: TestBrowser | undefined;
  const close = async () => {
    await browser?.close();
    await api?.stop();
    await deleteIndicesWithPrefix(elasticsearchUrl, names.indexPrefix);
    await deleteTopics(brokers, [topic, `${topic}.dlq`, names.gapsTopic]);
    await deleteConsumerGroups(brokers, [names.groupId]);
  };
  try {
    await seed(brokers, elasticsearchUrl, names);
    api = await startApi({ elasticsearchUrl, kafkaBrokers: brokers, ...names });
    browser = await launchBrowser();
  } catch (error) {
    await close();
    throw error;
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  const started = { api, browser };
  return {
    ...started,
    brokers,
    topic,
    async open(path = '/') {
      const page = await started.browser.context.newPage();
      const watch = await watchPage(page);
      await page.goto(`${started.api.origin}${path}`);
      await waitForPanels(page);
      return { page, watch };
    },
    close,
  };
}
