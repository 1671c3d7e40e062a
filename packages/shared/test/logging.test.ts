import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, kafkaLogCreator } from '../src/index.ts';

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
