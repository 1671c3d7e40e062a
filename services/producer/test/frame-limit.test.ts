import { describe, expect, it } from 'vitest';
import { createFrameLimiter } from '../src/frame-limit.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (chunks: Uint8Array[]) => chunks.map((chunk) => new TextDecoder().decode(chunk)).join('');

/** Feeds `input` in chunks of `size` bytes; returns what passes and how many frames were cut. */
function limit(input: string, maxBytes: number, size = input.length) {
  let cuts = 0;
  const limiter = createFrameLimiter(maxBytes, () => cuts++);
  const all = bytes(input);
  const out: Uint8Array[] = [];
  for (let at = 0; at < all.length; at += size) out.push(limiter(all.subarray(at, at + size)));
  return { out: text(out), cuts };
}

describe('the SSE frame limiter', () => {
  it('passes frames within the limit unchanged, as the same chunk', () => {
    const stream = 'event: message\nid: 1\ndata: {"a":1}\n\n:ok\n\ndata: {"b":2}\n\n';
    const limiter = createFrameLimiter(64, () => undefined);
    const chunk = bytes(stream);
    expect(limiter(chunk)).toBe(chunk);
    expect(limit(stream, 32, 3)).toEqual({ out: stream, cuts: 0 });
  });

  it('cuts a frame at the limit and drops the rest of its lines, keeping the line ends', () => {
    const stream = `id: 7\ndata: ${'x'.repeat(100)}\nevent: extra\n\ndata: next\n\n`;
    // 5 bytes of id, then 15 of the data line: the parser gets `data: xxxxxxxxx`, then an empty
    // line (which hands the cut frame on), then the frame's own blank line, then the next frame.
    const expected = `id: 7\ndata: xxxxxxxxx\n\n\ndata: next\n\n`;
    expect(limit(stream, 20)).toEqual({ out: expected, cuts: 1 });
    for (const size of [1, 2, 7, 13]) expect(limit(stream, 20, size)).toEqual({ out: expected, cuts: 1 });
  });

  it('knows CR and CRLF line ends, also split between chunks', () => {
    const crlf = `data: ${'y'.repeat(50)}\r\n\r\ndata: ok\r\n\r\n`;
    expect(limit(crlf, 10, 1)).toEqual({ out: 'data: yyyy\r\n\r\ndata: ok\r\n\r\n', cuts: 1 });
    const cr = `data: ${'z'.repeat(50)}\r\rdata: ok\r\r`;
    expect(limit(cr, 10, 4)).toEqual({ out: 'data: zzzz\r\rdata: ok\r\r', cuts: 1 });
  });

  it('counts a whole frame, not one line: many data lines add up', () => {
    const stream = `${'data: 12345\n'.repeat(10)}\ndata: ok\n\n`;
    const { out, cuts } = limit(stream, 30, 5);
    expect(cuts).toBe(1);
    expect(out).toBe(`data: 12345\ndata: 12345\ndata: 12\n${'\n'.repeat(7)}\ndata: ok\n\n`);
  });
});
