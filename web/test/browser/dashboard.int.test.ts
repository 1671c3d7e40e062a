import { PROJECT_VERSION, type RecentChangeEvent } from '@wikistream/shared';
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
import { editorKindEvents, HOSTILE, hostileEvents, KIND_EDITORS, KNOWN_TITLE } from './support/seed.ts';

const rowTexts = (page: Page, selector: string) =>
  page.$$eval(selector, (rows) => rows.map((row) => row.textContent ?? ''));

/** The chart legend's kinds and their totals for the range (only zero or not: 12.3K reads 123). */
const legendCounts = (page: Page) =>
  page.$$eval('#events-over-time .legend-item:not(.legend-gap)', (items) =>
    Object.fromEntries(
      items.map((item) => [
        item.querySelector('.legend-label')?.textContent ?? '',
        Number(item.querySelector('.legend-value')?.textContent?.replace(/\D/g, '')),
      ]),
    ),
  );

/** The kind badges beside each editor in a table's rows: one list per row. */
const rowBadges = (page: Page, selector: string) =>
  page.$$eval(selector, (rows) =>
    rows.map((row) => [...row.querySelectorAll('.badge:not(.type-badge)')].map((badge) => badge.textContent)),
  );

const checkedKinds = (page: Page) =>
  page.$$eval('#filter-editor-kind input:checked', (boxes) =>
    boxes.map((box) => (box as HTMLInputElement).value),
  );

const kpiValue = (page: Page, id: string) => page.textContent(`[data-kpi="${id}"] .kpi-value`);

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
    expect(await page.$$eval('#kpis .kpi-label', (labels) => labels.map((l) => l.textContent))).toEqual([
      'Events / min',
      'Edits',
      'New pages',
      'Active wikis',
      'Registered share',
      'Temporary-account share',
      'IP-address share',
      'Bot share',
    ]);
    // The chart stacks the four kinds; the seed has events by each of them in the last hour.
    const legend = await legendCounts(page);
    expect(Object.keys(legend)).toEqual([
      'Bots',
      'IP addresses',
      'Temporary accounts',
      'Registered accounts',
    ]);
    for (const [label, count] of Object.entries(legend)) expect(count, label).toBeGreaterThan(0);
    const summary = await page.getAttribute('#events-over-time .chart-host', 'aria-label');
    for (const kind of ['registered accounts', 'temporary accounts', 'IP addresses', 'bots'])
      expect(summary).toMatch(new RegExp(`[\\d,.K]+ by ${kind}`));
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
    // Everyone but bots: three of the four kinds in the Editors menu.
    await page.click('#filter-editor-kind summary');
    for (const kind of ['registered', 'temporary', 'ip']) {
      await page.check(`#filter-editor-kind input[value="${kind}"]`);
    }
    await page.waitForFunction(
      () => new URL(location.href).searchParams.get('editorKind') === 'registered,temporary,ip',
    );
    await waitForPanels(page);
    const url = new URL(page.url());
    expect(url.searchParams.get('wiki')).toBe('enwiki');
    expect(url.searchParams.has('bot')).toBe(false);
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
      expect(await page.locator('#search .badge-bot').count()).toBe(0);
      expect(await kpiValue(page, 'bot-share')).toBe('0.0%');
      expect(await page.locator('[data-kpi="active-wikis"] .kpi-value').textContent()).toBe('1');
    };
    await expectFiltered();
    await page.reload();
    await waitForPanels(page);
    expect(page.url()).toBe(url.toString());
    expect(await page.inputValue('#filter-wiki')).toBe('enwiki');
    expect(await checkedKinds(page)).toEqual(['registered', 'temporary', 'ip']);
    expect(await page.textContent('#filter-editor-kind .select-value')).toBe('3 selected');
    await expectFiltered();

    // Back in history (the wiki, then each kind) is the unfiltered view again.
    for (let step = 0; step < 4; step += 1) await page.goBack();
    await page.waitForFunction(() => !new URL(location.href).searchParams.has('wiki'));
    await waitForPanels(page);
    expect(await page.inputValue('#filter-wiki')).toBe('');
    await waitFor(async () => (await rowTexts(page, '#top-wikis tbody tr')).length > 1, {
      timeoutMs: 15_000,
      message: 'top wikis unfiltered again',
    });
    await page.close();
  }, 90_000);

  it('shows the four kinds of editor: the Editors filter (from an older anonymous URL too) on every request, the legend, the key figures and a badge per kind', async () => {
    // An older shared link for logged-out editors opens as temporary accounts and IP addresses.
    const { page, watch } = await stack.open('/?anonymous=true');
    expect(await checkedKinds(page)).toEqual(['temporary', 'ip']);
    expect(await page.textContent('#filter-editor-kind .select-value')).toBe('Temporary, IP');
    expect(new URL(page.url()).search).toBe('?editorKind=temporary%2Cip');
    await page.waitForSelector('#live-feed .live-status[data-status="live"]');
    const sent = (path: string) =>
      watch.requests
        .map((url) => new URL(url))
        .filter((url) => url.pathname === path)
        .map((url) => url.searchParams.get('editorKind'));
    for (const path of ['/api/stats', '/api/trending', '/api/events', '/api/live']) {
      expect(sent(path), path).toEqual(expect.arrayContaining(['temporary,ip']));
      expect(sent(path), path).not.toContain(null);
    }
    for (const format of ['ndjson', 'csv']) {
      const href = await page.getAttribute(`#search a[download$=".${format}"]`, 'href');
      expect(new URL(href ?? '', stack.api.origin).searchParams.get('editorKind')).toBe('temporary,ip');
    }

    const legend = await legendCounts(page);
    expect(legend['Registered accounts']).toBe(0);
    expect(legend.Bots).toBe(0);
    expect(legend['Temporary accounts']).toBeGreaterThan(0);
    expect(legend['IP addresses']).toBeGreaterThan(0);
    expect(await kpiValue(page, 'registered-share')).toBe('0.0%');
    expect(await kpiValue(page, 'bot-share')).toBe('0.0%');
    const shares = await Promise.all(['temporary-share', 'ip-share'].map((id) => kpiValue(page, id)));
    expect(shares.every((value) => Number.parseFloat(value ?? '') > 0)).toBe(true);
    expect(shares.reduce((sum, value) => sum + Number.parseFloat(value ?? ''), 0)).toBeCloseTo(100, 0);

    // Every editor shown is logged out, each with the badge of its kind.
    const editors = await rowTexts(page, '#top-editors tbody tr');
    const badges = await rowBadges(page, '#top-editors tbody tr');
    expect(editors.length).toBeGreaterThan(0);
    for (const [i, row] of badges.entries())
      expect(row, editors[i]).toSatisfy(
        (kinds: string[]) => kinds.length === 1 && ['temp', 'IP'].includes(kinds[0] ?? ''),
      );
    const badgeOf = (user: string) => badges[editors.findIndex((text) => text.includes(user))];
    for (const user of KIND_EDITORS.temporary) expect(badgeOf(user), user).toEqual(['temp']);
    for (const user of KIND_EDITORS.ip) expect(badgeOf(user), user).toEqual(['IP']);
    const searchBadges = await rowBadges(page, '#search tbody tr');
    expect(searchBadges.length).toBeGreaterThan(0);
    expect(new Set(searchBadges.flat())).toEqual(new Set(['temp', 'IP']));
    expect(searchBadges.every((row) => row.length === 1)).toBe(true);

    // The live feed asks for the same kinds: only the temporary account's and the address's edits arrive.
    const marker = uniqueName('kinds-live');
    const template = editorKindEvents(Date.now(), marker)[0] as RecentChangeEvent;
    const live = (n: number, user: string, bot: boolean): RecentChangeEvent => ({
      ...template,
      meta: { ...template.meta, id: `${marker}-${n}` },
      user,
      bot,
      title: `Kindlive ${marker}`,
    });
    // One page, so one partition: the first two are read (and left out) before the last two.
    const batch = [
      live(0, 'Registered Person', false),
      live(1, 'ExampleBot', true),
      live(2, KIND_EDITORS.temporary[0], false),
      live(3, KIND_EDITORS.ip[1], false),
    ];
    await produceEvents(stack.brokers, stack.topic, batch);
    const liveRows = () =>
      page.$$eval('#live-feed .live-item', (items) =>
        items.map((item) => ({
          id: (item as HTMLElement).dataset.id ?? '',
          badges: [...item.querySelectorAll('.event-user .badge')].map((badge) => badge.textContent),
        })),
      );
    await waitFor(async () => (await liveRows()).filter((row) => row.id.startsWith(marker)).length >= 2, {
      timeoutMs: 20_000,
      message: 'the logged-out live events shown',
    });
    const shown = (await liveRows()).filter((row) => row.id.startsWith(marker));
    expect(shown).toEqual([
      { id: `${marker}-3`, badges: ['IP'] },
      { id: `${marker}-2`, badges: ['temp'] },
    ]);
    expect(watch.consoleErrors).toEqual([]);
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
