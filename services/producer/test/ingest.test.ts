import { GapReason } from '@wikistream/shared';
import { describe, expect, it } from 'vitest';
import { createIngest, type IngestSettings } from '../src/ingest.ts';
import { parseSseId } from '../src/sse-id.ts';

const EQIAD = 'eqiad.mediawiki.recentchange';
const settings: IngestSettings = {
  window: { overlapMs: 1000, maxIds: 1000 },
  overlapMs: 1000,
  gapThresholdMs: 60_000,
  classify: { producerVersion: '1.0.0', compressed: true },
  batchSize: 3,
  batchMaxBytes: 1_000_000,
  owner: { stream: 'http://upstream.test/v2/stream/recentchange', topic: 'test-topic' },
};
const idAt = (ts: number) => `[{"topic":"${EQIAD}","partition":0,"timestamp":${ts + 1}}]`;
const frameAt = (ts: number, id: string, domain = 'en.wikipedia.org') => ({
  data: JSON.stringify({ meta: { id, dt: new Date(ts).toISOString(), domain }, wiki: 'enwiki', title: id }),
  id: idAt(ts),
  receivedAt: ts,
});

describe('the ingest core', () => {
  it('starts live without a cursor, with since when given, and resumes slightly before its cursor', () => {
    expect(createIngest(settings, {}).nextRequest()).toEqual({});
    expect(createIngest(settings, { since: 42 }).nextRequest()).toEqual({ since: 42 });
    const ingest = createIngest(settings, {});
    ingest.connected({});
    ingest.accept(frameAt(100_000, 'a'));
    const request = ingest.nextRequest();
    expect(parseSseId(request.lastEventId)?.[0]?.timestamp).toBe(100_001 - 1000);
  });

  it('does not produce an event twice when the upstream sends it again after a resume', () => {
    const ingest = createIngest(settings, {});
    ingest.connected({});
    expect(ingest.accept(frameAt(100_000, 'a'))).toMatchObject({ kind: 'event' });
    expect(ingest.accept(frameAt(100_000, 'b'))).toMatchObject({ kind: 'event' });
    ingest.connected(ingest.nextRequest());
    expect(ingest.accept(frameAt(100_000, 'a'))).toBe('duplicate');
    expect(ingest.accept(frameAt(100_000, 'b'))).toBe('duplicate');
    // The third event of that millisecond had not arrived before the cut: now it does, once.
    expect(ingest.accept(frameAt(100_000, 'c'))).toMatchObject({ kind: 'event' });
    expect(ingest.pending.data).toHaveLength(3);
    expect(ingest.pending.duplicates).toBe(2);
  });

  it('carries its dedupe knowledge across a restart in the cursor record', () => {
    const first = createIngest(settings, {});
    first.connected({});
    first.accept(frameAt(100_000, 'a'));
    first.accept(frameAt(100_000, 'b'));
    const sealed = first.seal(1);
    const restarted = createIngest(settings, { cursor: sealed?.cursor });
    restarted.connected(restarted.nextRequest());
    expect(restarted.accept(frameAt(100_000, 'b'))).toBe('duplicate');
    expect(restarted.accept(frameAt(100_001, 'c'))).toMatchObject({ kind: 'event' });
  });

  it('seals batches with the SSE id of their last frame and reports when one is full', () => {
    const ingest = createIngest(settings, {});
    ingest.connected({});
    ingest.accept(frameAt(1000, 'a'));
    ingest.accept(frameAt(1001, 'canary-1', 'canary'));
    ingest.accept(frameAt(1002, 'b'));
    expect(ingest.isFull()).toBe(false);
    ingest.accept(frameAt(1003, 'c'));
    expect(ingest.isFull()).toBe(true);
    const sealed = ingest.seal(5);
    expect(sealed?.data).toHaveLength(3);
    expect(sealed?.canaries).toBe(1);
    expect(sealed?.cursor?.sseId).toBe(idAt(1003));
    expect(ingest.seal(6)).toBeUndefined();
  });

  it('records a gap when a resume lands far after the cursor, and none when it lands right after', () => {
    const cursor = createIngest(settings, {});
    cursor.connected({});
    cursor.accept(frameAt(1_000_000, 'a'));
    const record = cursor.seal(1)?.cursor;

    const expired = createIngest(settings, { cursor: record });
    expired.connected(expired.nextRequest());
    expired.accept(frameAt(1_000_000 + 8 * 24 * 3600 * 1000, 'late'));
    expect(expired.pending.gaps).toEqual([
      expect.objectContaining({
        reason: GapReason.CursorExpired,
        from: new Date(1_000_000).toISOString(),
        to: new Date(1_000_000 + 8 * 24 * 3600 * 1000).toISOString(),
      }),
    ]);

    const fine = createIngest(settings, { cursor: record });
    fine.connected(fine.nextRequest());
    fine.accept(frameAt(1_000_050, 'next'));
    expect(fine.pending.gaps).toEqual([]);
  });

  it('records a started-live gap when its cursor was unusable', () => {
    const ingest = createIngest(settings, { unusableCursorAt: 5000 });
    ingest.connected(ingest.nextRequest());
    ingest.accept(frameAt(9000, 'a'));
    expect(ingest.pending.gaps[0]).toMatchObject({
      reason: GapReason.StartedLive,
      from: new Date(5000).toISOString(),
    });
  });

  it('records a cursor-reset gap at the first event, never one that ends before it begins', () => {
    const later = createIngest(settings, { reset: { at: 5000, detail: 'cursor reset' } });
    later.connected(later.nextRequest());
    later.accept(frameAt(9000, 'a'));
    expect(later.pending.gaps[0]).toMatchObject({
      reason: GapReason.CursorReset,
      from: new Date(5000).toISOString(),
      to: new Date(9000).toISOString(),
    });
    // Started from SINCE before the old position: the record still says so, with no negative span.
    const earlier = createIngest(settings, { since: 1000, reset: { at: 5000, detail: 'cursor reset' } });
    earlier.connected(earlier.nextRequest());
    earlier.accept(frameAt(2000, 'b'));
    expect(earlier.pending.gaps[0]).toMatchObject({
      from: new Date(2000).toISOString(),
      to: new Date(2000).toISOString(),
    });
  });

  it('writes its owner into every cursor it seals', () => {
    const ingest = createIngest(settings, {});
    ingest.connected(ingest.nextRequest());
    ingest.accept(frameAt(3000, 'c'));
    expect(ingest.seal(4000)?.cursor?.owner).toEqual(settings.owner);
  });

  it('dead-letters a broken event once even when it is sent again', () => {
    const ingest = createIngest(settings, {});
    ingest.connected({});
    const broken = { data: '{"meta":', id: idAt(500), receivedAt: 500 };
    expect(ingest.accept(broken)).toMatchObject({ kind: 'dead-letter', reason: 'invalid_json' });
    expect(ingest.accept(broken)).toBe('duplicate');
    expect(ingest.pending.deadLetterReasons).toEqual({ invalid_json: 1 });
  });
});
