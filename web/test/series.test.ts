import type { StatsResponse, Totals } from '@wikistream/shared';
import { describe, expect, it } from 'vitest';
import { computeKpis } from '../src/kpis.ts';
import { gapBands, intervalLabel, seriesSums, shapeSeries } from '../src/series.ts';

const point = (t: string, bot: number, human: number, anonymous: number) => ({ t, bot, human, anonymous });

describe('series shaping', () => {
  it('sorts buckets, converts times to seconds and stacks humans, anonymous and bots', () => {
    const shaped = shapeSeries([
      point('2026-01-01T00:01:00Z', 5, 2, 1),
      point('2026-01-01T00:00:00Z', 3, 4, 0),
    ]);
    expect(shaped.x).toEqual([
      Date.parse('2026-01-01T00:00:00Z') / 1000,
      Date.parse('2026-01-01T00:01:00Z') / 1000,
    ]);
    expect(shaped.human).toEqual([4, 2]);
    expect(shaped.anonymous).toEqual([0, 1]);
    expect(shaped.bot).toEqual([3, 5]);
    expect(shaped.stacked).toEqual([
      [4, 2],
      [4, 3],
      [7, 8],
    ]);
    expect(seriesSums(shaped)).toEqual({ human: 6, anonymous: 1, bot: 8, total: 15, peak: 8 });
  });

  it('treats missing or negative counts as zero and drops unparseable times', () => {
    const shaped = shapeSeries([
      { t: 'nope', bot: 1, human: 1, anonymous: 1 },
      { t: '2026-01-01T00:00:00Z', bot: -1, human: Number.NaN, anonymous: 2 },
    ]);
    expect(shaped.x).toHaveLength(1);
    expect(shaped.total).toEqual([2]);
  });

  it('clips gap bands to the visible range, drops those outside and merges overlaps', () => {
    const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();
    const gap = (from: number, to: number) => ({
      from: at(from),
      to: at(to),
      reason: 'cursor_expired',
      detectedAt: at(to),
    });
    const bands = gapBands(
      [gap(-10, 5), gap(20, 30), gap(25, 40), gap(70, 80), gap(50, 45)],
      Date.parse(at(0)),
      Date.parse(at(60)),
    );
    expect(bands).toEqual([
      [Date.parse(at(0)) / 1000, Date.parse(at(5)) / 1000],
      [Date.parse(at(20)) / 1000, Date.parse(at(40)) / 1000],
    ]);
  });

  it('labels the bucket interval for the axis', () => {
    expect(intervalLabel('1m')).toBe('per minute');
    expect(intervalLabel('30s')).toBe('per 30 seconds');
    expect(intervalLabel('3h')).toBe('per 3 hours');
    expect(intervalLabel('weird')).toBe('per weird');
  });
});

const totals = (overrides: Partial<Totals>): Totals => ({
  events: 0,
  edits: 0,
  newPages: 0,
  logs: 0,
  categorize: 0,
  bots: 0,
  humans: 0,
  anonymous: 0,
  activeWikis: 0,
  activeUsers: 0,
  bytesAdded: 0,
  bytesRemoved: 0,
  ...overrides,
});

describe('key figures', () => {
  it('compares each figure with the previous period of the same length', () => {
    const stats = {
      range: { from: '2026-01-01T00:00:00Z', to: '2026-01-01T01:00:00Z', interval: '1m' },
      totals: totals({ events: 1000, edits: 800, newPages: 50, bots: 400, anonymous: 100, activeWikis: 40 }),
      previous: totals({ events: 600, edits: 640, newPages: 50, bots: 300, anonymous: 60, activeWikis: 50 }),
      eventsPerMinute: 20,
      series: [],
      topWikis: [],
      topPages: [],
      topEditors: [],
      types: [],
      namespaces: [],
    } satisfies StatsResponse;
    const kpis = Object.fromEntries(computeKpis(stats).map((kpi) => [kpi.id, kpi]));
    expect(Object.keys(kpis)).toEqual([
      'events-per-minute',
      'edits',
      'new-pages',
      'bot-share',
      'anonymous-share',
      'active-wikis',
    ]);
    expect(kpis['events-per-minute']).toMatchObject({
      value: '20.0',
      change: { text: '+100.0%', trend: 'up' },
    });
    expect(kpis.edits).toMatchObject({ value: '800', change: { text: '+25.0%' } });
    expect(kpis['new-pages']?.change.trend).toBe('flat');
    expect(kpis['bot-share']).toMatchObject({ value: '40.0%', change: { text: '−10.0 pp', trend: 'down' } });
    expect(kpis['anonymous-share']).toMatchObject({ value: '10.0%', change: { text: '±0 pp' } });
    expect(kpis['active-wikis']).toMatchObject({ value: '40', change: { text: '−20.0%', trend: 'down' } });
  });
});
