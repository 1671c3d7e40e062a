import { describe, expect, it } from 'vitest';
import { tooLarge } from '../src/kafka-errors.ts';

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
});
