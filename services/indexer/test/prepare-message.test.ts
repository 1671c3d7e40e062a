import { HEADERS } from '@wikistream/shared';
import { describe, expect, it } from 'vitest';
import { parseReceivedAt, prepareMessage } from '../src/prepare-message.ts';

const context = {
  partition: 4,
  indexPrefix: 'wikimedia-recentchange',
  indexedAt: Date.parse('2026-02-26T15:49:40Z'),
};
const message = (value: unknown, headers: Record<string, string> = {}, offset = '42') => ({
  offset,
  key: null,
  value: value === null ? null : Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
  headers,
});
const event = (meta: Record<string, unknown>, fields: Record<string, unknown> = {}) => ({
  $schema: '/mediawiki/recentchange/1.0.0',
  meta: { id: 'id-1', dt: '2026-02-26T15:49:36.569Z', domain: 'en.wikipedia.org', ...meta },
  type: 'edit',
  title: 'File:City Lake',
  ...fields,
});

describe('prepareMessage', () => {
  it('indexes a valid event under its meta.id in the daily index of meta.dt, with Kafka provenance', () => {
    const prepared = prepareMessage(
      message(event({}), {
        [HEADERS.sseId]: '[{"topic":"t","partition":0,"timestamp":1}]',
        [HEADERS.receivedAt]: '1772120977000',
      }),
      context,
    );
    if (prepared.kind !== 'index') throw new Error(`expected an index action, got ${prepared.kind}`);
    expect(prepared.action.index).toBe('wikimedia-recentchange-2026.02.26');
    expect(prepared.action.id).toBe('id-1');
    const document = JSON.parse(Buffer.concat(prepared.action.source).toString());
    expect(document.title_text).toBe('File City Lake');
    expect(document.pipeline).toMatchObject({
      kafka_partition: 4,
      kafka_offset: '42',
      sse_id: '[{"topic":"t","partition":0,"timestamp":1}]',
      received_at: new Date(1772120977000).toISOString(),
      indexed_at: '2026-02-26T15:49:40.000Z',
    });
    expect(prepared.receivedAt).toBe(1772120977000);
    expect(prepared.eventTime).toBe(Date.parse('2026-02-26T15:49:36.569Z'));
  });

  it('picks the UTC day for legacy offsets, so the same event always lands in the same index', () => {
    const prepared = prepareMessage(message(event({ dt: '2018-03-07T00:30:00+01:00' })), context);
    expect(prepared.kind === 'index' && prepared.action.index).toBe('wikimedia-recentchange-2018.03.06');
  });

  it('skips canary events without indexing them', () => {
    expect(
      prepareMessage(message({ meta: { id: 'c', dt: '2026-02-26T15:49:36Z', domain: 'canary' } }), context),
    ).toEqual({
      kind: 'skip',
      offset: '42',
    });
  });

  it('dead-letters invalid input with the classifier reason', () => {
    expect(prepareMessage(message('{"meta": '), context)).toMatchObject({
      kind: 'dead',
      reason: 'invalid_json',
    });
    expect(prepareMessage(message(null), context)).toMatchObject({ kind: 'dead', reason: 'invalid_json' });
    expect(prepareMessage(message(event({}, { namespace: 'zero' })), context)).toMatchObject({
      kind: 'dead',
      reason: 'wrong_type',
    });
    expect(prepareMessage(message({ meta: { dt: '2026-02-26T15:49:36Z' } }), context)).toMatchObject({
      kind: 'dead',
      reason: 'missing_meta_id',
    });
  });
});

describe('parseReceivedAt', () => {
  it('reads ms since epoch or an ISO time, and nothing else', () => {
    expect(parseReceivedAt('1772120977000')).toBe(1772120977000);
    expect(parseReceivedAt('2026-02-26T15:49:37Z')).toBe(Date.parse('2026-02-26T15:49:37Z'));
    expect(parseReceivedAt('soon')).toBeUndefined();
    expect(parseReceivedAt(undefined)).toBeUndefined();
  });
});
