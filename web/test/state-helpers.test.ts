import { describe, expect, it } from 'vitest';
import { eventsPath, filterParams, livePath } from '../src/api-query.ts';
import { BoundedQueue } from '../src/bounded-queue.ts';
import { freshnessOf } from '../src/freshness.ts';
import { fromLocalInputValue, resolveRange, toLocalInputValue } from '../src/time-range.ts';
import { DEFAULT_STATE } from '../src/url-state.ts';

describe('API query strings', () => {
  const state = {
    ...DEFAULT_STATE,
    wiki: ['enwiki', 'dewiki'],
    type: ['edit'],
    editorKind: ['temporary', 'ip'] as const,
    namespace: [0],
    q: 'a b',
  };
  const range = { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-01-01T01:00:00Z') };

  it('sends the filters comma-separated and leaves unset ones out', () => {
    expect(filterParams(state).toString()).toBe(
      'wiki=enwiki%2Cdewiki&type=edit&editorKind=temporary%2Cip&namespace=0',
    );
    expect(filterParams(DEFAULT_STATE).toString()).toBe('');
  });

  it('adds range, query, size, cursor and export format to search requests', () => {
    const url = new URL(eventsPath(state, range, { size: 25, cursor: 'abc', format: 'csv' }), 'http://x');
    expect(url.pathname).toBe('/api/events');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      wiki: 'enwiki,dewiki',
      type: 'edit',
      editorKind: 'temporary,ip',
      namespace: '0',
      from: '2026-01-01T00:00:00.000Z',
      to: '2026-01-01T01:00:00.000Z',
      q: 'a b',
      size: '25',
      cursor: 'abc',
      format: 'csv',
    });
  });

  it('gives the live feed the filters but no time range', () => {
    expect(livePath(DEFAULT_STATE)).toBe('/api/live');
    expect(livePath(state)).toBe(
      '/api/live?wiki=enwiki%2Cdewiki&type=edit&editorKind=temporary%2Cip&namespace=0',
    );
  });
});

describe('time ranges', () => {
  it('slides preset ranges with the clock and keeps custom ranges fixed', () => {
    const now = Date.parse('2026-01-01T12:00:00Z');
    expect(resolveRange({ range: '15m', from: null, to: null }, now).from.toISOString()).toBe(
      '2026-01-01T11:45:00.000Z',
    );
    expect(resolveRange({ range: '7d', from: null, to: null }, now).from.toISOString()).toBe(
      '2025-12-25T12:00:00.000Z',
    );
    const custom = resolveRange(
      { range: 'custom', from: '2025-06-01T00:00:00.000Z', to: '2025-06-02T00:00:00.000Z' },
      now,
    );
    expect(custom.to.toISOString()).toBe('2025-06-02T00:00:00.000Z');
  });

  it('converts between datetime-local input values and ISO times', () => {
    const value = toLocalInputValue(new Date(2026, 0, 2, 3, 4));
    expect(value).toBe('2026-01-02T03:04');
    expect(fromLocalInputValue(value)).toBe(new Date(2026, 0, 2, 3, 4).toISOString());
    expect(fromLocalInputValue('')).toBeNull();
    expect(fromLocalInputValue('yesterday')).toBeNull();
  });
});

describe('bounded queue', () => {
  it('never holds more than its capacity and counts what it dropped', () => {
    const queue = new BoundedQueue<number>(3);
    for (let i = 1; i <= 10; i += 1) queue.push(i);
    expect(queue.size).toBe(3);
    expect(queue.dropped).toBe(7);
    expect(queue.drain()).toEqual([8, 9, 10]);
    expect(queue.size).toBe(0);
    expect(queue.takeDropped()).toBe(7);
    expect(queue.dropped).toBe(0);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new BoundedQueue(0)).toThrow(RangeError);
  });
});

describe('freshness', () => {
  it('is fresh under a minute, lagging under five, stale beyond and unknown without data', () => {
    expect(freshnessOf(0)).toBe('fresh');
    expect(freshnessOf(59.9)).toBe('fresh');
    expect(freshnessOf(60)).toBe('lagging');
    expect(freshnessOf(299)).toBe('lagging');
    expect(freshnessOf(300)).toBe('stale');
    expect(freshnessOf(null)).toBe('unknown');
  });
});
