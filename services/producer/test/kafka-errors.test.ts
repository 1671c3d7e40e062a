import { describe, expect, it } from 'vitest';
import { tooLarge } from '../src/kafka-errors.ts';
import { quietRoutineRetries } from '../src/kafka-log.ts';

describe('Kafka error classification', () => {
  it('recognises a refused oversize batch anywhere in the cause chain', () => {
    const broker = Object.assign(
      new Error('The request included a message larger than the max message size'),
      {
        type: 'MESSAGE_TOO_LARGE',
      },
    );
    expect(tooLarge(new Error('the transaction failed', { cause: broker }))).toBe(true);
    expect(tooLarge(Object.assign(new Error('retries exhausted'), { originalError: broker }))).toBe(true);
    expect(tooLarge(new Error('Connection error: connect ECONNREFUSED'))).toBe(false);
  });

  it('logs routine retries and the limited-retries warning at debug level and everything else as it is', () => {
    const seen: number[] = [];
    const log = quietRoutineRetries(() => (entry) => seen.push(entry.level))(1);
    const entry = (message: string) => ({
      namespace: 'Producer',
      level: 1,
      label: 'ERROR',
      log: { message },
    });
    log(
      entry(
        'Failed to send messages: The producer attempted to update a transaction while another concurrent operation on the same transaction was ongoing',
      ),
    );
    log(entry('Limiting retries for the idempotent producer may invalidate EoS guarantees'));
    log(entry('Connection timeout'));
    expect(seen).toEqual([5, 5, 1]);
  });
});
