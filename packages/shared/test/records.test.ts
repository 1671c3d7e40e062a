import { describe, expect, it } from 'vitest';
import {
  CURSOR_TOPIC,
  DeadLetterReason,
  decodeGap,
  encodeGap,
  fromDeadLetterMessage,
  GAPS_TOPIC,
  GapReason,
  RejectReason,
  toDeadLetterMessage,
  topicNames,
  topicSpecs,
} from '../src/index.ts';

describe('dead letters', () => {
  it('keep the original bytes and headers and carry the reason in headers', () => {
    const value = Buffer.from('{"not json');
    const message = toDeadLetterMessage({
      reason: DeadLetterReason.InvalidJson,
      detail: 'Unexpected end of JSON input',
      stage: 'indexer',
      value,
      key: Buffer.from('enwiki:X'),
      headers: { 'sse-id': '[1]', 'received-at': '123' },
      sourceTopic: 'wikimedia.recentchange',
      sourcePartition: 4,
      sourceOffset: '77',
      failedAt: 1000,
    });
    expect(message.value).toBe(value);
    expect(message.headers['dlq-reason']).toBe('invalid_json');
    const read = fromDeadLetterMessage({
      key: message.key,
      value: message.value,
      headers: Object.fromEntries(Object.entries(message.headers).map(([k, v]) => [k, Buffer.from(v)])),
    });
    expect(read).toEqual({
      reason: 'invalid_json',
      detail: 'Unexpected end of JSON input',
      stage: 'indexer',
      value,
      key: Buffer.from('enwiki:X'),
      headers: { 'sse-id': '[1]', 'received-at': '123' },
      sourceTopic: 'wikimedia.recentchange',
      sourcePartition: 4,
      sourceOffset: '77',
      failedAt: 1000,
    });
  });

  it('extend the contract reasons with the pipeline ones', () => {
    expect(DeadLetterReason.TooLarge).toBe(RejectReason.TooLarge);
    expect(DeadLetterReason.ElasticsearchRejected).toBe('es_rejected');
  });

  it('are not recognised in records without a reason header', () => {
    expect(fromDeadLetterMessage({ value: Buffer.from('{}'), headers: {} })).toBeUndefined();
  });

  it('cut very long details', () => {
    const message = toDeadLetterMessage({
      reason: 'too_large',
      detail: 'x'.repeat(10_000),
      stage: 'producer',
      value: Buffer.alloc(0),
      failedAt: 0,
    });
    expect(message.headers['dlq-detail']?.length).toBe(2000);
  });
});

describe('gap records', () => {
  it('round-trip and refuse what is not a gap', () => {
    const gap = {
      from: '2026-01-01T00:00:00Z',
      to: '2026-01-09T00:00:00Z',
      reason: GapReason.CursorExpired,
      detectedAt: '2026-01-09T00:00:01Z',
    };
    expect(decodeGap(encodeGap(gap))).toEqual(gap);
    expect(decodeGap(Buffer.from('{"from": 1}'))).toBeUndefined();
    expect(decodeGap(Buffer.from('nope'))).toBeUndefined();
    expect(decodeGap(null)).toBeUndefined();
  });
});

describe('topics', () => {
  it('derive the DLQ from the data topic and compact the cursor topic', () => {
    const names = topicNames('wikimedia.recentchange');
    expect(names).toEqual({
      data: 'wikimedia.recentchange',
      deadLetter: 'wikimedia.recentchange.dlq',
      cursor: CURSOR_TOPIC,
      gaps: GAPS_TOPIC,
    });
    const specs = topicSpecs(names, 6);
    expect(specs.find((s) => s.topic === names.data)?.numPartitions).toBe(6);
    expect(specs.find((s) => s.topic === names.cursor)?.configEntries).toContainEqual({
      name: 'cleanup.policy',
      value: 'compact',
    });
  });
});
