import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, kafkaLogCreator, kafkaLogLevel } from '../src/index.ts';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      callback();
    },
  });
  return { lines, destination };
}

describe('createLogger', () => {
  it('writes JSON lines with the name, the level and the error under err', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ name: 'producer', level: 'info', destination });
    logger.info({ topic: 't', count: 3 }, 'batch produced');
    logger.error({ err: new Error('broken') }, 'failed');
    logger.debug('not written at info');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      name: 'producer',
      level: 30,
      topic: 't',
      count: 3,
      msg: 'batch produced',
    });
    expect(lines[1]).toMatchObject({ level: 50, msg: 'failed', err: { message: 'broken', type: 'Error' } });
  });
});

describe('kafkaLogCreator', () => {
  it('maps kafkajs levels onto pino and keeps the structured fields', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ name: 'indexer', level: 'debug', destination });
    const log = kafkaLogCreator(logger)(0);
    const entry = (level: number, message: string) => ({
      namespace: 'Consumer',
      level,
      label: 'X',
      log: { message, timestamp: 'now', logger: 'kafkajs', groupId: 'g' },
    });
    log(entry(1, 'error'));
    log(entry(2, 'warn'));
    log(entry(4, 'info'));
    log(entry(5, 'debug'));
    log(entry(0, 'nothing'));
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      [50, 'error'],
      [40, 'warn'],
      [30, 'info'],
      [20, 'debug'],
    ]);
    expect(lines[0]).toMatchObject({ component: 'kafkajs', namespace: 'Consumer', groupId: 'g' });
    expect(lines[0]).not.toHaveProperty('timestamp');
  });
});

describe('kafkaLogLevel', () => {
  it('writes what kafkajs retries by itself and the steps of a rebalance below warn', () => {
    const response = (error: string) =>
      kafkaLogLevel(1, 'Response FindCoordinator(key: 10, version: 2)', error);
    expect(response("The coordinator is loading and hence can't process requests for this group")).toBe(
      'debug',
    );
    expect(response('The group coordinator is not available')).toBe('debug');
    expect(response('This is not the correct coordinator for this group')).toBe('debug');
    expect(
      kafkaLogLevel(1, 'Response CreateTopics(key: 19, version: 3)', 'Topic with this name already exists'),
    ).toBe('debug');
    expect(
      kafkaLogLevel(
        1,
        'Failed to send messages: The producer attempted to update a transaction while another concurrent operation on the same transaction was ongoing',
      ),
    ).toBe('debug');
    expect(
      kafkaLogLevel(2, 'Limiting retries for the idempotent producer may invalidate EoS guarantees'),
    ).toBe('debug');
    expect(kafkaLogLevel(2, 'The group is rebalancing, re-joining')).toBe('info');
    expect(kafkaLogLevel(1, 'Response CreateTopics(key: 19, version: 3)', 'Topic creation errors')).toBe(
      'debug',
    );
    // A consumer that crashed on such an answer restarts itself: a warning, not an error.
    expect(kafkaLogLevel(1, 'Crash: KafkaJSProtocolError: The group coordinator is not available')).toBe(
      'warn',
    );
    expect(kafkaLogLevel(1, 'Restarting the consumer in 300ms')).toBe('warn');
    expect(kafkaLogLevel(1, 'The coordinator is not aware of this member, re-joining the group')).toBe(
      'info',
    );
  });

  it('keeps real failures at their level, and levels below warn as they are', () => {
    expect(kafkaLogLevel(1, 'Connection error: connect ECONNREFUSED 127.0.0.1:9092')).toBe('error');
    expect(kafkaLogLevel(1, 'Crash: KafkaJSNumberOfRetriesExceeded: Connection timeout')).toBe('error');
    expect(
      kafkaLogLevel(
        1,
        'Response Produce(key: 0, version: 7)',
        'The request included a message larger than the max message size',
      ),
    ).toBe('error');
    expect(kafkaLogLevel(2, 'Consumer is not aware of all assigned partitions, refreshing metadata')).toBe(
      'warn',
    );
    expect(kafkaLogLevel(4, 'Consumer has joined the group')).toBe('info');
    expect(kafkaLogLevel(0, 'nothing')).toBeUndefined();
  });
});
