import { describe, expect, it } from 'vitest';
import {
  byteDelta,
  classifyEvent,
  derivedFields,
  EDITOR_KINDS,
  EVENT_MAPPING,
  indexTemplate,
  isDerivedFieldName,
  isIpAddress,
  type RecentChangeEvent,
  TEMPLATE_VERSION,
  titleText,
  toDocument,
} from '../../src/index.ts';
import { fixtureLines } from '../fixtures.ts';

const event = (fields: Partial<RecentChangeEvent>): RecentChangeEvent => ({
  meta: { id: 'e1', dt: '2026-02-26T15:49:36.569Z' },
  ...fields,
});

describe('toDocument', () => {
  it('keeps every field of the event and adds the derived ones', () => {
    const source = event({
      type: 'edit',
      title: 'File:City Lake',
      user: '2001:db8::1',
      length: { old: 10, new: 25 },
    });
    const document = toDocument(source, {
      kafkaPartition: 3,
      kafkaOffset: '9007199254740993',
      sseId: '[{"topic":"x","partition":0,"timestamp":1}]',
      receivedAt: Date.parse('2026-02-26T15:49:37Z'),
      indexedAt: Date.parse('2026-02-26T15:49:38Z'),
    });
    expect(document).toMatchObject(source);
    expect(document.byte_delta).toBe(15);
    expect(document.is_anonymous).toBe(true);
    expect(document.title_text).toBe('File City Lake');
    expect(document.pipeline).toEqual({
      kafka_partition: 3,
      kafka_offset: '9007199254740993',
      sse_id: '[{"topic":"x","partition":0,"timestamp":1}]',
      received_at: '2026-02-26T15:49:37.000Z',
      indexed_at: '2026-02-26T15:49:38.000Z',
      latency_ms: 1000,
    });
  });

  it('stores the end-to-end latency only when the receipt time is known, never negative', () => {
    const base = { kafkaPartition: 0, kafkaOffset: '0', indexedAt: 5_000 };
    expect(toDocument(event({}), base).pipeline.latency_ms).toBeUndefined();
    expect(toDocument(event({}), { ...base, receivedAt: 4_250 }).pipeline.latency_ms).toBe(750);
    // Clocks of different hosts can disagree by a little; a latency is never below zero.
    expect(toDocument(event({}), { ...base, receivedAt: 5_100 }).pipeline.latency_ms).toBe(0);
  });

  it('leaves out event fields under the names it derives, dotted ones included, so only its own values count', () => {
    const source = {
      ...event({ type: 'edit', user: 'Ann', comment: 'kept' }),
      pipeline: { kafka_offset: 'forged' },
      'pipeline.kafka_partition': 99,
      byte_delta: 'upstream',
      'is_anonymous.x': true,
      editor_kind: 'bot',
      title_text: { not: 'text' },
      'pipelines.other': 'kept',
    } as RecentChangeEvent;
    const document = toDocument(source, { kafkaPartition: 3, kafkaOffset: '7', indexedAt: 0 });
    expect(document.pipeline).toEqual({
      kafka_partition: 3,
      kafka_offset: '7',
      indexed_at: new Date(0).toISOString(),
    });
    expect(document.byte_delta).toBeNull();
    expect(Object.keys(document).sort()).toEqual(
      [
        'byte_delta',
        'comment',
        'editor_kind',
        'is_anonymous',
        'meta',
        'pipeline',
        'pipelines.other',
        'type',
        'user',
      ].sort(),
    );
    expect(isDerivedFieldName('pipeline.kafka_partition')).toBe(true);
    expect(isDerivedFieldName('title_text')).toBe(true);
    expect(isDerivedFieldName('editor_kind')).toBe(true);
    expect(document.editor_kind).toBe('registered');
    expect(isDerivedFieldName('pipelines')).toBe(false);
    expect(isDerivedFieldName('title')).toBe(false);
  });

  it('does not modify the event it is given', () => {
    const source = event({ title: 'A' });
    const copy = structuredClone(source);
    toDocument(source, { kafkaPartition: 0, kafkaOffset: '0', indexedAt: 0 });
    expect(source).toEqual(copy);
  });

  it('builds a document for every recorded fixture event', () => {
    for (const { text } of fixtureLines()) {
      const result = classifyEvent(text);
      if (!result.ok) throw new Error(result.detail);
      const document = toDocument(result.event, { kafkaPartition: 0, kafkaOffset: '1', indexedAt: 1 });
      expect(typeof document.is_anonymous).toBe('boolean');
      expect(EDITOR_KINDS).toContain(document.editor_kind);
      expect(document.byte_delta === null || Number.isInteger(document.byte_delta)).toBe(true);
    }
  });
});

describe('derived fields', () => {
  it('are exactly the fields toDocument adds, with the times of each call', () => {
    const source = event({ title: 'Talk:A/B', user: 'Ann', length: { new: 4 }, type: 'new' });
    const times = [
      { receivedAt: 1_000, indexedAt: 2_000 },
      { receivedAt: 1_000, indexedAt: 3_000 },
      { receivedAt: 2_500, indexedAt: 3_000 },
    ];
    for (const time of times) {
      const provenance = { kafkaPartition: 1, kafkaOffset: '2', ...time };
      const derived = derivedFields(source, provenance);
      expect({ ...source, ...derived }).toEqual(toDocument(source, provenance));
      expect(derived.pipeline.received_at).toBe(new Date(time.receivedAt).toISOString());
      expect(derived.pipeline.indexed_at).toBe(new Date(time.indexedAt).toISOString());
      expect(Object.keys(derived)).toEqual([
        'byte_delta',
        'editor_kind',
        'is_anonymous',
        'title_text',
        'pipeline',
      ]);
    }
    expect(
      Object.keys(derivedFields(event({}), { kafkaPartition: 0, kafkaOffset: '0', indexedAt: 0 })),
    ).toEqual(['byte_delta', 'editor_kind', 'is_anonymous', 'pipeline']);
  });

  it('computes the byte delta of edits and new pages, and null when it is unknown', () => {
    expect(byteDelta(event({ type: 'edit', length: { old: 100, new: 40 } }))).toBe(-60);
    expect(byteDelta(event({ type: 'new', length: { new: 40 } }))).toBe(40);
    expect(byteDelta(event({ type: 'new', length: { old: null, new: 40 } }))).toBe(40);
    expect(byteDelta(event({ type: 'edit', length: { new: 40 } }))).toBeNull();
    expect(byteDelta(event({ type: 'log' }))).toBeNull();
  });

  it('recognises IPv4 and IPv6 editors as anonymous, and names as not', () => {
    expect(isIpAddress('43.224.1.248')).toBe(true);
    expect(isIpAddress('2a02:c7c:f44c:ed00:f1e4:5c3f:cb37:3d6f')).toBe(true);
    expect(isIpAddress('Pintoch')).toBe(false);
    expect(isIpAddress('1.2.3')).toBe(false);
  });

  it('gives each document its kind of editor, and counts temporary accounts and IP addresses as anonymous', () => {
    const derive = (fields: Partial<RecentChangeEvent>) =>
      derivedFields(event(fields), { kafkaPartition: 0, kafkaOffset: '0', indexedAt: 0 });
    expect(derive({ user: '~2025-12345-67', bot: false })).toMatchObject({
      editor_kind: 'temporary',
      is_anonymous: true,
    });
    expect(derive({ user: '~2025-123456', bot: false })).toMatchObject({
      editor_kind: 'temporary',
      is_anonymous: true,
    });
    expect(derive({ user: '2001:db8::1', bot: false })).toMatchObject({
      editor_kind: 'ip',
      is_anonymous: true,
    });
    expect(derive({ user: 'Ann~2025', bot: false })).toMatchObject({
      editor_kind: 'registered',
      is_anonymous: false,
    });
    expect(derive({ user: 'ClueBot NG', bot: true })).toMatchObject({
      editor_kind: 'bot',
      is_anonymous: false,
    });
  });

  it('splits titles at namespace and path separators for search', () => {
    expect(titleText('Category:Foo_bar/baz')).toBe('Category Foo bar baz');
  });
});

describe('indexTemplate', () => {
  it('targets the daily indices of a prefix with an explicit, non-dynamic mapping', () => {
    const template = indexTemplate({ prefix: 'wikimedia-recentchange', shards: 2, refreshInterval: '5s' });
    expect(template.index_patterns).toEqual(['wikimedia-recentchange-*']);
    expect(template.version).toBe(TEMPLATE_VERSION);
    expect(template.template.settings).toEqual({
      number_of_shards: 2,
      number_of_replicas: 0,
      refresh_interval: '5s',
    });
    expect(template.template.mappings.dynamic).toBe(false);
  });

  it('maps the end-to-end latency as a number so percentiles need no script', () => {
    expect(EVENT_MAPPING.properties.pipeline.properties.latency_ms).toEqual({ type: 'long' });
    expect(TEMPLATE_VERSION).toBeGreaterThanOrEqual(2);
  });

  it('maps the kind of editor as a keyword, from template version 3 on', () => {
    expect(EVENT_MAPPING.properties.editor_kind).toEqual({ type: 'keyword' });
    expect(TEMPLATE_VERSION).toBeGreaterThanOrEqual(3);
  });

  it('never indexes log_params or parsedcomment', () => {
    expect(EVENT_MAPPING.properties.log_params).toEqual({ type: 'object', enabled: false });
    expect(EVENT_MAPPING.properties.parsedcomment).toEqual({ type: 'object', enabled: false });
  });
});
