import type { RecentChangeEvent, TrendingResponse } from '@wikistream/shared';
import { createTestIndexPrefix } from '@wikistream/tools/testing';
import { describe, expect, inject, it } from 'vitest';
import { seedEvents } from './support/seed.ts';
import { createTestApp } from './support/test-app.ts';

const MINUTE = 60_000;

function events(wiki: string, title: string, times: number[]): RecentChangeEvent[] {
  return times.map((t, i) => ({
    meta: { id: `${wiki}-${title}-${i}`, dt: new Date(t).toISOString(), domain: `${wiki}.example` },
    type: 'edit',
    wiki,
    title,
    user: `User${i % 3}`,
    bot: false,
    server_url: `https://${wiki}.example`,
  }));
}

const spread = (from: number, to: number, count: number) =>
  Array.from({ length: count }, (_, i) => from + Math.floor(((i + 0.5) * (to - from)) / count));

describe('trending', () => {
  it('lists a page and a wiki that burst past their own baseline, and not steady or tiny ones', async () => {
    const url = inject('elasticsearchUrl');
    const prefix = createTestIndexPrefix(url, 'api-trend');
    const now = Date.now();
    const window = now - 15 * MINUTE;
    const baseline = window - 180 * MINUTE;
    await seedEvents(url, prefix, [
      // A burst: 6 events in three hours, then 24 in fifteen minutes.
      ...events('enwiki', 'Burst', [...spread(baseline, window, 6), ...spread(window, now - 1000, 24)]),
      // Steady: the same rate before and now.
      ...events('enwiki', 'Steady', [...spread(baseline, window, 240), ...spread(window, now - 1000, 20)]),
      // Too small to trend, however new.
      ...events('enwiki', 'Tiny', spread(window, now - 1000, 3)),
      // A quiet wiki waking up.
      ...events('dewiki', 'Wake', [...spread(baseline, window, 12), ...spread(window, now - 1000, 40)]),
    ]);
    const api = await createTestApp({ prefix });
    try {
      const response = await api.app.inject({ method: 'GET', url: '/api/trending' });
      expect(response.statusCode).toBe(200);
      const trending = response.json() as TrendingResponse;
      expect(trending.pages.map((p) => p.title)).toEqual(['Wake', 'Burst']);
      const burst = trending.pages.find((p) => p.title === 'Burst');
      expect(burst).toMatchObject({
        wiki: 'enwiki',
        recent: 24,
        expected: 0.5,
        serverUrl: 'https://enwiki.example',
      });
      expect(burst?.ratio).toBeCloseTo(25 / 1.5, 5);
      expect(trending.wikis.map((w) => w.wiki)).toEqual(['dewiki']);
      expect(Date.parse(trending.window.to) - Date.parse(trending.window.from)).toBe(15 * MINUTE);
      expect(Date.parse(trending.baseline.to)).toBe(Date.parse(trending.window.from));
    } finally {
      await api.close();
    }
  });
});
