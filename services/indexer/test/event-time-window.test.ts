import { describe, expect, it } from 'vitest';
import { eventTimeWindow, outsideWindow } from '../src/event-time-window.ts';

const DAY_MS = 86_400_000;
const now = Date.parse('2026-12-06T05:00:00Z');

describe('eventTimeWindow', () => {
  it('reaches from the maximum age before the clock to the allowed skew after it', () => {
    expect(eventTimeWindow(now, { maxAgeMs: 7 * DAY_MS, maxSkewMs: DAY_MS })).toEqual({
      from: Date.parse('2026-11-29T05:00:00Z'),
      until: Date.parse('2026-12-07T05:00:00Z'),
    });
  });

  it('stays within the years a daily index name can hold, however wide the limits', () => {
    const window = eventTimeWindow(now, { maxAgeMs: 10_000_000 * DAY_MS, maxSkewMs: 10_000_000 * DAY_MS });
    expect(new Date(window.from).toISOString()).toBe('0000-01-01T00:00:00.000Z');
    expect(new Date(window.until).toISOString()).toBe('9999-12-31T23:59:59.999Z');
  });
});

describe('outsideWindow', () => {
  const window = { from: Date.parse('2026-11-29T05:00:00Z'), until: Date.parse('2026-12-07T05:00:00Z') };

  it('accepts both ends and refuses a millisecond beyond either, naming the time and the window', () => {
    expect(outsideWindow('a', window.from, window)).toBeUndefined();
    expect(outsideWindow('b', window.until, window)).toBeUndefined();
    expect(outsideWindow('2026-12-07T05:00:00.001Z', window.until + 1, window)).toBe(
      'meta.dt 2026-12-07T05:00:00.001Z is outside the accepted window from 2026-11-29T05:00:00.000Z to 2026-12-07T05:00:00.000Z',
    );
    expect(outsideWindow('old', window.from - 1, window)).toContain('meta.dt old is outside');
  });
});
