import { describe, expect, it } from 'vitest';
import { parseDuration, parseReplayArgs } from '../../src/replay/args.ts';
import { createEventLog } from '../../src/replay/event-log.ts';
import { compileTemplate, renderTemplate } from '../../src/replay/event-template.ts';
import { EntryKind, HOSTILE_DEPTH } from '../../src/replay/injected-events.ts';
import { parseSource } from '../../src/replay/source-events.ts';

const event = (id: string, dt: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    $schema: '/mediawiki/recentchange/1.0.0',
    meta: { id, dt, domain: 'en.wikipedia.org' },
    wiki: 'enwiki',
    title: id,
    timestamp: 1,
    ...extra,
  });

const three = parseSource([
  [
    event('a', '2024-01-01T00:00:00Z'),
    event('b', '2024-01-01T00:00:02Z'),
    event('c', '2024-01-01T01:00:00Z'),
  ].join('\n'),
]);

describe('event templates', () => {
  it('render exactly JSON.stringify of the event with the new values', () => {
    const original = JSON.parse(event('x', '2018-03-07T16:16:17+00:00', { comment: 'a "quoted" \\ text' }));
    const template = compileTemplate(original);
    const text = renderTemplate(template, {
      id: 'new-id',
      dt: '2026-01-01T00:00:00.000Z',
      timestamp: 1767225600,
      topic: 'eqiad.mediawiki.recentchange',
      partition: 0,
      offset: 42,
    });
    const expected = {
      ...original,
      meta: {
        ...original.meta,
        id: 'new-id',
        dt: '2026-01-01T00:00:00.000Z',
        topic: 'eqiad.mediawiki.recentchange',
        partition: 0,
        offset: 42,
      },
      timestamp: 1767225600,
    };
    expect(text).toBe(JSON.stringify(expected));
  });
});

describe('the recorded source', () => {
  it('keeps the recorded spacing and shortens long pauses', () => {
    expect(three.events.map((e) => e.delayMs)).toEqual([0, 2000, 5000]);
  });

  it('skips lines that are not events', () => {
    expect(parseSource([`{"meta":{}}\nnot json\n${event('a', '2024-01-01T00:00:00Z')}`]).skipped).toBe(2);
  });
});

describe('the replay log', () => {
  it('gives looped copies new, deterministic and distinct meta.ids', () => {
    const make = () => createEventLog({ source: three.events, loops: 3, topic: 't' });
    const log = make();
    while (log.appendNext(1000)) {}
    const ids = log.validIds();
    expect(ids).toHaveLength(9);
    expect(new Set(ids).size).toBe(9);
    expect(ids.slice(0, 3)).toEqual(['a', 'b', 'c']);
    const again = make();
    while (again.appendNext(5000)) {}
    expect(again.validIds()).toEqual(ids);
    expect(log.exhausted).toBe(true);
  });

  it('finds the first offset at or after a timestamp, as Kafka offsetsForTimes does', () => {
    const log = createEventLog({ source: three.events, loops: 0, topic: 't' });
    for (const ts of [100, 100, 101, 105, 105, 110]) log.appendNext(ts);
    expect(log.offsetForTimestamp(50)).toBe(0);
    expect(log.offsetForTimestamp(101)).toBe(2);
    expect(log.offsetForTimestamp(102)).toBe(3);
    expect(log.offsetForTimestamp(105)).toBe(3);
    expect(log.offsetForTimestamp(111)).toBe(6);
  });

  it('keeps timestamps from going backwards', () => {
    const log = createEventLog({ source: three.events, loops: 0, topic: 't' });
    log.appendNext(200);
    log.appendNext(150);
    expect(log.timestamp(1)).toBe(200);
  });

  it('re-times events to the append time and stamps the log position into meta', () => {
    const log = createEventLog({ source: three.events, loops: 1, topic: 'eqiad.mediawiki.recentchange' });
    log.appendNext(Date.parse('2026-02-01T10:00:00.123Z'));
    const served = JSON.parse(log.render(0)[0] as string);
    expect(served.meta).toMatchObject({
      id: 'a',
      dt: '2026-02-01T10:00:00.123Z',
      topic: 'eqiad.mediawiki.recentchange',
      partition: 0,
      offset: 0,
    });
    expect(served.timestamp).toBe(Math.floor(Date.parse('2026-02-01T10:00:00.123Z') / 1000));
  });

  it('injects canaries and broken events after every N recorded events and knows their reason codes', () => {
    const log = createEventLog({
      source: three.events,
      loops: 4,
      topic: 't',
      inject: { canaryEvery: 2, invalidEvery: 3, oversizeEvery: 6, malformedEvery: 4 },
    });
    while (log.appendNext(1)) {}
    expect(log.counts()).toEqual({
      Data: 12,
      Canary: 6,
      Malformed: 3,
      InvalidJson: 1,
      MissingMetaId: 1,
      MissingMetaDt: 1,
      WrongType: 1,
      Oversize: 2,
    });
    expect(log.expectedDeadLetters()).toEqual({
      malformed_frame: 3,
      invalid_json: 1,
      missing_meta_id: 1,
      missing_meta_dt: 1,
      wrong_type: 1,
      too_large: 2,
    });
    const canary = [...Array(log.length).keys()].find((o) => log.kind(o) === EntryKind.Canary) as number;
    expect(JSON.parse(log.render(canary)[0] as string).meta.domain).toBe('canary');
    const malformed = [...Array(log.length).keys()].find(
      (o) => log.kind(o) === EntryKind.Malformed,
    ) as number;
    expect(log.render(malformed)).toHaveLength(2);
  });

  it('injects hostile events in turn: nested too deep, meta.dt in 9999 and in 1970', () => {
    const log = createEventLog({ source: three.events, loops: 3, topic: 't', inject: { hostileEvery: 3 } });
    while (log.appendNext(Date.parse('2026-12-06T00:00:00Z'))) {}
    expect(log.counts()).toEqual({ Data: 9, TooDeep: 1, FarFuture: 1, FarPast: 1 });
    expect(log.expectedDeadLetters()).toEqual({ too_deep: 1, time_out_of_range: 2 });
    const rendered = (kind: EntryKind) => {
      const offset = [...Array(log.length).keys()].find((o) => log.kind(o) === kind) as number;
      return log.render(offset)[0] as string;
    };
    const deep = rendered(EntryKind.TooDeep);
    expect(deep).toContain(`"log_params":${'['.repeat(HOSTILE_DEPTH)}]`);
    expect(() => JSON.parse(deep)).not.toThrow();
    expect(JSON.parse(rendered(EntryKind.FarFuture)).meta.dt).toBe('9999-12-31T23:59:59Z');
    expect(JSON.parse(rendered(EntryKind.FarPast)).meta.dt).toBe('1970-01-02T00:00:00Z');
    expect(log.validIds()).toHaveLength(9);
  });
});

describe('replay arguments', () => {
  it('read files, pacing, loops and scheduled faults, ignoring a leading --', () => {
    const args = parseReplayArgs([
      '--',
      'a.ndjson',
      'b.ndjson',
      '--rate',
      'max',
      '--loop',
      '3',
      '--fail',
      '503:10s@2s',
      '--stall',
      '90s',
    ]);
    expect(args.files).toEqual(['a.ndjson', 'b.ndjson']);
    expect(args.options.pacing).toEqual({ kind: 'max' });
    expect(args.options.loops).toBe(3);
    expect(args.options.canaryIntervalMs).toBe(30_000);
    expect(parseReplayArgs(['--canary-interval', '0']).options.canaryIntervalMs).toBe(0);
    expect(args.scheduled).toEqual([
      { kind: 'fail', status: 503, durationMs: 10_000, afterMs: 2000 },
      { kind: 'stall', durationMs: 90_000, afterMs: 0 },
    ]);
  });

  it('read durations with units', () => {
    expect([parseDuration('500ms'), parseDuration('2m'), parseDuration('7d'), parseDuration('250')]).toEqual([
      500, 120_000, 604_800_000, 250,
    ]);
    expect(() => parseDuration('soon')).toThrow();
  });
});

describe('time-based canaries', () => {
  it('keep a finished log alive without adding recorded events', () => {
    const log = createEventLog({ source: three.events, loops: 1, topic: 't' });
    while (log.appendNext(10)) {}
    log.appendCanary(20);
    expect(log.length).toBe(4);
    expect(log.kind(3)).toBe(EntryKind.Canary);
    expect(log.timestamp(3)).toBe(20);
    expect(log.validIds()).toEqual(['a', 'b', 'c']);
  });
});
