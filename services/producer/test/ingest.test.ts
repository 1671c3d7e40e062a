import { randomBytes } from 'node:crypto';
import { DeadLetterReason, GapReason, HEADERS } from '@wikistream/shared';
import { describe, expect, it, vi } from 'vitest';
import { encodeCursor } from '../src/cursor-record.ts';
import { createIngest, type IngestSettings } from '../src/ingest.ts';
import { parseSseId } from '../src/sse-id.ts';

// A per-event step that throws where it never should: the gap check, when a test arms it.
const thrower = vi.hoisted(() => ({ armed: false }));
vi.mock('../src/gap-check.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../src/gap-check.ts')>();
  return {
    ...actual,
    checkGap: (...args: Parameters<typeof actual.checkGap>) => {
      if (thrower.armed) throw new Error('gap check exploded');
      return actual.checkGap(...args);
    },
  };
});

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

  it('turns an error thrown by a per-event step into an unexpected_error dead letter and goes on', () => {
    const ingest = createIngest(settings, { since: 1000 });
    ingest.connected(ingest.nextRequest());
    thrower.armed = true;
    let outcome: ReturnType<typeof ingest.accept> | undefined;
    try {
      outcome = ingest.accept(frameAt(100_000, 'a'));
    } finally {
      thrower.armed = false;
    }
    expect(outcome).toMatchObject({ kind: 'dead-letter', reason: DeadLetterReason.Unexpected });
    if (typeof outcome === 'object' && outcome.kind === 'dead-letter') {
      expect(outcome.message.headers[HEADERS.detail]).toBe('gap check exploded');
      expect(outcome.message.value.toString()).toBe(frameAt(100_000, 'a').data);
    }
    expect(ingest.accept(frameAt(100_001, 'b'))).toMatchObject({ kind: 'event' });
    expect(ingest.pending.deadLetterReasons).toEqual({ [DeadLetterReason.Unexpected]: 1 });
    expect(ingest.pending.data).toHaveLength(1);
  });

  it('dead-letters a frame whose SSE id carries an impossible timestamp, and checks the next frame for a gap', () => {
    const ingest = createIngest(settings, { since: 1000 });
    ingest.connected(ingest.nextRequest());
    const hostile = {
      ...frameAt(100_000, 'hostile'),
      id: `[{"topic":"${EQIAD}","partition":0,"timestamp":1e300}]`,
    };
    expect(ingest.accept(hostile)).toMatchObject({
      kind: 'dead-letter',
      reason: DeadLetterReason.MalformedFrame,
    });
    expect(ingest.accept(frameAt(100_000, 'a'))).toMatchObject({ kind: 'event' });
    // The gap since SINCE is judged at the first frame with a position, not at the broken one.
    expect(ingest.pending.gaps).toHaveLength(1);
    expect(parseSseId(ingest.nextRequest().lastEventId)?.[0]?.timestamp).toBe(100_001 - 1000);
  });

  it('never takes a position it could not send back as a Last-Event-ID header', () => {
    const ingest = createIngest(settings, {});
    ingest.connected({});
    ingest.accept(frameAt(100_000, 'a'));
    const snowman = { ...frameAt(100_500, 'b'), id: '[{"topic":"☃","partition":0,"timestamp":100501}]' };
    expect(ingest.accept(snowman)).toMatchObject({
      kind: 'dead-letter',
      reason: DeadLetterReason.MalformedFrame,
    });
    const { lastEventId } = ingest.nextRequest();
    expect(() => new Headers({ 'last-event-id': lastEventId ?? '' })).not.toThrow();
    expect(ingest.seal(1)?.cursor?.sseId).toBe(idAt(100_000));
  });

  it('dead-letters a frame with an oversize SSE id and carries that id neither into a record nor into the cursor', () => {
    const ingest = createIngest(settings, {});
    ingest.connected({});
    ingest.accept(frameAt(100_000, 'a'));
    const padding = randomBytes(64 * 1024).toString('base64');
    const huge = {
      ...frameAt(100_001, 'b'),
      id: `[{"topic":"${EQIAD}","partition":0,"timestamp":100002,"padding":"${padding}"}]`,
    };
    const outcome = ingest.accept(huge);
    expect(outcome).toMatchObject({ kind: 'dead-letter', reason: DeadLetterReason.MalformedFrame });
    if (typeof outcome === 'object' && outcome.kind === 'dead-letter')
      expect(outcome.message.headers[HEADERS.sseId]?.length).toBeLessThanOrEqual(4096);
    expect(ingest.seal(1)?.cursor?.sseId).toBe(idAt(100_000));
  });

  it('keeps the cursor record small whatever the length of meta.id, and still recognises a re-sent event', () => {
    const ingest = createIngest(settings, {});
    ingest.connected({});
    const longId = (tag: string) => `${tag}-${randomBytes(300 * 1024).toString('base64')}`;
    const first = frameAt(100_000, longId('a'));
    ingest.accept(first);
    ingest.accept(frameAt(100_001, longId('b')));
    const cursor = ingest.seal(1)?.cursor;
    if (!cursor) throw new Error('a sealed batch carries a cursor');
    expect(encodeCursor(cursor).length).toBeLessThan(4096);
    const restarted = createIngest(settings, { cursor });
    restarted.connected(restarted.nextRequest());
    expect(restarted.accept(first)).toBe('duplicate');
  });

  it('records one redirect_refused gap per run of refused connections, from the last event to the refusal', () => {
    const ingest = createIngest(settings, {});
    ingest.connected({});
    ingest.accept(frameAt(100_000, 'a'));
    ingest.seal(1);
    ingest.connected(ingest.nextRequest());
    ingest.redirectRefused('redirected to http://elsewhere.test', 160_000);
    ingest.connected(ingest.nextRequest());
    ingest.redirectRefused('redirected to http://elsewhere.test', 170_000);
    expect(ingest.hasPending()).toBe(true);
    const sealed = ingest.seal(2);
    expect(sealed?.gaps).toEqual([
      expect.objectContaining({
        reason: GapReason.RedirectRefused,
        from: new Date(100_000).toISOString(),
        to: new Date(160_000).toISOString(),
        detail: expect.stringContaining('http://elsewhere.test'),
      }),
    ]);
    // The cursor is unchanged: the batch carries only the gap.
    expect(sealed?.cursor?.sseId).toBe(idAt(100_000));
    expect(sealed?.data).toEqual([]);
    // Events flow again, then the next refusal starts a new run.
    ingest.connected(ingest.nextRequest());
    ingest.accept(frameAt(100_500, 'b'));
    ingest.redirectRefused('redirected to http://elsewhere.test', 190_000);
    expect(ingest.seal(3)?.gaps).toHaveLength(1);
  });

  it('takes no position from an id timestamp far after the frame was received, and keeps its dedupe window', () => {
    const ingest = createIngest(settings, {});
    ingest.connected({});
    ingest.accept(frameAt(100_000, 'a'));
    const twoDays = 2 * 24 * 3600 * 1000;
    const ahead = { ...frameAt(100_500, 'b'), id: idAt(100_500 + twoDays) };
    expect(ingest.accept(ahead)).toMatchObject({
      kind: 'dead-letter',
      reason: DeadLetterReason.MalformedFrame,
    });
    expect(ingest.accept(frameAt(100_600, 'c'))).toMatchObject({ kind: 'event' });
    expect(parseSseId(ingest.nextRequest().lastEventId)?.[0]?.timestamp).toBe(100_601 - 1000);
    ingest.connected(ingest.nextRequest());
    expect(ingest.accept(frameAt(100_000, 'a'))).toBe('duplicate');
  });
});
