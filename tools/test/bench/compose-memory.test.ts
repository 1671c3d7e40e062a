import { describe, expect, it } from 'vitest';
import { parseMemUsage } from '../../src/bench/compose.ts';

describe('parseMemUsage', () => {
  it('reads the usage part of a docker stats memory figure, in MiB', () => {
    expect(parseMemUsage('123.4MiB / 512MiB')).toBeCloseTo(123.4);
    expect(parseMemUsage('1.25GiB / 2GiB')).toBe(1280);
    expect(parseMemUsage('512KiB / 1GiB')).toBe(0.5);
    expect(parseMemUsage('0B / 0B')).toBe(0);
  });

  it('refuses what is not such a figure', () => {
    expect(() => parseMemUsage('--')).toThrow(/not a docker stats memory figure/);
  });
});
