import { describe, expect, it } from 'vitest';
import { dailyIndexName, eventKey, indexPattern, type RecentChangeEvent } from '../src/index.ts';

describe('dailyIndexName', () => {
  it('uses the UTC day of meta.dt', () => {
    expect(dailyIndexName('wikimedia-recentchange', '2026-02-26T15:49:36.569Z')).toBe(
      'wikimedia-recentchange-2026.02.26',
    );
  });

  it('converts legacy offsets to UTC first', () => {
    expect(dailyIndexName('p', '2018-03-08T00:30:00+01:00')).toBe('p-2018.03.07');
  });

  it('refuses a value that is not a date', () => {
    expect(() => dailyIndexName('p', 'soon')).toThrow(RangeError);
  });

  it('refuses a time whose UTC day is not in the years 0000 to 9999, which no YYYY name can hold', () => {
    expect(dailyIndexName('p', '9999-12-31T22:00:00-01:00')).toBe('p-9999.12.31');
    expect(dailyIndexName('p', '0000-01-01T00:30:00Z')).toBe('p-0000.01.01');
    expect(() => dailyIndexName('p', '9999-12-31T23:59:59-23:59')).toThrow(RangeError);
    expect(() => dailyIndexName('p', '0000-01-01T00:30:00+01:00')).toThrow(RangeError);
  });

  it('reads every day through one pattern', () => {
    expect(indexPattern('p')).toBe('p-*');
  });
});

describe('eventKey', () => {
  const event = (fields: Partial<RecentChangeEvent>): RecentChangeEvent => ({
    meta: { id: '1', dt: '2026-01-01T00:00:00Z', domain: 'www.wikidata.org' },
    ...fields,
  });

  it('keys by wiki and title so one page stays on one partition', () => {
    expect(eventKey(event({ wiki: 'enwiki', title: 'Main Page' }))).toBe('enwiki:Main Page');
  });

  it('falls back to the domain when the wiki is missing', () => {
    expect(eventKey(event({ title: 'Q1' }))).toBe('www.wikidata.org:Q1');
  });
});
