import { describe, expect, it } from 'vitest';
import { createCommitLedger } from '../src/commit-ledger.ts';

describe('commit ledger', () => {
  it('commits past a chunk only once every chunk fetched before it in its partition is done', () => {
    const ledger = createCommitLedger();
    const first = ledger.add(0, '0', '100') as number;
    const second = ledger.add(0, '100', '200') as number;
    const other = ledger.add(1, '0', '50') as number;
    expect(ledger.finish(0, second, { kind: 'done' })).toEqual({});
    expect(ledger.finish(1, other, { kind: 'done' })).toEqual({ commit: '50' });
    expect(ledger.finish(0, first, { kind: 'done' })).toEqual({ commit: '200' });
  });

  it('commits what a stopped chunk handled and rewinds there once the chunks before it are done', () => {
    const ledger = createCommitLedger();
    const first = ledger.add(3, '0', '100') as number;
    const stopped = ledger.add(3, '100', '200') as number;
    const later = ledger.add(3, '200', '300') as number;
    expect(ledger.finish(3, stopped, { kind: 'stopped', resume: '150' })).toEqual({});
    expect(ledger.finish(3, later, { kind: 'done' })).toEqual({});
    expect(ledger.finish(3, first, { kind: 'done' })).toEqual({ commit: '150', rewind: '150' });
    // What was fetched after the rewind point is dropped: its result no longer counts.
    expect(ledger.holds(3, later)).toBe(false);
    expect(ledger.finish(3, later, { kind: 'done' })).toEqual({});
    // Until a chunk starts exactly at the rewind point, nothing of the partition is accepted.
    expect(ledger.add(3, '300', '400')).toBeUndefined();
    expect(ledger.skip(3, '401')).toEqual({});
    const again = ledger.add(3, '150', '180') as number;
    expect(ledger.finish(3, again, { kind: 'done' })).toEqual({ commit: '180' });
    expect(ledger.add(3, '180', '190')).toBeTypeOf('number');
  });

  it('rewinds without a second commit when a chunk stopped before handling anything', () => {
    const ledger = createCommitLedger();
    const first = ledger.add(0, '0', '10') as number;
    const stopped = ledger.add(0, '10', '20') as number;
    expect(ledger.finish(0, first, { kind: 'done' })).toEqual({ commit: '10' });
    expect(ledger.finish(0, stopped, { kind: 'stopped', resume: '10' })).toEqual({ rewind: '10' });
  });

  it('commits a batch of transaction markers in turn', () => {
    const ledger = createCommitLedger();
    const chunk = ledger.add(0, '0', '10') as number;
    expect(ledger.skip(0, '11')).toEqual({});
    expect(ledger.finish(0, chunk, { kind: 'done' })).toEqual({ commit: '11' });
    expect(ledger.skip(0, '12')).toEqual({ commit: '12' });
  });

  it("forgets every chunk on reset, so a new generation never commits the old one's work", () => {
    const ledger = createCommitLedger();
    const chunk = ledger.add(0, '0', '10') as number;
    ledger.reset();
    expect(ledger.holds(0, chunk)).toBe(false);
    expect(ledger.finish(0, chunk, { kind: 'done' })).toEqual({});
  });
});
