import type { EventSummary } from '@wikistream/shared';
import { describe, expect, it } from 'vitest';
import { newestFirst, parseChange, parseSkipped } from '../src/live/live-messages.ts';

const event = (id: string, dt: string) => ({ id, dt, type: 'edit' }) as EventSummary;

describe('live feed messages', () => {
  it('reads change events and refuses anything that is not one', () => {
    expect(parseChange(JSON.stringify(event('a', '2026-01-01T00:00:00Z')))).toMatchObject({ id: 'a' });
    for (const data of [
      '',
      'not json',
      'null',
      '42',
      '[]',
      '{"id":1,"dt":"x","type":"edit"}',
      '{"id":"a"}',
    ]) {
      expect(parseChange(data), data).toBeNull();
    }
  });

  it('reads the skipped count and treats anything unreadable as none', () => {
    expect(parseSkipped('{"skipped":17}')).toBe(17);
    for (const data of ['', 'null', '{"skipped":-3}', '{"skipped":"many"}', '{"skipped":1.5}', '{}']) {
      expect(parseSkipped(data), data).toBe(0);
    }
  });

  it('orders a batch newest first by event time and leaves out what is already shown', () => {
    const batch = [
      event('a', '2026-01-01T00:00:01Z'),
      event('b', '2026-01-01T00:00:03Z'),
      event('c', '2026-01-01T00:00:02Z'),
      event('d', '2026-01-01T00:00:04Z'),
    ];
    expect(newestFirst(batch, new Set(['d'])).map((e) => e.id)).toEqual(['b', 'c', 'a']);
  });

  it('keeps arrival order, newest first, for events with the same time', () => {
    const batch = [event('a', '2026-01-01T00:00:00Z'), event('b', '2026-01-01T00:00:00Z')];
    expect(newestFirst(batch, new Set()).map((e) => e.id)).toEqual(['b', 'a']);
  });
});
