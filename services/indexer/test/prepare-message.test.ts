import { HEADERS } from '@wikistream/shared';
import { describe, expect, it } from 'vitest';
import { parseReceivedAt, prepareMessage } from '../src/prepare-message.ts';

const DAY_MS = 86_400_000;
const indexedAt = Date.parse('2026-02-26T15:49:40Z');
/** Seven days back, one day ahead of the indexer's clock. */
const context = {
  partition: 4,
  indexPrefix: 'wikimedia-recentchange',
  indexedAt,
  eventTimes: { from: indexedAt - 7 * DAY_MS, until: indexedAt + DAY_MS },
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
    const prepared = prepareMessage(message(event({ dt: '2026-02-26T00:30:00+01:00' })), context);
    expect(prepared.kind === 'index' && prepared.action.index).toBe('wikimedia-recentchange-2026.02.25');
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

describe('prepareMessage and the accepted event times', () => {
  const at = (dt: string) => prepareMessage(message(event({ dt })), context);

  it('indexes meta.dt at both edges of the window', () => {
    expect(at(new Date(context.eventTimes.from).toISOString())).toMatchObject({ kind: 'index' });
    expect(at(new Date(context.eventTimes.until).toISOString())).toMatchObject({ kind: 'index' });
  });

  it('dead-letters a meta.dt older than the window, naming the time and the window', () => {
    const prepared = at('2026-02-19T15:49:39.999Z');
    expect(prepared).toMatchObject({ kind: 'dead', offset: '42', reason: 'time_out_of_range' });
    if (prepared.kind !== 'dead') return;
    expect(prepared.detail).toContain('2026-02-19T15:49:39.999Z');
    expect(prepared.detail).toContain('2026-02-19T15:49:40.000Z');
    expect(prepared.detail).toContain('2026-02-27T15:49:40.000Z');
  });

  it('dead-letters a meta.dt further ahead than the skew, and days no daily index name can hold', () => {
    for (const dt of [
      '2026-02-27T15:49:40.001Z',
      '9999-12-31T23:59:59-23:59',
      '0000-01-01T00:00:00+01:00',
      '1970-01-01T00:00:00Z',
    ]) {
      expect(at(dt)).toMatchObject({ kind: 'dead', reason: 'time_out_of_range' });
    }
  });

  it('skips a canary whatever its time: it is never indexed', () => {
    const canary = { meta: { id: 'c', dt: '2001-01-01T00:00:00Z', domain: 'canary' } };
    expect(prepareMessage(message(canary), context)).toEqual({ kind: 'skip', offset: '42' });
  });

  it('dead-letters an event nested too deep with the classifier reason', () => {
    // The field named like a derived one has the whole event serialized, which this depth overflows.
    const deep = `${JSON.stringify(event({})).slice(0, -1)},"pipeline":1,"x":${'['.repeat(50_000)}${']'.repeat(50_000)}}`;
    expect(prepareMessage(message(deep), context)).toMatchObject({ kind: 'dead', reason: 'too_deep' });
  });
});

describe('prepareMessage on event fields named like the ones it derives', () => {
  it('indexes the pipeline fields it derives, never the event fields of the same names', () => {
    const prepared = prepareMessage(
      message(
        event(
          {},
          { pipeline: 'upstream', 'pipeline.kafka_partition': 99, title: undefined, title_text: { a: 1 } },
        ),
      ),
      context,
    );
    if (prepared.kind !== 'index') throw new Error(`expected an index action, got ${prepared.kind}`);
    const document = JSON.parse(Buffer.concat(prepared.action.source).toString());
    expect(document.pipeline).toMatchObject({ kafka_partition: 4, kafka_offset: '42' });
    expect(document).not.toHaveProperty(['pipeline.kafka_partition']);
    expect(document).not.toHaveProperty('title_text');
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
