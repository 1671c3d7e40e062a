import { describe, expect, it } from 'vitest';
import { handledPrefixLength, resolvableOffset } from '../src/offsets.ts';

const states = (pattern: string, first = 100) =>
  [...pattern].map((flag, index) => ({ offset: String(first + index), done: flag === 'x' }));

describe('contiguous offset resolution', () => {
  it('resolves through the last message when every message is handled', () => {
    expect(resolvableOffset(states('xxxx'))).toBe('103');
  });

  it('stops before the first unhandled message even when later ones are handled', () => {
    expect(resolvableOffset(states('xx.x'))).toBe('101');
    expect(handledPrefixLength(states('xx.x'))).toBe(2);
  });

  it('resolves nothing when the first message is not handled', () => {
    expect(resolvableOffset(states('.xxx'))).toBeUndefined();
    expect(resolvableOffset([])).toBeUndefined();
  });

  it('keeps 64-bit offsets exact', () => {
    expect(resolvableOffset([{ offset: '9007199254740993', done: true }])).toBe('9007199254740993');
  });
});
