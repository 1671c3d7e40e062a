import { describe, expect, it } from 'vitest';
import {
  formatAgo,
  formatByteDelta,
  formatBytes,
  formatClock,
  formatCount,
  formatDateTime,
  formatDuration,
  formatInt,
  formatPercent,
  formatRate,
  formatRatio,
  pointChange,
  relativeChange,
  share,
} from '../src/format.ts';

describe('number formatting', () => {
  it('groups integers and switches to compact notation from ten thousand', () => {
    expect(formatInt(1234567)).toBe('1,234,567');
    expect(formatCount(9876)).toBe('9,876');
    expect(formatCount(12_345)).toBe('12.3K');
    expect(formatCount(4_500_000)).toBe('4.5M');
    expect(formatCount(Number.NaN)).toBe('–');
  });

  it('formats rates, percentages and ratios', () => {
    expect(formatRate(3.21)).toBe('3.2');
    expect(formatRate(1204)).toBe('1,204');
    expect(formatPercent(0.4213)).toBe('42.1%');
    expect(formatRatio(3.44)).toBe('×3.4');
    expect(formatRatio(27.6)).toBe('×28');
  });

  it('describes relative changes with a sign and a trend', () => {
    expect(relativeChange(112, 100)).toEqual({ text: '+12.0%', trend: 'up' });
    expect(relativeChange(96, 100)).toEqual({ text: '−4.0%', trend: 'down' });
    expect(relativeChange(100, 100)).toEqual({ text: '±0%', trend: 'flat' });
    expect(relativeChange(5, 0)).toEqual({ text: 'new', trend: 'up' });
    expect(relativeChange(0, 0)).toEqual({ text: '±0%', trend: 'flat' });
    expect(relativeChange(2500, 100).text).toBe('+2400%');
  });

  it('describes share changes in percentage points', () => {
    expect(pointChange(0.45, 0.42)).toEqual({ text: '+3.0 pp', trend: 'up' });
    expect(pointChange(0.1, 0.125)).toEqual({ text: '−2.5 pp', trend: 'down' });
    expect(pointChange(0.3, 0.3)).toEqual({ text: '±0 pp', trend: 'flat' });
    expect(share(1, 0)).toBe(0);
  });

  it('formats sizes in decimal units and page-size changes like MediaWiki', () => {
    expect(formatBytes(950)).toBe('950 B');
    expect(formatBytes(12_400)).toBe('12.4 kB');
    expect(formatBytes(3_100_000)).toBe('3.10 MB');
    expect(formatBytes(-2048)).toBe('−2.05 kB');
    expect(formatByteDelta(1234)).toBe('+1,234');
    expect(formatByteDelta(-56)).toBe('−56');
    expect(formatByteDelta(0)).toBe('0');
    expect(formatByteDelta(null)).toBe('');
  });

  it('formats durations from milliseconds to days', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(1234)).toBe('1.2 s');
    expect(formatDuration(184_000)).toBe('3 min 4 s');
    expect(formatDuration(7_500_000)).toBe('2 h 5 min');
    expect(formatDuration(5 * 86_400_000)).toBe('5 d');
    expect(formatDuration(null)).toBe('–');
  });

  it('formats clock times and ages', () => {
    expect(formatClock('2026-03-03T14:03:22Z', 'UTC')).toBe('14:03:22');
    expect(formatDateTime('2026-03-03T14:03:22Z', 'UTC')).toBe('Mar 3, 14:03');
    expect(formatClock('not a date')).toBe('–');
    expect(formatAgo(0, 12_000)).toBe('12 s ago');
    expect(formatAgo(0, 4 * 60_000)).toBe('4 min ago');
    expect(formatAgo(0, 3 * 3_600_000)).toBe('3 h ago');
  });
});
