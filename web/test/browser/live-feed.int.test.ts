import type { RecentChangeEvent } from '@wikistream/shared';
import { uniqueName, waitFor } from '@wikistream/tools/testing';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type DashboardStack, startDashboardStack } from './support/dashboard-stack.ts';
import { produceEvents } from './support/kafka.ts';
import { fixtureRecentChanges, retime } from './support/seed.ts';

/** Makes the page believe its tab was hidden (or shown again), as a browser does on a tab switch. */
function setHidden(page: Page, hidden: boolean): Promise<void> {
  return page.evaluate((value) => {
    if (value) {
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    } else {
      delete (document as { hidden?: boolean }).hidden;
      delete (document as { visibilityState?: string }).visibilityState;
    }
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}

describe('the live feed, in Chromium, fed by Kafka through the real API', () => {
  let stack: DashboardStack;
  beforeAll(async () => {
    stack = await startDashboardStack(inject('kafkaBrokers'), inject('elasticsearchUrl'));
  }, 180_000);
  afterAll(() => stack?.close(), 60_000);

  it('shows events from Kafka newest first, holds them while paused, draws none while hidden, and stays the same size', async () => {
    const { page } = await stack.open();
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
    await produceEvents(stack.brokers, stack.topic, first);
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
    await produceEvents(stack.brokers, stack.topic, held);
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
    await setHidden(page, true);
    const before = await shownIds();
    const flood = batch('flood', 150);
    await produceEvents(stack.brokers, stack.topic, flood);
    await page.waitForFunction(
      () => document.getElementById('live-feed')?.dataset.queued === '100',
      undefined,
      {
        timeout: 20_000,
      },
    );
    expect(await shownIds()).toEqual(before);
    await setHidden(page, false);
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

    // Full at 100 rows, the feed's DOM stays the same size however many more events pass through.
    const feedElements = () => page.$$eval('#live-feed *', (elements) => elements.length);
    const full = await feedElements();
    for (let round = 0; round < 3; round += 1) {
      const more = batch(`more-${round}`, 150);
      await produceEvents(stack.brokers, stack.topic, more);
      await waitFor(async () => (await shownIds())[0] === more.at(-1)?.meta.id, {
        timeoutMs: 20_000,
        message: 'newest event of the round shown',
      });
      expect(await feedElements()).toBe(full);
    }
    await page.close();
  }, 120_000);
});
