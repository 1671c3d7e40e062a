import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { RecentChangeEvent } from '@wikistream/shared';
import {
  createTopics,
  deleteConsumerGroups,
  deleteIndicesWithPrefix,
  deleteTopics,
  REPO_ROOT,
  uniqueName,
  waitFor,
} from '@wikistream/tools/testing';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type ApiProcess, startApi } from './support/api-process.ts';
import { launchBrowser, type PageWatch, type TestBrowser, watchPage } from './support/browser.ts';
import { commitGroupOffsets, produceDeadLetters, produceEvents, produceGap } from './support/kafka.ts';
import {
  fixtureRecentChanges,
  gapWindow,
  HOSTILE,
  hostileEvents,
  KNOWN_TITLE,
  retime,
  seedElasticsearch,
  seededHistory,
} from './support/seed.ts';

const ARTIFACTS = join(REPO_ROOT, 'test-artifacts');
const PANELS = [
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
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const brokers = inject('kafkaBrokers');
const elasticsearchUrl = inject('elasticsearchUrl');

describe('the dashboard, in Chromium, against the real API, Elasticsearch and Kafka', () => {
  const indexPrefix = uniqueName('web-dash');
  const topic = uniqueName('web-dash');
  const gapsTopic = `${topic}-gaps`;
  const groupId = uniqueName('web-dash-indexer');
  let api: ApiProcess;
  let browser: TestBrowser;

  beforeAll(async () => {
    const now = Date.now();
    const gap = gapWindow(now);
    const hostile = hostileEvents(now, 30, uniqueName('xss')).map((event) => {
      const at = Date.parse(event.meta.dt);
      return { event, receivedAt: at + 300, indexedAt: at + 900 };
    });
    await createTopics(brokers, [
      { topic, numPartitions: 3 },
      { topic: `${topic}.dlq`, numPartitions: 1 },
      { topic: gapsTopic, numPartitions: 1 },
    ]);
    await seedElasticsearch(elasticsearchUrl, indexPrefix, [...seededHistory(now, gap), ...hostile]);
    await produceGap(brokers, gapsTopic, gap);
    await produceDeadLetters(brokers, `${topic}.dlq`, [
      { reason: 'invalid_json', detail: 'Unexpected end of JSON input' },
      { reason: 'invalid_json', detail: 'Unexpected token' },
      { reason: 'es_rejected', detail: 'mapper_parsing_exception' },
    ]);
    await produceEvents(brokers, topic, fixtureRecentChanges().slice(0, 60));
    await commitGroupOffsets(brokers, groupId, topic, '5');
    api = await startApi({ elasticsearchUrl, indexPrefix, kafkaBrokers: brokers, topic, gapsTopic, groupId });
    browser = await launchBrowser();
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await api?.stop();
    await deleteIndicesWithPrefix(elasticsearchUrl, indexPrefix);
    await deleteTopics(brokers, [topic, `${topic}.dlq`, gapsTopic]);
    await deleteConsumerGroups(brokers, [groupId]);
  }, 60_000);

  async function open(path = '/'): Promise<{ page: Page; watch: PageWatch }> {
    const page = await browser.context.newPage();
    const watch = await watchPage(page);
    await page.goto(`${api.origin}${path}`);
    await waitForPanels(page);
    return { page, watch };
  }

  async function waitForPanels(page: Page): Promise<void> {
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

  const rowTexts = (page: Page, selector: string) =>
    page.$$eval(selector, (rows) => rows.map((row) => row.textContent ?? ''));

  it('loads with every panel filled, its chart drawn, and no console errors or CSP violations', async () => {
    const { page, watch } = await open();
    const states = await page.$$eval('section.panel', (panels) =>
      panels.map((p) => `${p.id}:${(p as HTMLElement).dataset.state}`),
    );
    for (const id of PANELS) expect(states).toContain(`${id}:ready`);
    expect(await page.locator('#events-over-time canvas').count()).toBeGreaterThan(0);
    expect(await page.locator('#events-over-time .legend-gap').count()).toBe(1);
    expect(await page.locator('#kpis .kpi').count()).toBe(6);
    for (const id of [
      'top-wikis',
      'top-pages',
      'top-editors',
      'change-types',
      'namespaces',
      'trending',
      'pipeline',
    ]) {
      expect(await page.locator(`#${id} tbody tr`).count(), id).toBeGreaterThan(0);
    }
    expect((await rowTexts(page, '#top-wikis tbody tr'))[0]).toContain('wikidatawiki');
    expect(await page.locator('#pipeline .gap-list li').count()).toBeGreaterThan(0);
    expect(await page.locator('#pipeline .reason-list li').count()).toBeGreaterThan(0);
    expect(await page.getAttribute('.app-header .freshness', 'data-freshness')).toMatch(/fresh|lagging/);
    expect(await page.locator('#search tbody tr').count()).toBeGreaterThan(0);
    expect(watch.consoleErrors).toEqual([]);
    expect(watch.pageErrors).toEqual([]);
    expect(await watch.cspViolations()).toEqual([]);
    expect(watch.requests.filter((url) => !url.startsWith(api.origin))).toEqual([]);
    await page.close();
  }, 90_000);

  it('finds an event by a word of its title, with a link to the page on its wiki', async () => {
    const { page } = await open();
    await page.fill('#search-q', KNOWN_TITLE.word);
    await page.press('#search-q', 'Enter');
    await page.waitForFunction(
      (title) => document.querySelector('#search tbody')?.textContent?.includes(title),
      KNOWN_TITLE.title,
    );
    expect(new URL(page.url()).searchParams.get('q')).toBe(KNOWN_TITLE.word);
    const titles = await page.$$eval('#search tbody .event-title .strong-link', (links) =>
      links.map((link) => link.textContent),
    );
    expect(titles.length).toBeGreaterThan(0);
    expect(new Set(titles)).toEqual(new Set([KNOWN_TITLE.title]));
    const link = page.locator('#search tbody a', { hasText: KNOWN_TITLE.title }).first();
    expect(await link.getAttribute('href')).toBe(KNOWN_TITLE.url);
    await page.close();
  }, 90_000);

  it('changes the results and the URL when a filter changes, and restores that view on reload', async () => {
    const { page } = await open();
    const before = await rowTexts(page, '#top-wikis tbody tr');
    expect(before.length).toBeGreaterThan(1);
    await page.fill('#filter-wiki', 'enwiki');
    await page.press('#filter-wiki', 'Enter');
    await page.selectOption('#filter-bot', 'false');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('bot') === 'false');
    await waitForPanels(page);
    const url = new URL(page.url());
    expect(url.searchParams.get('wiki')).toBe('enwiki');
    const expectFiltered = async () => {
      await waitFor(
        async () => {
          const wikis = await rowTexts(page, '#top-wikis tbody tr');
          return wikis.length === 1 && wikis[0]?.includes('enwiki');
        },
        { timeoutMs: 15_000, message: 'top wikis filtered to enwiki' },
      );
      const searchWikis = await page.$$eval('#search tbody tr td:nth-child(2)', (cells) =>
        cells.map((c) => c.textContent),
      );
      expect(searchWikis.length).toBeGreaterThan(0);
      expect(new Set(searchWikis)).toEqual(new Set(['enwiki']));
      expect(await page.locator('#top-editors .badge-bot').count()).toBe(0);
      expect(await page.locator('[data-kpi="active-wikis"] .kpi-value').textContent()).toBe('1');
    };
    await expectFiltered();
    await page.reload();
    await waitForPanels(page);
    expect(page.url()).toBe(url.toString());
    expect(await page.inputValue('#filter-wiki')).toBe('enwiki');
    expect(await page.inputValue('#filter-bot')).toBe('false');
    await expectFiltered();
    await page.close();
  }, 90_000);

  it('shows events produced to Kafka as they arrive, newest first, holds them while paused and draws none while hidden', async () => {
    const { page } = await open();
    await page.waitForSelector('#live-feed .live-status[data-status="live"]');
    const template = fixtureRecentChanges().find(
      (event) => event.wiki === 'enwiki' && event.type === 'edit',
    ) as RecentChangeEvent;
    const batch = (marker: string, count: number) =>
      Array.from({ length: count }, (_, i) => ({
        ...retime(template, Date.now() + i, uniqueName(marker)),
        title: `Livetest ${marker}`,
      }));
    const shownIds = () =>
      page.$$eval('#live-feed .live-item', (items) => items.map((item) => (item as HTMLElement).dataset.id));

    const first = batch('first', 5);
    await produceEvents(brokers, topic, first);
    await waitFor(
      async () => (await shownIds()).filter((id) => first.some((e) => e.meta.id === id)).length === 5,
      {
        timeoutMs: 20_000,
        message: 'live events shown',
      },
    );
    const order = (await shownIds()).filter((id) => first.some((e) => e.meta.id === id));
    expect(order).toEqual(first.map((e) => e.meta.id).reverse());

    await page.click('#live-feed button[aria-pressed]');
    expect(await page.getAttribute('#live-feed button[aria-pressed]', 'aria-pressed')).toBe('true');
    const held = batch('held', 3);
    await produceEvents(brokers, topic, held);
    await page.waitForFunction(
      () => document.querySelector('#live-feed .live-pending')?.textContent === '3 new',
      undefined,
      { timeout: 20_000 },
    );
    expect((await shownIds()).filter((id) => held.some((e) => e.meta.id === id))).toEqual([]);

    await page.click('#live-feed button[aria-pressed]');
    await waitFor(async () => (await shownIds())[0] === held.at(-1)?.meta.id, {
      timeoutMs: 10_000,
      message: 'held events shown after resume',
    });

    // A hidden tab draws nothing and keeps at most 100 events waiting; back in view, the newest show.
    const setHidden = (hidden: boolean) =>
      page.evaluate((value) => {
        if (value) {
          Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
          Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
        } else {
          delete (document as { hidden?: boolean }).hidden;
          delete (document as { visibilityState?: string }).visibilityState;
        }
        document.dispatchEvent(new Event('visibilitychange'));
      }, hidden);
    await setHidden(true);
    const before = await shownIds();
    const flood = batch('flood', 150);
    await produceEvents(brokers, topic, flood);
    await page.waitForFunction(
      () => document.getElementById('live-feed')?.dataset.queued === '100',
      undefined,
      {
        timeout: 20_000,
      },
    );
    expect(await shownIds()).toEqual(before);
    await setHidden(false);
    await waitFor(async () => (await shownIds())[0] === flood.at(-1)?.meta.id, {
      timeoutMs: 10_000,
      message: 'newest flood event shown after the tab is visible again',
    });
    const after = await shownIds();
    expect(after.length).toBeLessThanOrEqual(100);
    expect(after.slice(0, 100)).toEqual(
      flood
        .slice(-100)
        .map((e) => e.meta.id)
        .reverse(),
    );
    expect(await page.textContent('#live-feed .live-skipped')).toMatch(/^\d+ skipped$/);
    await page.close();
  }, 120_000);

  it('renders hostile titles, comments and user names as text: no dialog, no injected element, no request', async () => {
    const { page, watch } = await open(`/?q=${HOSTILE.word}`);
    await page.waitForSelector('#live-feed .live-status[data-status="live"]');
    await produceEvents(brokers, topic, hostileEvents(Date.now(), 3, uniqueName('xss-live')));
    await page.waitForFunction(
      (title) => document.querySelector('#live-feed .live-list')?.textContent?.includes(title),
      HOSTILE.title,
      { timeout: 20_000 },
    );
    for (const id of ['search', 'top-pages', 'live-feed']) {
      expect(await page.textContent(`#${id}`), id).toContain(HOSTILE.title);
    }
    expect(await page.textContent('#top-editors')).toContain(HOSTILE.user);
    expect(await page.textContent('#search')).toContain(HOSTILE.comment);

    const dom = await page.evaluate(() => ({
      images: document.querySelectorAll('img').length,
      scripts: [...document.scripts].map((script) => script.src || 'inline'),
      handlers: [...document.querySelectorAll('*')].flatMap((el) =>
        el.getAttributeNames().filter((name) => name.startsWith('on')),
      ),
      hrefs: [...document.querySelectorAll('[href]')].map((el) => el.getAttribute('href') ?? ''),
      foreignServerLinks: [...document.querySelectorAll('a')].filter((a) =>
        a.textContent?.includes('javascript server'),
      ).length,
    }));
    expect(dom.images).toBe(0);
    expect(dom.scripts.every((src) => src.startsWith(`${api.origin}/assets/`))).toBe(true);
    expect(dom.handlers).toEqual([]);
    for (const href of dom.hrefs) expect(href, href).toMatch(/^(#|\/[^/]|https:\/\/)/);
    expect(
      dom.hrefs.some(
        (href) =>
          /javascript:/i.test(decodeURIComponent(href)) && !href.startsWith('https://en.wikipedia.org/wiki/'),
      ),
    ).toBe(false);
    expect(dom.foreignServerLinks).toBe(0);
    expect(dom.hrefs).toContain(
      `https://en.wikipedia.org/wiki/Special:Contributions/${encodeURIComponent(HOSTILE.user.replaceAll(' ', '_'))}`,
    );

    expect(watch.dialogs).toEqual([]);
    expect(watch.requests.filter((url) => !url.startsWith(api.origin) || /xss-probe|\/x$/.test(url))).toEqual(
      [],
    );
    expect(watch.pageErrors).toEqual([]);
    await page.close();
  }, 90_000);

  it('has no serious or critical axe violations in light and dark, remembers the theme, and fits a phone', async () => {
    const { page, watch } = await open();
    // A few recent changes in the live feed, so the screenshots show it at work.
    const fillLiveFeed = async () => {
      await page.waitForSelector('#live-feed .live-status[data-status="live"]');
      const recent = fixtureRecentChanges()
        .filter((event) => event.wiki !== 'wikidatawiki')
        .slice(0, 14)
        .map((event, i) => retime(event, Date.now() - (14 - i) * 700, uniqueName('shot')));
      await produceEvents(brokers, topic, recent);
      await page.waitForFunction(
        () => document.querySelectorAll('#live-feed .live-item').length >= 14,
        undefined,
        {
          timeout: 20_000,
        },
      );
    };
    await fillLiveFeed();
    const audit = async () => {
      await page.evaluate(axeSource);
      const result = await page.evaluate(async () => {
        const axe = (
          window as unknown as {
            axe: {
              run: (
                ctx: Document,
                opts: object,
              ) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }>;
            };
          }
        ).axe;
        return axe.run(document, { resultTypes: ['violations'] });
      });
      return result.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map(
          (v) =>
            `${v.impact} ${v.id}: ${v.nodes
              .slice(0, 3)
              .map((n) => n.target.join(' '))
              .join(', ')}`,
        );
    };
    const themeIs = (theme: string) =>
      page.waitForFunction((t) => document.documentElement.dataset.theme === t, theme, { timeout: 5_000 });
    await page.emulateMedia({ colorScheme: 'dark' });
    await themeIs('dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await themeIs('light');

    expect(await audit()).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-light.png'), fullPage: true });

    await page.click('.theme-toggle');
    expect(await page.getAttribute('html', 'data-theme')).toBe('dark');
    await page.reload();
    await waitForPanels(page);
    expect(await page.getAttribute('html', 'data-theme')).toBe('dark');
    await fillLiveFeed();
    expect(await audit()).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-dark.png'), fullPage: true });

    await page.setViewportSize({ width: 390, height: 844 });
    // The chart follows its container through a ResizeObserver, one frame later.
    await page.waitForFunction(() => document.documentElement.scrollWidth <= 390, undefined, {
      timeout: 5_000,
    });
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-phone-dark.png'), fullPage: true });
    expect(watch.consoleErrors).toEqual([]);
    await page.close();
  }, 120_000);
});
