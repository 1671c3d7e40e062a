import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { uniqueName } from '@wikistream/tools/testing';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  ARTIFACTS,
  type DashboardStack,
  startDashboardStack,
  waitForPanels,
} from './support/dashboard-stack.ts';
import { produceEvents } from './support/kafka.ts';
import { fixtureRecentChanges, retime } from './support/seed.ts';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeResult {
  violations: { id: string; impact: string; nodes: { target: string[] }[] }[];
}

/** axe-core in the page (evaluated over the DevTools protocol, so the page's CSP still holds). */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<AxeResult> } }).axe;
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
}

describe('the dashboard’s accessibility, themes and layout, in Chromium against the real API', () => {
  let stack: DashboardStack;
  beforeAll(async () => {
    stack = await startDashboardStack(inject('kafkaBrokers'), inject('elasticsearchUrl'));
  }, 180_000);
  afterAll(() => stack?.close(), 60_000);

  it('has no serious or critical axe violations in light and dark, remembers the theme, and fits a phone', async () => {
    const { page, watch } = await stack.open();
    // A few recent changes in the live feed, so the screenshots show it at work.
    const fillLiveFeed = async () => {
      await page.waitForSelector('#live-feed .live-status[data-status="live"]');
      const recent = fixtureRecentChanges()
        .filter((event) => event.wiki !== 'wikidatawiki')
        .slice(0, 14)
        .map((event, i) => retime(event, Date.now() - (14 - i) * 700, uniqueName('shot')));
      await produceEvents(stack.brokers, stack.topic, recent);
      await page.waitForFunction(
        () => document.querySelectorAll('#live-feed .live-item').length >= 14,
        undefined,
        {
          timeout: 20_000,
        },
      );
    };
    await fillLiveFeed();
    const audit = () => seriousViolations(page);
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

  it('gives each kind of editor its own colour and readable badges, in light and dark', async () => {
    const { page } = await stack.open('/?editorKind=temporary,ip');
    const swatches = () =>
      page.$$eval('#events-over-time .legend-item:not(.legend-gap) .legend-swatch', (items) =>
        items.map((item) => getComputedStyle(item).backgroundColor),
      );
    const seen: Record<string, string[]> = {};
    for (const theme of ['light', 'dark']) {
      if ((await page.getAttribute('html', 'data-theme')) !== theme) await page.click('.theme-toggle');
      expect(await page.getAttribute('html', 'data-theme')).toBe(theme);
      const colours = await swatches();
      expect(colours, theme).toHaveLength(4);
      expect(new Set(colours).size, theme).toBe(4);
      seen[theme] = colours;
      expect(await page.locator('#top-editors .badge-temporary').count(), theme).toBeGreaterThan(0);
      expect(await page.locator('#top-editors .badge-ip').count(), theme).toBeGreaterThan(0);
      expect(await seriousViolations(page), theme).toEqual([]);
    }
    // Each theme has colours of its own for the four series.
    for (const [i, light] of (seen.light ?? []).entries()) expect(seen.dark?.[i]).not.toBe(light);
    await page.close();
  }, 60_000);

  it('works from the keyboard: skip link, time range, filter menu and pause', async () => {
    const { page } = await stack.open();
    const focused = () => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Skip to the dashboard');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');

    await page.focus('.segmented button[data-range="24h"]');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('range') === '24h');

    await page.focus('.multi-select summary');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('type') === 'edit');
    await page.keyboard.press('Escape');
    expect(await page.evaluate(() => document.querySelector('.multi-select')?.hasAttribute('open'))).toBe(
      false,
    );

    await page.focus('#live-feed .pause-button');
    await page.keyboard.press('Space');
    expect(await page.getAttribute('#live-feed .pause-button', 'aria-pressed')).toBe('true');
    await page.close();
  }, 60_000);
});
