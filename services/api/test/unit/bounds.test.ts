import { ErrorCode, WikistreamError } from '@wikistream/shared';
import { describe, expect, it } from 'vitest';
import { ApiHttpError } from '../../src/http/api-error.ts';
import { errorAnswer } from '../../src/http/error-handler.ts';
import { createInFlightLimit } from '../../src/http/in-flight.ts';
import { createAddressSlots } from '../../src/live/address-slots.ts';
import { parseFilters } from '../../src/query/filters.ts';
import { resolveWindow, statsWindow, windowKey } from '../../src/query/stats-window.ts';
import { alignTrendingFilters } from '../../src/query/trending.ts';

const HOUR = 3_600_000;
const bounds = { maxMs: 168 * HOUR, defaultMs: HOUR };
const NOW = Date.parse('2026-03-02T12:34:56.789Z');

describe('stats windows', () => {
  it('widen a fixed range to whole buckets of its interval, covering all that was asked', () => {
    const filters = parseFilters({ from: '2026-03-02T10:02:30Z', to: '2026-03-02T16:01:10Z' });
    expect(statsWindow(filters, undefined, NOW, bounds)).toEqual({
      kind: 'fixed',
      from: Date.parse('2026-03-02T10:00:00Z'),
      to: Date.parse('2026-03-02T16:05:00Z'),
      interval: { name: '5m', ms: 300_000 },
    });
  });

  it('give ranges that differ by less than a bucket one key, and others another', () => {
    const key = (from: string, to: string) =>
      windowKey(
        parseFilters({ from, to, wiki: 'enwiki' }),
        statsWindow(parseFilters({ from, to }), undefined, NOW, bounds),
        { top: 10 },
      );
    const one = key('2026-03-02T10:02:30Z', '2026-03-02T16:01:10Z');
    expect(key('2026-03-02T10:04:59.999Z', '2026-03-02T16:00:00.001Z')).toBe(one);
    expect(key('2026-03-02T09:59:59Z', '2026-03-02T16:01:10Z')).not.toBe(one);
  });

  it('keep relative questions relative, resolved when computed', () => {
    const window = statsWindow(parseFilters({}), 24 * HOUR, NOW, bounds);
    expect(window).toEqual({ kind: 'relative', lengthMs: 24 * HOUR });
    expect(statsWindow(parseFilters({}), undefined, NOW, bounds)).toEqual({
      kind: 'relative',
      lengthMs: HOUR,
    });
    expect(resolveWindow(window, NOW)).toEqual({
      from: NOW - 24 * HOUR,
      to: NOW,
      interval: { name: '15m', ms: 900_000 },
    });
  });

  it('refuse a span beyond the bound, naming the field, and accept one exactly at it', () => {
    const refused = (action: () => unknown) => {
      try {
        action();
      } catch (error) {
        return error instanceof ApiHttpError ? { status: error.statusCode, field: error.field } : error;
      }
      return 'accepted';
    };
    const week = parseFilters({ from: '2026-03-01T00:00:00Z', to: '2026-03-08T00:00:00Z' });
    expect(refused(() => statsWindow(week, undefined, NOW, bounds))).toBe('accepted');
    const more = parseFilters({ from: '2026-03-01T00:00:00Z', to: '2026-03-08T00:00:00.001Z' });
    expect(refused(() => statsWindow(more, undefined, NOW, bounds))).toEqual({ status: 400, field: 'from' });
    const open = parseFilters({ from: '2026-01-01T00:00:00Z' });
    expect(refused(() => statsWindow(open, undefined, NOW, bounds))).toEqual({ status: 400, field: 'from' });
    expect(refused(() => statsWindow(parseFilters({}), 169 * HOUR, NOW, bounds))).toEqual({
      status: 400,
      field: 'last',
    });
  });
});

describe('trending bounds', () => {
  it('are taken on whole minutes: from rounded down, to rounded up', () => {
    const filters = alignTrendingFilters(
      parseFilters({ from: '2026-03-02T08:30:10Z', to: '2026-03-02T12:00:20Z' }),
    );
    expect(filters.from).toBe(Date.parse('2026-03-02T08:30:00Z'));
    expect(filters.to).toBe(Date.parse('2026-03-02T12:01:00Z'));
    expect(alignTrendingFilters(parseFilters({}))).toEqual({});
  });
});

describe('the in-flight bound', () => {
  it('refuses work beyond it at once and frees a slot when work ends, even when it fails', async () => {
    const limit = createInFlightLimit(1, () => new Error('busy'));
    let finish: () => void = () => undefined;
    const first = limit.run(() => new Promise<void>((resolve) => (finish = resolve)));
    await expect(limit.run(async () => 'second')).rejects.toThrow('busy');
    expect(() => limit.acquire()).toThrow('busy');
    finish();
    await first;
    await expect(limit.run(async () => Promise.reject(new Error('failed')))).rejects.toThrow('failed');
    expect(limit.inFlight()).toBe(0);
    const release = limit.acquire();
    release();
    release();
    expect(limit.inFlight()).toBe(0);
  });
});

describe('live slots per address', () => {
  it('hold at most the bound per address, each released once', () => {
    const slots = createAddressSlots(2);
    const a1 = slots.take('203.0.113.1');
    const a2 = slots.take('203.0.113.1');
    expect(slots.take('203.0.113.1')).toBeUndefined();
    expect(slots.take('203.0.113.2')).toBeDefined();
    a1?.();
    a1?.();
    expect(slots.held('203.0.113.1')).toBe(1);
    expect(slots.take('203.0.113.1')).toBeDefined();
    a2?.();
    expect(slots.take('203.0.113.1')).toBeDefined();
  });
});

describe('refusals', () => {
  it('carry Retry-After, and so does an unavailable Elasticsearch', () => {
    const busy = errorAnswer(
      new ApiHttpError(503, 'too_many_queries', 'Too many queries are running; retry shortly', undefined, 1),
    );
    expect(busy).toEqual({
      status: 503,
      body: { code: 'too_many_queries', message: 'Too many queries are running; retry shortly' },
      retryAfter: 1,
    });
    expect(errorAnswer(new ApiHttpError(400, 'invalid_parameter', 'x', 'from')).retryAfter).toBeUndefined();
    const down = new WikistreamError(ErrorCode.ElasticsearchUnavailable, 'Elasticsearch is unavailable');
    expect(errorAnswer(down)).toMatchObject({ status: 503, retryAfter: 5 });
  });
});
