import type { SeriesPoint, StatsResponse, Totals } from '@wikistream/shared';
import { describe, expect, it } from 'vitest';
import { describeChart } from '../src/charts/events-legend.ts';
import { chartData, GROUPS } from '../src/charts/events-plot.ts';
import { computeKpis } from '../src/kpis.ts';
import { gapBands, intervalLabel, seriesSums, shapeSeries } from '../src/series.ts';

/** A bucket as the API sends it: `human` repeats `registered`, `anonymous` is temporary + ip. */
const point = (t: string, registered: number, temporary: number, ip: number, bot: number): SeriesPoint => ({
  t,
  registered,
  human: registered,
  temporary,
  ip,
  anonymous: temporary + ip,
  bot,
});

describe('series shaping', () => {
  it('sorts buckets, converts times to seconds and stacks registered, temporary, ip and bots', () => {
    const shaped = shapeSeries([
      point('2026-01-01T00:01:00Z', 2, 1, 4, 5),
      point('2026-01-01T00:00:00Z', 4, 0, 2, 3),
    ]);
    expect(shaped.x).toEqual([
      Date.parse('2026-01-01T00:00:00Z') / 1000,
      Date.parse('2026-01-01T00:01:00Z') / 1000,
    ]);
    expect(shaped.registered).toEqual([4, 2]);
    expect(shaped.temporary).toEqual([0, 1]);
    expect(shaped.ip).toEqual([2, 4]);
    expect(shaped.bot).toEqual([3, 5]);
    expect(shaped.stacked).toEqual([
      [4, 2],
      [4, 3],
      [6, 7],
      [9, 12],
    ]);
    expect(shaped.total).toEqual([9, 12]);
    expect(seriesSums(shaped)).toEqual({ registered: 6, temporary: 1, ip: 6, bot: 8, total: 21, peak: 12 });
  });

  it('reads each kind from its own field, not from the older human and anonymous sums', () => {
    const shaped = shapeSeries([{ ...point('2026-01-01T00:00:00Z', 1, 7, 3, 0), human: 11 }]);
    expect(shaped.registered).toEqual([1]);
    expect(shaped.total).toEqual([11]);
  });

  it('treats missing or negative counts as zero and drops unparseable times', () => {
    const shaped = shapeSeries([
      point('nope', 1, 1, 1, 1),
      { ...point('2026-01-01T00:00:00Z', Number.NaN, 2, -4, -1), ip: undefined as unknown as number },
    ]);
    expect(shaped.x).toHaveLength(1);
    expect(shaped.total).toEqual([2]);
  });

  it('gives the chart one series per kind, top of the stack first, each filled down to the next', () => {
    expect(GROUPS.map((group) => [group.label, group.color])).toEqual([
      ['Bots', '--series-bot'],
      ['IP addresses', '--series-ip'],
      ['Temporary accounts', '--series-temporary'],
      ['Registered accounts', '--series-registered'],
    ]);
    const shaped = shapeSeries([point('2026-01-01T00:00:00Z', 4, 1, 2, 3)]);
    expect(chartData(shaped)).toEqual([shaped.x, [10], [7], [5], [4]]);
  });

  it('names every kind with its count in the chart’s text for screen readers', () => {
    const shaped = shapeSeries([point('2026-01-01T00:00:00Z', 40, 3, 2, 12_345)]);
    expect(describeChart({ shaped, bands: [], fromSec: 0, toSec: 60, interval: '1m' })).toBe(
      'Events over time, per minute: 40 by registered accounts, 3 by temporary accounts, ' +
        '2 by IP addresses, 12.3K by bots; peak 12.4K per minute; 0 ingestion gaps.',
    );
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

const totals = (overrides: Partial<Totals>): Totals => {
  const base = {
    events: 0,
    edits: 0,
    newPages: 0,
    logs: 0,
    categorize: 0,
    bots: 0,
    registered: 0,
    temporary: 0,
    ip: 0,
    activeWikis: 0,
    activeUsers: 0,
    bytesAdded: 0,
    bytesRemoved: 0,
    ...overrides,
  };
  return { ...base, humans: base.registered, anonymous: base.temporary + base.ip };
};

const statsWith = (current: Partial<Totals>, previous: Partial<Totals>): StatsResponse => ({
  range: { from: '2026-01-01T00:00:00Z', to: '2026-01-01T01:00:00Z', interval: '1m' },
  totals: totals(current),
  previous: totals(previous),
  eventsPerMinute: 20,
  series: [],
  topWikis: [],
  topPages: [],
  topEditors: [],
  types: [],
  namespaces: [],
});

describe('key figures', () => {
  it('compares each figure with the previous period of the same length', () => {
    const stats = statsWith(
      {
        events: 1000,
        edits: 800,
        newPages: 50,
        bots: 400,
        registered: 500,
        temporary: 70,
        ip: 30,
        activeWikis: 40,
      },
      {
        events: 600,
        edits: 640,
        newPages: 50,
        bots: 300,
        registered: 240,
        temporary: 24,
        ip: 36,
        activeWikis: 50,
      },
    );
    const kpis = Object.fromEntries(computeKpis(stats).map((kpi) => [kpi.id, kpi]));
    expect(Object.keys(kpis)).toEqual([
      'events-per-minute',
      'edits',
      'new-pages',
      'active-wikis',
      'registered-share',
      'temporary-share',
      'ip-share',
      'bot-share',
    ]);
    expect(kpis['events-per-minute']).toMatchObject({
      value: '20.0',
      change: { text: '+100.0%', trend: 'up' },
    });
    expect(kpis.edits).toMatchObject({ value: '800', change: { text: '+25.0%' } });
    expect(kpis['new-pages']?.change.trend).toBe('flat');
    expect(kpis['active-wikis']).toMatchObject({ value: '40', change: { text: '−20.0%', trend: 'down' } });
    expect(kpis['registered-share']).toMatchObject({
      label: 'Registered share',
      value: '50.0%',
      change: { text: '+10.0 pp', trend: 'up' },
    });
    expect(kpis['temporary-share']).toMatchObject({
      label: 'Temporary-account share',
      value: '7.0%',
      change: { text: '+3.0 pp', trend: 'up' },
    });
    expect(kpis['ip-share']).toMatchObject({
      label: 'IP-address share',
      value: '3.0%',
      change: { text: '−3.0 pp', trend: 'down' },
      hint: 'vs previous period (6.0%)',
    });
    expect(kpis['bot-share']).toMatchObject({ value: '40.0%', change: { text: '−10.0 pp', trend: 'down' } });
  });

  it('shows the four shares of an empty period as zero', () => {
    const kpis = computeKpis(statsWith({}, {})).filter((kpi) => kpi.id.endsWith('-share'));
    expect(kpis.map((kpi) => [kpi.value, kpi.change.text])).toEqual(Array(4).fill(['0.0%', '±0 pp']));
  });
});
