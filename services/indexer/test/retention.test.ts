import { describe, expect, it } from 'vitest';
import { expiredIndices, indexDay } from '../src/retention.ts';

describe('indexDay', () => {
  it('reads the UTC day of a daily index of the prefix', () => {
    expect(indexDay('wikimedia-recentchange-2026.02.26', 'wikimedia-recentchange')?.toISOString()).toBe(
      '2026-02-26T00:00:00.000Z',
    );
  });

  it('reads the day of a rebuilt version too', () => {
    expect(indexDay('p-2026.02.26-v3', 'p')?.toISOString()).toBe('2026-02-26T00:00:00.000Z');
  });

  it('ignores other names, other prefixes that start the same, and impossible dates', () => {
    expect(indexDay('wikimedia-recentchange-test-2026.02.26', 'wikimedia-recentchange')).toBeUndefined();
    expect(indexDay('wikimedia-recentchange-2026.02.26-restored', 'wikimedia-recentchange')).toBeUndefined();
    expect(indexDay('wikimedia-recentchange-2026.02.30', 'wikimedia-recentchange')).toBeUndefined();
    expect(indexDay('other-2026.02.26', 'wikimedia-recentchange')).toBeUndefined();
    expect(indexDay('a.b-2026.02.26', 'a+b')).toBeUndefined();
  });
});

describe('expiredIndices', () => {
  const now = new Date('2026-03-10T12:00:00Z');
  const names = [
    'p-2026.03.10',
    'p-2026.03.03',
    'p-2026.03.02',
    'p-2026.03.02-v2',
    'p-2026.03.03-v2',
    'p-2026.03.02-vx',
    'p-2026.02.01',
    'p-2019.01.01',
    'p-other',
    'p-x-2001.01.01',
    'q-2001.01.01',
  ];

  it('selects exactly the daily indices whose whole day is older than the retention', () => {
    expect(expiredIndices(names, 'p', 7, now)).toEqual([
      'p-2019.01.01',
      'p-2026.02.01',
      'p-2026.03.02',
      'p-2026.03.02-v2',
    ]);
  });

  it('keeps a day until its last moment has aged past the retention', () => {
    expect(expiredIndices(['p-2026.03.02'], 'p', 7, new Date('2026-03-09T23:59:59.999Z'))).toEqual([]);
    expect(expiredIndices(['p-2026.03.02'], 'p', 7, new Date('2026-03-10T00:00:00.000Z'))).toEqual([
      'p-2026.03.02',
    ]);
  });

  it('never selects today', () => {
    expect(expiredIndices(['p-2026.03.10'], 'p', 1, now)).toEqual([]);
  });
});
