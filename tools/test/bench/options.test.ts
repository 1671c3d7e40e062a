import { describe, expect, it } from 'vitest';
import { composePhases, integerOption, serviceSetting } from '../../src/bench/options.ts';

describe('benchmark command-line values', () => {
  it('reads a service setting, and says where one is malformed', () => {
    expect(serviceSetting('BULK_CONCURRENCY=4', '--env')).toEqual(['BULK_CONCURRENCY', '4']);
    expect(serviceSetting('NODE_OPTIONS=--a=b', '--env')).toEqual(['NODE_OPTIONS', '--a=b']);
    expect(() => serviceSetting('bulk=4', '--env')).toThrow('--env: expected VAR=value, got "bulk=4"');
  });

  it('reads an integer of at least the least, refusing others', () => {
    expect(integerOption('rounds', '5', 1)).toBe(5);
    expect(integerOption('warmup', '0', 0)).toBe(0);
    expect(() => integerOption('rounds', '0', 1)).toThrow('--rounds expects an integer ≥ 1, got "0"');
    expect(() => integerOption('events', '1.5', 1)).toThrow(/--events expects an integer/);
  });
});

describe('composePhases', () => {
  it('reads rates with their indexer counts', () => {
    expect(composePhases('30:1, 3000:3')).toEqual([
      { rate: 30, indexers: 1 },
      { rate: 3000, indexers: 3 },
    ]);
  });

  it('names what it cannot read', () => {
    expect(() => composePhases('30x1')).toThrow(/--compose-phases expects RATE:INDEXERS.*"30x1"/);
    expect(() => composePhases('30:0')).toThrow(/"30:0"/);
  });
});
