import { describe, expect, it } from 'vitest';
import { bulkConcurrency } from '../src/bulk-concurrency.ts';

describe('bulkConcurrency', () => {
  it('gives a member that owns every partition the whole limit', () => {
    expect(bulkConcurrency(10, 6, 6)).toBe(10);
  });

  it('gives each member its share of the partitions, rounded up', () => {
    expect(bulkConcurrency(10, 2, 6)).toBe(4);
    expect(bulkConcurrency(10, 3, 6)).toBe(5);
    expect(bulkConcurrency(10, 1, 6)).toBe(2);
    expect(bulkConcurrency(3, 1, 12)).toBe(1);
  });

  it('keeps at least one bulk for a member without partitions', () => {
    expect(bulkConcurrency(10, 0, 6)).toBe(1);
  });

  it('keeps the whole limit when the partition count is unknown', () => {
    expect(bulkConcurrency(10, 2, 0)).toBe(10);
    expect(bulkConcurrency(10, 2, Number.NaN)).toBe(10);
  });
});
