import { describe, expect, it } from 'vitest';
import { parseVariant, roundOrder, summarize } from '../../src/bench/compare.ts';

describe('indexer settings compared in alternating trials', () => {
  it('reads a variant as a name and the settings for the indexer processes', () => {
    expect(parseVariant('default')).toEqual({ name: 'default', env: {} });
    expect(parseVariant('big:BULK_CHUNK_SIZE=2500,KAFKA_MAX_BYTES_PER_PARTITION=4194304')).toEqual({
      name: 'big',
      env: { BULK_CHUNK_SIZE: '2500', KAFKA_MAX_BYTES_PER_PARTITION: '4194304' },
    });
    expect(parseVariant('opts:NODE_OPTIONS=--max-semi-space-size=16')).toEqual({
      name: 'opts',
      env: { NODE_OPTIONS: '--max-semi-space-size=16' },
    });
  });

  it('refuses a variant it cannot read, saying what it expected', () => {
    expect(() => parseVariant('')).toThrow(/NAME\[:VAR=value/);
    expect(() => parseVariant('x:bulk=3')).toThrow(/x: expected VAR=value, got "bulk=3"/);
    expect(() => parseVariant('a b')).toThrow(/got "a b"/);
  });

  it('reverses the order every other round', () => {
    expect(roundOrder(['a', 'b', 'c'], 1)).toEqual(['a', 'b', 'c']);
    expect(roundOrder(['a', 'b', 'c'], 2)).toEqual(['c', 'b', 'a']);
    expect(roundOrder(['a', 'b', 'c'], 3)).toEqual(['a', 'b', 'c']);
  });

  it('gives each variant the medians of its trials', () => {
    const trials = new Map([
      [
        'a',
        [
          { ratio: 0.9, elasticsearchCpuMsPerThousand: 38, cpuMsPerThousand: 21 },
          { ratio: 1.0, elasticsearchCpuMsPerThousand: 36, cpuMsPerThousand: 23 },
          { ratio: 0.8, elasticsearchCpuMsPerThousand: 40, cpuMsPerThousand: 22 },
        ],
      ],
      ['b', [{ ratio: 0.95, cpuMsPerThousand: 20 }]],
    ]);
    expect(summarize(trials)).toEqual([
      { name: 'a', ratio: 0.9, elasticsearch: 38, indexer: 22, trials: 3 },
      { name: 'b', ratio: 0.95, elasticsearch: undefined, indexer: 20, trials: 1 },
    ]);
  });
});
