import { describe, expect, it } from 'vitest';
import {
  dailyIndexName,
  eventKey,
  indexDayOf,
  indexPattern,
  indexTemplate,
  parseDailyIndexName,
  type RecentChangeEvent,
  readAlias,
  readAliasAdditions,
  versionedIndexName,
  versionTemplate,
} from '../src/index.ts';

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

  it('matches every daily index and version of a prefix with one pattern', () => {
    expect(indexPattern('p')).toBe('p-*');
  });
});

describe('daily index versions and the read alias', () => {
  it('names version N of a day after the day, and refuses what is not a version', () => {
    expect(versionedIndexName('p', indexDayOf('2026-12-05T23:59:59Z'), 2)).toBe('p-2026.12.05-v2');
    expect(() => versionedIndexName('p', '2026.12.05', 0)).toThrow(RangeError);
    expect(() => versionedIndexName('p', '2026.12.05', 1.5)).toThrow(RangeError);
  });

  it('reads the day and version of a name of the family, and nothing else', () => {
    expect(parseDailyIndexName('p', 'p-2026.12.05')).toEqual({
      day: '2026.12.05',
      start: Date.parse('2026-12-05T00:00:00Z'),
      version: undefined,
    });
    expect(parseDailyIndexName('p', 'p-2026.12.05-v12')?.version).toBe(12);
    for (const name of [
      'p-2026.12.05-v0',
      'p-2026.12.05-v',
      'p-2026.12.05-restored',
      'p-2026.02.30',
      'p-x-2026.12.05',
      'q-2026.12.05',
      'p_rollup-2026.12.05',
      'p',
    ])
      expect(parseDailyIndexName('p', name), name).toBeUndefined();
    expect(parseDailyIndexName('a+b', 'a.b-2026.12.05')).toBeUndefined();
  });

  it('puts only the plain daily indices that are not members yet into the read alias', () => {
    const names = [
      'p-2026.12.05',
      'p-2026.12.04',
      'p-2026.12.03-v2',
      'p-2026.12.03-v1',
      'p-other',
      'p-2026.12.06',
    ];
    expect(readAliasAdditions('p', names, new Set(['p-2026.12.06']))).toEqual([
      { add: { index: 'p-2026.12.04', alias: 'p' } },
      { add: { index: 'p-2026.12.05', alias: 'p' } },
    ]);
  });

  it('gives new daily indices the read alias, and versions the same mapping without it', () => {
    const daily = indexTemplate({ prefix: 'p', shards: 2 });
    const versions = versionTemplate({ prefix: 'p', shards: 2 });
    expect(daily.template.aliases).toEqual({ [readAlias('p')]: {} });
    expect(versions.template).toEqual({
      settings: daily.template.settings,
      mappings: daily.template.mappings,
    });
    expect(versions.index_patterns).toEqual(['p-*-v*']);
    expect(versions.priority).toBeGreaterThan(daily.priority);
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
