import { randomBytes } from 'node:crypto';
import { DeadLetterReason, fromDeadLetterMessage, HEADERS, MAX_EVENT_BYTES } from '@wikistream/shared';
import { fixtureLines } from '@wikistream/tools/testing';
import { describe, expect, it, vi } from 'vitest';
import { classifyFrame, type Frame } from '../src/classify-frame.ts';

// A step of record building that throws where it never should: the key, when a test arms it.
const thrower = vi.hoisted(() => ({ armed: false }));
vi.mock('@wikistream/shared', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@wikistream/shared')>();
  return {
    ...actual,
    eventKey: (event: Parameters<typeof actual.eventKey>[0]) => {
      if (thrower.armed) throw new TypeError('key exploded');
      return actual.eventKey(event);
    },
  };
});

const options = { producerVersion: '9.9.9', compressed: true };
const ID = '[{"topic":"eqiad.mediawiki.recentchange","partition":0,"timestamp":1700000000001}]';
const frame = (data: string): Frame => ({ data, id: ID, receivedAt: 1_700_000_000_500 });
const event = (extra: Record<string, unknown> = {}, meta: Record<string, unknown> = {}) =>
  JSON.stringify({
    meta: { id: 'e1', dt: '2024-01-01T00:00:00Z', domain: 'en.wikipedia.org', ...meta },
    wiki: 'enwiki',
    title: 'Main Page',
    ...extra,
  });

describe('classifying a frame into a Kafka record', () => {
  it('keys a valid event by wiki and title and keeps its bytes unchanged, with the provenance headers', () => {
    const line = fixtureLines()[0]?.text as string;
    const outcome = classifyFrame(frame(line), options);
    expect(outcome.kind).toBe('event');
    if (outcome.kind !== 'event') return;
    const parsed = JSON.parse(line);
    expect(outcome.message.key).toBe(`${parsed.wiki}:${parsed.title}`);
    expect(outcome.message.value.equals(Buffer.from(line, 'utf8'))).toBe(true);
    expect(outcome.message.headers).toEqual({
      [HEADERS.sseId]: ID,
      [HEADERS.receivedAt]: '1700000000500',
      [HEADERS.producerVersion]: '9.9.9',
    });
    expect(outcome.dedupeKey).toBe(parsed.meta.id);
  });

  it('accepts every recorded fixture event', () => {
    const kinds = new Set(fixtureLines().map(({ text }) => classifyFrame(frame(text), options).kind));
    expect([...kinds]).toEqual(['event']);
  });

  it('recognises canaries and produces nothing for them', () => {
    const outcome = classifyFrame(frame(event({}, { domain: 'canary' })), options);
    expect(outcome.kind).toBe('canary');
  });

  it.each([
    ['invalid JSON', '{"meta":', DeadLetterReason.InvalidJson],
    ['a missing meta.id', event({}, { id: undefined }), DeadLetterReason.MissingMetaId],
    ['a missing meta.dt', event({}, { dt: undefined }), DeadLetterReason.MissingMetaDt],
    ['a wrong type', event({ bot: 'yes' }), DeadLetterReason.WrongType],
    ['two data lines', `${event().slice(0, 20)}\n${event().slice(20)}`, DeadLetterReason.MalformedFrame],
    ['an empty frame', '', DeadLetterReason.MalformedFrame],
    ['more than 1 MiB', event({ comment: 'x'.repeat(MAX_EVENT_BYTES) }), DeadLetterReason.TooLarge],
  ])('dead-letters %s with its reason code, the raw bytes and the SSE id', (_, data, reason) => {
    const outcome = classifyFrame(frame(data), options);
    expect(outcome.kind).toBe('dead-letter');
    if (outcome.kind !== 'dead-letter') return;
    expect(outcome.reason).toBe(reason);
    const letter = fromDeadLetterMessage({ ...outcome.message, key: null });
    expect(letter).toMatchObject({ reason, stage: 'producer', headers: { [HEADERS.sseId]: ID } });
    expect(letter?.value.equals(Buffer.from(data, 'utf8'))).toBe(true);
  });

  it('cuts down only a dead letter that cannot fit one Kafka record even compressed', () => {
    const data = event({ comment: randomBytes(1536 * 1024).toString('base64') });
    const outcome = classifyFrame(frame(data), options);
    expect(outcome.kind === 'dead-letter' && outcome.reason).toBe(DeadLetterReason.TooLarge);
    if (outcome.kind !== 'dead-letter') return;
    expect(outcome.message.value.length).toBeLessThan(1024 * 1024);
    expect(outcome.message.headers[HEADERS.detail]).toMatch(/truncated/);
  });

  it('turns an error thrown while building the record into an unexpected_error dead letter with its message', () => {
    thrower.armed = true;
    let outcome: ReturnType<typeof classifyFrame> | undefined;
    try {
      outcome = classifyFrame(frame(event()), options, 7);
    } finally {
      thrower.armed = false;
    }
    expect(outcome?.kind).toBe('dead-letter');
    if (outcome?.kind !== 'dead-letter') return;
    expect(outcome.reason).toBe(DeadLetterReason.Unexpected);
    const letter = fromDeadLetterMessage({ ...outcome.message, key: null });
    expect(letter).toMatchObject({
      detail: 'key exploded',
      stage: 'producer',
      headers: { [HEADERS.sseId]: ID },
    });
    expect(letter?.value.toString()).toBe(event());
  });

  it('counts the key and the headers in the size of a record, not only the value', () => {
    // A 600 KB title: the value fits an uncompressed record, value and key together do not.
    const data = event({ title: 't'.repeat(600 * 1024) });
    const outcome = classifyFrame(frame(data), { ...options, compressed: false });
    expect(outcome.kind === 'dead-letter' && outcome.reason).toBe(DeadLetterReason.TooLarge);
  });
});
