import { describe, expect, it } from 'vitest';
import { loaderProvenance } from '../../src/bench/indexer.ts';

describe("the raw loader's provenance", () => {
  const start = 1_700_000_000_000;
  const all = Array.from({ length: 6000 }, (_, n) => loaderProvenance(n, start));

  it('spreads the events over six partitions with an offset sequence each, as keyed by id', () => {
    const perPartition = new Map<number, string[]>();
    for (const { kafkaPartition, kafkaOffset } of all) {
      perPartition.set(kafkaPartition, [...(perPartition.get(kafkaPartition) ?? []), kafkaOffset]);
    }
    expect([...perPartition.keys()].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    for (const offsets of perPartition.values()) {
      expect(offsets).toEqual(Array.from({ length: 1000 }, (_, i) => String(i)));
    }
  });

  it('gives a receipt time per send of 2,000 and a later index time per bulk of 1,000', () => {
    const received = new Set(all.map((p) => p.receivedAt));
    const indexed = new Set(all.map((p) => p.indexedAt));
    expect(received.size).toBe(3);
    expect(indexed.size).toBe(6);
    for (const p of all) expect(p.indexedAt).toBeGreaterThan(p.receivedAt ?? Number.POSITIVE_INFINITY);
    expect(loaderProvenance(1999, start).receivedAt).toBe(start);
    expect(loaderProvenance(2000, start).receivedAt).toBeGreaterThan(start);
  });
});
