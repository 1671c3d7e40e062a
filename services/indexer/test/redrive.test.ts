import { fromDeadLetterMessage, HEADERS, toDeadLetterMessage } from '@wikistream/shared';
import { describe, expect, it } from 'vitest';
import { REDRIVEN_FROM_HEADER, redriveGroupId, redriveRecord } from '../src/redrive.ts';
import { parseRedriveArgs } from '../src/redrive-args.ts';

describe('dlq:redrive arguments', () => {
  it('reads --reason and --limit, ignoring the -- that pnpm passes on', () => {
    expect(parseRedriveArgs(['--', '--reason', 'es_rejected', '--limit', '5'])).toEqual({
      reason: 'es_rejected',
      limit: 5,
    });
    expect(parseRedriveArgs(['--reason=invalid_json'])).toEqual({ reason: 'invalid_json' });
    expect(parseRedriveArgs([])).toEqual({});
    expect(parseRedriveArgs(['--limit', '2', '--', '--reason', 'wrong_type'])).toEqual({
      limit: 2,
      reason: 'wrong_type',
    });
  });

  it('refuses unknown flags, missing values and a limit that is not a positive integer', () => {
    for (const argv of [['--force'], ['--reason'], ['--limit', '0'], ['--limit', 'all']]) {
      expect(() => parseRedriveArgs(argv)).toThrow(expect.objectContaining({ code: 'config_invalid' }));
    }
  });
});

describe('re-drive records', () => {
  it('publish the original key, bytes and headers again, without the dead-letter headers', () => {
    const message = toDeadLetterMessage({
      reason: 'es_rejected',
      detail: 'mapper_parsing_exception',
      stage: 'indexer',
      value: Buffer.from('{"meta":{}}'),
      key: Buffer.from('enwiki:Foo'),
      headers: { [HEADERS.sseId]: 'sse-1', [HEADERS.receivedAt]: '1' },
      sourceTopic: 'data',
      sourcePartition: 3,
      sourceOffset: '77',
      failedAt: 5,
    });
    const letter = fromDeadLetterMessage(message);
    if (!letter) throw new Error('not a dead letter');
    const record = redriveRecord(letter, { topic: 'data.dlq', partition: 0, offset: '12' });
    expect(record.value.toString()).toBe('{"meta":{}}');
    expect(record.key?.toString()).toBe('enwiki:Foo');
    expect(record.headers).toEqual({
      [HEADERS.sseId]: 'sse-1',
      [HEADERS.receivedAt]: '1',
      [REDRIVEN_FROM_HEADER]: 'data.dlq/0/12',
    });
  });

  it('keep one cursor group per reason, so one reason never skips the entries of another', () => {
    expect(redriveGroupId('wikistream-indexer', 'es_rejected')).toBe(
      'wikistream-indexer.redrive.es_rejected',
    );
    expect(redriveGroupId('wikistream-indexer', undefined)).toBe('wikistream-indexer.redrive.all');
  });
});
