import { ErrorCode, isWikistreamError } from '@wikistream/shared';
import { describe, expect, it } from 'vitest';
import { checkCursorOwner, streamIdentity } from '../src/cursor-owner.ts';
import { type CursorRecord, decodeCursor, encodeCursor } from '../src/cursor-record.ts';
import { decideStart, type StartPolicy } from '../src/start-position.ts';

const LIVE = 'https://stream.example/v2/stream/recentchange';
const here = { stream: LIVE, topic: 'wikimedia.recentchange' };
const cursor = (owner?: CursorRecord['owner']): CursorRecord => ({
  version: 1,
  sseId: '[{"topic":"eqiad.mediawiki.recentchange","partition":0,"timestamp":1000}]',
  window: { completeFrom: 500, keys: ['a', 'b'], timestamps: [600, 900] },
  producerVersion: '0.1.0',
  committedAt: 1200,
  owner,
});
const stored = (record: CursorRecord) => ({ value: encodeCursor(record), timestamp: 1300 });
const policy = (overrides: Partial<StartPolicy> = {}): StartPolicy => ({
  producerId: 'wikistream-producer',
  owner: here,
  since: 42,
  reset: false,
  ...overrides,
});

describe('the cursor record', () => {
  it('carries its owner through encoding, and reads records written without one', () => {
    expect(decodeCursor(encodeCursor(cursor(here)))).toEqual(cursor(here));
    const old = decodeCursor(encodeCursor(cursor()));
    expect(old?.owner).toBeUndefined();
    expect(old?.sseId).toBe(cursor().sseId);
  });

  it('names the stream without credentials', () => {
    expect(streamIdentity('https://user:secret@stream.example/v2/stream/recentchange?x=1')).toBe(
      'https://stream.example/v2/stream/recentchange?x=1',
    );
  });
});

describe('checkCursorOwner', () => {
  it('tells the same, an unrecorded and another owner apart', () => {
    expect(checkCursorOwner(cursor(here), here, 'p').kind).toBe('same');
    expect(checkCursorOwner(cursor(), here, 'p').kind).toBe('unrecorded');
    const topic = checkCursorOwner(cursor({ ...here, topic: 'old.topic' }), here, 'p');
    expect(topic).toMatchObject({ kind: 'other', message: expect.stringContaining('another topic') });
    const both = checkCursorOwner(cursor({ stream: 'http://replay.local/s', topic: 'old.topic' }), here, 'p');
    expect(both).toMatchObject({
      kind: 'other',
      message: expect.stringContaining('another upstream and topic'),
    });
  });
});

describe('decideStart', () => {
  it('starts from SINCE without a cursor, and marks an unreadable one', () => {
    expect(decideStart(undefined, policy())).toEqual({ start: { since: 42 }, cursor: 'none' });
    expect(decideStart({ value: Buffer.from('{}'), timestamp: 7 }, policy())).toEqual({
      start: { since: 42, unusableCursorAt: 7 },
      cursor: 'unusable',
    });
  });

  it("resumes from this configuration's cursor and adopts one without an owner", () => {
    expect(decideStart(stored(cursor(here)), policy())).toMatchObject({
      cursor: 'resumed',
      start: { cursor: cursor(here) },
    });
    expect(decideStart(stored(cursor()), policy())).toMatchObject({ cursor: 'adopted' });
    // RESET_CURSOR never drops a cursor that is this configuration's.
    expect(decideStart(stored(cursor(here)), policy({ reset: true })).cursor).toBe('resumed');
  });

  it("refuses another configuration's cursor with a cursor_mismatch error", () => {
    const other = stored(cursor({ ...here, topic: 'old.topic' }));
    let thrown: unknown;
    try {
      decideStart(other, policy());
    } catch (error) {
      thrown = error;
    }
    expect(isWikistreamError(thrown, ErrorCode.CursorMismatch)).toBe(true);
    expect((thrown as Error).message).toContain('into topic old.topic');
  });

  it('with RESET_CURSOR drops it, starts from SINCE and says where the old position was', () => {
    const decision = decideStart(stored(cursor({ ...here, topic: 'old.topic' })), policy({ reset: true }));
    expect(decision).toEqual({
      cursor: 'reset',
      start: {
        since: 42,
        reset: { at: 1200, detail: `cursor reset (RESET_CURSOR): it was ${LIVE} into old.topic` },
      },
    });
  });
});
