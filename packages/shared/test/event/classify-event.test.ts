import { describe, expect, it } from 'vitest';
import {
  classifyEvent,
  classifyValue,
  MAX_EVENT_BYTES,
  MAX_EVENT_DEPTH,
  RejectReason,
} from '../../src/index.ts';
import { fixtureLines } from '../fixtures.ts';

const lines = fixtureLines();
const current = JSON.parse(
  lines.find(({ file }) => file.startsWith('wikistream-lakehouse'))?.text ?? '{}',
) as Record<string, unknown>;

/** `levels` objects, each the only field of the one around it. */
function nestedObjects(levels: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
}

/** The same as text, `levels` deep in objects (`{"a":…}`) or arrays (`[…]`), built without recursion. */
const nestedText = (levels: number, kind: 'objects' | 'arrays') =>
  kind === 'objects'
    ? `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`
    : `${'['.repeat(levels)}1${']'.repeat(levels)}`;

/** The current fixture event as text, with `field` holding `value` (raw JSON text). */
const withRaw = (field: string, value: string) =>
  `${JSON.stringify(current).slice(0, -1)},"${field}":${value}}`;

function withChange(change: (event: Record<string, unknown>) => void): string {
  const event = structuredClone(current);
  change(event);
  return JSON.stringify(event);
}

describe('classifyEvent on the recorded fixtures', () => {
  it('reads a meaningful corpus', () => {
    expect(lines.length).toBeGreaterThan(6000);
  });

  it('accepts every real recorded event, legacy and current shape alike', () => {
    const rejected = lines
      .map(({ file, line, text }) => ({ file, line, result: classifyEvent(text) }))
      .filter(({ result }) => !result.ok);
    expect(rejected).toEqual([]);
  });

  it('returns the event unchanged, with nothing counted as a canary', () => {
    for (const { text } of lines) {
      const result = classifyEvent(text);
      if (!result.ok) throw new Error('unexpected rejection');
      expect(result.canary).toBe(false);
      expect(result.event).toEqual(JSON.parse(text));
    }
  });

  it('accepts bytes as well as text', () => {
    const result = classifyEvent(new TextEncoder().encode(JSON.stringify(current)));
    expect(result.ok).toBe(true);
  });

  it('reads only the bytes of a view into a larger buffer', () => {
    const text = JSON.stringify(current);
    const padded = new TextEncoder().encode(`[[${text}]]`);
    for (const view of [padded.subarray(2, padded.length - 2), Buffer.from(padded).subarray(2, -2)]) {
      const result = classifyEvent(view);
      if (!result.ok) throw new Error(`unexpected rejection: ${result.detail}`);
      expect(result.event).toEqual(JSON.parse(text));
    }
  });
});

describe('classifyEvent on bad input', () => {
  const cases: [string, string | Uint8Array, RejectReason][] = [
    ['invalid JSON', '{"meta": {"id": "x",', RejectReason.InvalidJson],
    ['a JSON array', '[1, 2]', RejectReason.NotAnObject],
    ['a JSON string', '"hello"', RejectReason.NotAnObject],
    ['no meta', withChange((e) => delete e.meta), RejectReason.MissingMeta],
    ['meta that is a string', withChange((e) => (e.meta = 'x')), RejectReason.MissingMeta],
    [
      'no meta.id',
      withChange((e) => delete (e.meta as Record<string, unknown>).id),
      RejectReason.MissingMetaId,
    ],
    [
      'an empty meta.id',
      withChange((e) => ((e.meta as Record<string, unknown>).id = '')),
      RejectReason.MissingMetaId,
    ],
    [
      'a numeric meta.id',
      withChange((e) => ((e.meta as Record<string, unknown>).id = 42)),
      RejectReason.MissingMetaId,
    ],
    [
      'no meta.dt',
      withChange((e) => delete (e.meta as Record<string, unknown>).dt),
      RejectReason.MissingMetaDt,
    ],
    [
      'an unparseable meta.dt',
      withChange((e) => ((e.meta as Record<string, unknown>).dt = 'yesterday')),
      RejectReason.InvalidMetaDt,
    ],
    [
      'a numeric meta.dt',
      withChange((e) => ((e.meta as Record<string, unknown>).dt = 1_700_000_000)),
      RejectReason.InvalidMetaDt,
    ],
    ['a string namespace', withChange((e) => (e.namespace = '0')), RejectReason.WrongType],
    ['a string bot flag', withChange((e) => (e.bot = 'true')), RejectReason.WrongType],
    ['a numeric title', withChange((e) => (e.title = 7)), RejectReason.WrongType],
    ['a numeric user', withChange((e) => (e.user = 7)), RejectReason.WrongType],
    ['a fractional timestamp', withChange((e) => (e.timestamp = 1.5)), RejectReason.WrongType],
    ['a string length.new', withChange((e) => (e.length = { new: '12' })), RejectReason.WrongType],
    ['numeric log_params', withChange((e) => (e.log_params = 5)), RejectReason.WrongType],
    [
      'a string meta.partition',
      withChange((e) => ((e.meta as Record<string, unknown>).partition = '0')),
      RejectReason.WrongType,
    ],
    ['more than 1 MiB', withChange((e) => (e.comment = 'x'.repeat(MAX_EVENT_BYTES))), RejectReason.TooLarge],
    ['objects nested too deep', withChange((e) => (e.log_params = nestedObjects(30))), RejectReason.TooDeep],
  ];

  it.each(cases)('rejects %s with its own reason code', (_name, input, reason) => {
    const result = classifyEvent(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason).toBe(reason);
      expect(result.detail.length).toBeGreaterThan(0);
    }
  });

  it('uses a distinct code for each kind of problem', () => {
    const codes = new Set(Object.values(RejectReason));
    expect(codes.size).toBe(Object.keys(RejectReason).length);
    expect(new Set(cases.map(([, , reason]) => reason))).toEqual(codes);
  });

  it('measures size in UTF-8 bytes, not characters', () => {
    const almost = withChange((e) => (e.comment = 'é'.repeat(MAX_EVENT_BYTES / 2)));
    expect(classifyEvent(almost)).toMatchObject({ ok: false, reason: RejectReason.TooLarge });
  });
});

describe('classifyValue on shapes the corpus lacks', () => {
  it('accepts a canary with nothing but meta, and marks it', () => {
    const result = classifyValue({ meta: { id: 'c-1', dt: '2026-01-01T00:00:00Z', domain: 'canary' } });
    expect(result).toMatchObject({ ok: true, canary: true });
  });

  it('accepts events without user (redacted), with a null id, string log_params and unknown types', () => {
    const base = JSON.parse(withChange((e) => delete e.user)) as Record<string, unknown>;
    for (const variant of [
      { ...base, id: null },
      { ...base, type: 'external' },
      { ...base, type: 'something-new' },
      { ...base, type: 3 },
      { ...base, log_params: 'a\nb' },
      { ...base, log_params: [] },
      { ...base, log_params: { nested: { deep: [1, 'x'] } } },
      { ...base, length: { old: null, new: 10 } },
    ]) {
      expect(classifyValue(variant)).toMatchObject({ ok: true, canary: false });
    }
  });

  it('accepts legacy offsets in meta.dt', () => {
    const result = classifyValue({ meta: { id: 'a', dt: '2018-03-07T16:16:17+01:00' }, type: 'edit' });
    expect(result.ok).toBe(true);
  });
});

describe('classifyEvent on deeply nested events', () => {
  // The event itself is the first level: a field holding n nested values is n + 1 levels deep.
  it.each(['objects', 'arrays'] as const)('accepts %s nested up to MAX_EVENT_DEPTH levels', (kind) => {
    expect(MAX_EVENT_DEPTH).toBe(20);
    const result = classifyEvent(withRaw('x', nestedText(MAX_EVENT_DEPTH - 1, kind)));
    expect(result).toMatchObject({ ok: true });
  });

  it.each(['objects', 'arrays'] as const)('rejects %s nested one level deeper with too_deep', (kind) => {
    const result = classifyEvent(withRaw('x', nestedText(MAX_EVENT_DEPTH, kind)));
    expect(result).toMatchObject({ ok: false, reason: 'too_deep' });
    if (!result.ok) expect(result.detail).toContain(String(MAX_EVENT_DEPTH));
  });

  it('rejects objects and arrays mixed, and a canary, by the same count', () => {
    const mixed = `${'{"a":['.repeat(10)}1${']}'.repeat(10)}`;
    expect(classifyEvent(withRaw('x', mixed))).toMatchObject({ ok: false, reason: 'too_deep' });
    const canary = `{"meta":{"id":"c","dt":"2026-01-01T00:00:00Z","domain":"canary"},"x":${nestedText(25, 'arrays')}}`;
    expect(classifyEvent(canary)).toMatchObject({ ok: false, reason: 'too_deep' });
  });

  it('rejects nesting deeper than a serializer can follow, without overflowing the stack', () => {
    for (const kind of ['objects', 'arrays'] as const) {
      const text = withRaw('pipeline', nestedText(100_000, kind));
      expect(Buffer.byteLength(text)).toBeLessThan(MAX_EVENT_BYTES);
      expect(classifyEvent(Buffer.from(text))).toMatchObject({ ok: false, reason: 'too_deep' });
    }
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    // In JSON text: [{\"\\ again and again, so quotes and backslashes are escaped inside the string.
    const text = withRaw('comment', JSON.stringify('[{"\\'.repeat(5000)));
    expect(text).toContain('[{\\"\\\\[{');
    expect(classifyEvent(text)).toMatchObject({ ok: true });
    const keyed = `{"meta":{"id":"k","dt":"2026-01-01T00:00:00Z"},${JSON.stringify('{'.repeat(50))}:"[[[["}`;
    expect(classifyEvent(keyed)).toMatchObject({ ok: true });
  });

  it('never rejects a recorded event as too deep', () => {
    const deep = lines.filter(({ text }) => {
      const result = classifyEvent(text);
      return !result.ok && result.reason === 'too_deep';
    });
    expect(deep).toEqual([]);
  });
});
