import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../src/cursor-record.ts';
import { createDedupeWindow } from '../src/dedupe-window.ts';

describe('the dedupe window', () => {
  it('remembers recent keys and forgets those older than the overlap', () => {
    const window = createDedupeWindow({ overlapMs: 100, maxIds: 1000 });
    window.add('a', 1000);
    window.add('b', 1050);
    expect(window.has('a')).toBe(true);
    window.add('c', 1150);
    expect(window.has('a')).toBe(false);
    expect(window.has('b')).toBe(true);
    expect(window.completeFrom).toBe(1001);
  });

  it('stays within its size limit and says from where it is complete', () => {
    const window = createDedupeWindow({ overlapMs: 60_000, maxIds: 3 });
    for (const [key, ts] of [
      ['a', 1],
      ['b', 2],
      ['c', 2],
      ['d', 3],
      ['e', 4],
    ] as const)
      window.add(key, ts);
    expect(window.size).toBe(3);
    expect(['a', 'b', 'c', 'd', 'e'].map((k) => window.has(k))).toEqual([false, false, true, true, true]);
    expect(window.completeFrom).toBe(3);
  });

  it('holds a bounded number of keys however many events pass', () => {
    const window = createDedupeWindow({ overlapMs: 1_000_000, maxIds: 500 });
    for (let i = 0; i < 100_000; i++) window.add(`k${i}`, i);
    expect(window.size).toBe(500);
    expect(window.snapshot().keys).toHaveLength(500);
  });

  it('survives a round trip through the cursor record', () => {
    const window = createDedupeWindow({ overlapMs: 1000, maxIds: 10 });
    window.add('x', 5000);
    window.add('y', 5001);
    const record = {
      version: 1 as const,
      sseId: '[1]',
      window: window.snapshot(),
      producerVersion: '0.1.0',
      committedAt: 7,
    };
    const decoded = decodeCursor(encodeCursor(record));
    expect(decoded).toEqual(record);
    const restored = createDedupeWindow({ overlapMs: 1000, maxIds: 10 }, decoded?.window);
    expect(restored.has('x') && restored.has('y')).toBe(true);
    expect(restored.completeFrom).toBe(window.completeFrom);
  });

  it('rejects cursor records it cannot read', () => {
    expect(decodeCursor(Buffer.from('{"version":2}'))).toBeUndefined();
    expect(decodeCursor(Buffer.from('not json'))).toBeUndefined();
    expect(decodeCursor(null)).toBeUndefined();
  });
});
