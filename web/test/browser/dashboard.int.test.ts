import { PROJECT_VERSION } from '@wikistream/shared';
import { uniqueName, waitFor } from '@wikistream/tools/testing';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  type DashboardStack,
  PANELS,
  startDashboardStack,
  waitForPanels,
} from './support/dashboard-stack.ts';
import { produceEvents } from './support/kafka.ts';
import { HOSTILE, hostileEvents, KNOWN_TITLE } from './support/seed.ts';

const rowTexts = (page: Page, selector: string) =>
  page.$$eval(selector, (rows) => rows.map((row) => row.textContent ?? ''));

describe('the dashboard, in Chromium, against the real API, Elasticsearch and Kafka', () => {
  let stack: DashboardStack;
  beforeAll(async () => {
    stack = await startDashboardStack(inject('kafkaBrokers'), inject('elasticsearchUrl'));
  }, 180_000);
  afterAll(() => stack?.close(), 60_000);

  it('loads with every panel filled, its chart drawn, and no console errors or CSP violations', async () => {
    const { page, watch } = await stack.open();
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
    expect(await page.textContent('footer .app-version')).toBe(`wikistream ${PROJECT_VERSION}`);
    expect(watch.consoleErrors).toEqual([]);
    expect(watch.pageErrors).toEqual([]);
    expect(await watch.cspViolations()).toEqual([]);
    expect(watch.requests.filter((url) => !url.startsWith(stack.api.origin))).toEqual([]);
    await page.close();
  }, 90_000);

  it('finds an event by a word of its title, with a link to the page on its wiki', async () => {
    const { page } = await stack.open();
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

    // The export links carry the same query; what they download holds the event.
    const ndjson = await page.getAttribute('#search a[download$=".ndjson"]', 'href');
    const csv = await page.getAttribute('#search a[download$=".csv"]', 'href');
    expect(new URL(ndjson ?? '', stack.api.origin).searchParams.get('q')).toBe(KNOWN_TITLE.word);
    expect(new URL(csv ?? '', stack.api.origin).searchParams.get('format')).toBe('csv');
    const exported = await (await fetch(new URL(ndjson ?? '', stack.api.origin))).text();
    const lines = exported
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { title?: string });
    expect(lines.length).toBe(titles.length);
    expect(lines.every((line) => line.title === KNOWN_TITLE.title)).toBe(true);
    await page.close();
  }, 90_000);

  it('pages through search results with the cursor, forward and back', async () => {
    const { page } = await stack.open();
    const ids = () =>
      page.$$eval('#search tbody tr', (rows) => rows.map((row) => (row as HTMLElement).dataset.key));
    const first = await ids();
    expect(first.length).toBe(25);
    await page.click('#search .pager button:has-text("Older")');
    await page.waitForFunction(() =>
      document.querySelector('#search .pager')?.textContent?.includes('Page 2'),
    );
    const second = await ids();
    expect(second.length).toBe(25);
    expect(second.some((row) => first.includes(row))).toBe(false);
    await page.click('#search .pager button:has-text("Newer")');
    await page.waitForFunction(() =>
      document.querySelector('#search .pager')?.textContent?.includes('Page 1'),
    );
    expect(await ids()).toEqual(first);
    await page.close();
  }, 90_000);

  it('switches the time range with the picker, a custom range or a drag across the chart, kept in the URL', async () => {
    const { page } = await stack.open();
    const eventsShown = () => page.textContent('[data-kpi="edits"] .kpi-value');
    const lastHour = await eventsShown();
    await page.click('.segmented button[data-range="15m"]');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('range') === '15m');
    await waitForPanels(page);
    expect(await page.getAttribute('.segmented button[data-range="15m"]', 'aria-pressed')).toBe('true');
    await waitFor(async () => (await eventsShown()) !== lastHour, {
      timeoutMs: 10_000,
      message: 'fewer edits in 15 min',
    });

    await page.click('.segmented button[data-range="custom"]');
    const to = new Date(Date.now() + 60_000);
    const from = new Date(to.getTime() - 3 * 3_600_000);
    const local = (d: Date) => d.toISOString().slice(0, 16); // the browser runs in UTC
    await page.fill('#range-from', local(from));
    await page.fill('#range-to', local(to));
    await page.click('.custom-range button[type="submit"]');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('range') === 'custom');
    await waitForPanels(page);
    const url = new URL(page.url());
    expect(url.searchParams.get('from')).toBe(`${local(from)}:00.000Z`);
    await page.reload();
    await waitForPanels(page);
    expect(await page.getAttribute('.segmented button[data-range="custom"]', 'aria-pressed')).toBe('true');
    expect(await page.inputValue('#range-from')).toBe(local(from));
    expect(Number((await eventsShown())?.replace(/\D/g, ''))).toBeGreaterThan(
      Number(lastHour?.replace(/\D/g, '')),
    );

    // Dragging across the chart zooms into that stretch as a new custom range.
    const plot = page.locator('#events-over-time .u-over');
    const box = await plot.boundingBox();
    if (!box) throw new Error('the chart has no plot area');
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.75, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await page.waitForFunction(
      (before) => new URL(location.href).searchParams.get('from') !== before,
      url.searchParams.get('from'),
    );
    const zoomed = new URL(page.url());
    const span =
      Date.parse(zoomed.searchParams.get('to') ?? '') - Date.parse(zoomed.searchParams.get('from') ?? '');
    expect(span).toBeGreaterThan(30 * 60_000);
    expect(span).toBeLessThan(60 * 60_000);
    await page.close();
  }, 90_000);

  it('changes the results and the URL when a filter changes, restores that view on reload, and goes back', async () => {
    const { page } = await stack.open();
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

    // Back in history is the unfiltered view again.
    await page.goBack();
    await page.goBack();
    await page.waitForFunction(() => !new URL(location.href).searchParams.has('wiki'));
    await waitForPanels(page);
    expect(await page.inputValue('#filter-wiki')).toBe('');
    await waitFor(async () => (await rowTexts(page, '#top-wikis tbody tr')).length > 1, {
      timeoutMs: 15_000,
      message: 'top wikis unfiltered again',
    });
    await page.close();
  }, 90_000);

  it('renders hostile titles, comments and user names as text: no dialog, no injected element, no request', async () => {
    const { page, watch } = await stack.open(`/?q=${HOSTILE.word}`);
    await page.waitForSelector('#live-feed .live-status[data-status="live"]');
    await produceEvents(stack.brokers, stack.topic, hostileEvents(Date.now(), 3, uniqueName('xss-live')));
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
      foreignServerLinks: [...document.querySelectorAll('a')].filter(
        (a) =>
          a.textContent?.includes('javascript server') ||
          a.textContent?.includes('foreign host') ||
          a.textContent?.includes('foreign user'),
      ).length,
    }));
    expect(dom.images).toBe(0);
    expect(dom.scripts.every((src) => src.startsWith(`${stack.api.origin}/assets/`))).toBe(true);
    expect(dom.handlers).toEqual([]);
    for (const href of dom.hrefs) expect(href, href).toMatch(/^(#|\/[^/]|https:\/\/)/);
    expect(
      dom.hrefs.some(
        (href) =>
          /javascript:/i.test(decodeURIComponent(href)) && !href.startsWith('https://en.wikipedia.org/wiki/'),
      ),
    ).toBe(false);
    expect(dom.foreignServerLinks).toBe(0);
    expect(dom.hrefs.filter((href) => href.includes('evil.example'))).toEqual([]);
    expect(await page.textContent('#live-feed')).toContain(`${HOSTILE.word} foreign host`);
    expect(dom.hrefs).toContain(
      `https://en.wikipedia.org/wiki/Special:Contributions/${encodeURIComponent(HOSTILE.user.replaceAll(' ', '_'))}`,
    );

    expect(watch.dialogs).toEqual([]);
    expect(
      watch.requests.filter((url) => !url.startsWith(stack.api.origin) || /xss-probe|\/x$/.test(url)),
    ).toEqual([]);
    expect(watch.pageErrors).toEqual([]);
    await page.close();
  }, 90_000);
});
