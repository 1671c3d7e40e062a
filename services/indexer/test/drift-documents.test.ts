import { DRIFT_KINDS } from '@wikistream/shared';
import { describe, expect, it } from 'vitest';
import { createDriftCounter } from '../src/drift-counter.ts';
import { driftBulkBody, driftWrites, firstSeenKey } from '../src/drift-documents.ts';

const T0 = Date.parse('2026-02-26T23:59:00.000Z');
const V2 = '/mediawiki/recentchange/2.0.0';

function counted() {
  const counter = createDriftCounter();
  counter.record(V2, ['performer'], T0 + 30_000);
  counter.record(V2, ['performer', 'is_temp'], T0 + 50_000);
  counter.record(V2, ['performer'], T0 + 61_000);
  return counter;
}

describe('drift documents', () => {
  it('writes counters with index and first sightings with create, in the daily index of their time', () => {
    const { operations } = driftWrites(counted().snapshot(T0 + 62_000), 'm1', 'p');
    expect(
      operations.map(({ op, index, document }) => [
        op,
        index,
        document.kind,
        document.field ?? null,
        document.count ?? document.first_seen,
      ]),
    ).toEqual([
      ['index', 'p_drift-2026.02.26', DRIFT_KINDS.events, null, 2],
      ['index', 'p_drift-2026.02.26', DRIFT_KINDS.field, 'performer', 2],
      ['index', 'p_drift-2026.02.26', DRIFT_KINDS.field, 'is_temp', 1],
      ['index', 'p_drift-2026.02.27', DRIFT_KINDS.events, null, 1],
      ['index', 'p_drift-2026.02.27', DRIFT_KINDS.field, 'performer', 1],
      ['create', 'p_drift-2026.02.26', DRIFT_KINDS.firstSeen, 'performer', '2026-02-26T23:59:30.000Z'],
      ['create', 'p_drift-2026.02.26', DRIFT_KINDS.firstSeen, 'is_temp', '2026-02-26T23:59:50.000Z'],
      ['create', 'p_drift-2026.02.27', DRIFT_KINDS.firstSeen, 'performer', '2026-02-27T00:00:01.000Z'],
    ]);
  });

  it('gives a flush of the same counts the same ids, and another member other ids', () => {
    const snapshot = counted().snapshot(T0 + 62_000);
    const ids = (member: string) =>
      driftWrites(snapshot, member, 'p').operations.map((op) => `${op.index}/${op.id}`);
    expect(ids('m1')).toEqual(ids('m1'));
    expect(new Set([...ids('m1'), ...ids('m2')]).size).toBe(2 * ids('m1').length);
    // A larger count of the same minute goes to the same document.
    const counter = counted();
    const before = driftWrites(counter.snapshot(T0 + 62_000), 'm1', 'p').operations;
    counter.record(V2, ['performer'], T0 + 62_000);
    const after = driftWrites(counter.snapshot(T0 + 63_000), 'm1', 'p').operations;
    expect(after.filter((op) => op.op === 'index').map((op) => op.id)).toEqual(
      before.filter((op) => op.op === 'index').map((op) => op.id),
    );
  });

  it('does not send a first sighting already stored', () => {
    const snapshot = counted().snapshot(T0 + 62_000);
    const first = driftWrites(snapshot, 'm1', 'p');
    expect(first.firstSeenKeys).toContain(firstSeenKey(Date.parse('2026-02-26'), V2, 'performer'));
    const again = driftWrites(snapshot, 'm1', 'p', new Set(first.firstSeenKeys));
    expect(again.operations.filter((op) => op.op === 'create')).toEqual([]);
  });

  it('serializes one action line and one document line per operation, whatever a name holds', () => {
    const counter = createDriftCounter();
    counter.record('/x"\n', ['a\nb', '__proto__'], T0);
    const { operations } = driftWrites(counter.snapshot(T0), 'm1', 'p');
    const lines = driftBulkBody(operations).toString().split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.length - 1).toBe(2 * operations.length);
    const documents = lines.filter((_, i) => i % 2 === 1 && lines[i] !== '').map((line) => JSON.parse(line));
    expect(documents.map((doc) => doc.field).filter(Boolean)).toEqual([
      'a\nb',
      '__proto__',
      'a\nb',
      '__proto__',
    ]);
  });
});
