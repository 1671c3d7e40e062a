import { describe, expect, it } from 'vitest';
import { chunkMessages } from '../src/chunk-messages.ts';

const message = (bytes: number) => ({ value: Buffer.alloc(bytes) });

describe('chunkMessages', () => {
  it('splits by count, keeping order', () => {
    const messages = Array.from({ length: 5 }, () => message(1));
    const chunks = chunkMessages(messages, 2, 1000);
    expect(chunks.map((chunk) => chunk.length)).toEqual([2, 2, 1]);
    expect(chunks.flat()).toEqual(messages);
  });

  it('splits by bytes, and a message larger than the limit forms a chunk of its own', () => {
    const chunks = chunkMessages([message(40), message(40), message(500), message(10)], 100, 100);
    expect(chunks.map((chunk) => chunk.map((m) => m.value.byteLength))).toEqual([[40, 40], [500], [10]]);
  });

  it('returns no chunk for no message', () => {
    expect(chunkMessages([], 10, 10)).toEqual([]);
  });
});
