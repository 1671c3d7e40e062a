import { describe, expect, it } from 'vitest';
import { parseComposePs } from '../../src/docker/compose-project.ts';

describe('parseComposePs', () => {
  const a = { ID: 'a1', Name: 'p-kafka-1', Service: 'kafka' };
  const b = { ID: 'b2', Name: 'p-api-1', Service: 'api' };

  it('reads the one-object-per-line output of Compose 2.21 and later', () => {
    expect(parseComposePs(`${JSON.stringify(a)}\n${JSON.stringify(b)}\n`)).toEqual([a, b]);
  });

  it('reads the array output of older Compose v2, and nothing', () => {
    expect(parseComposePs(JSON.stringify([a, b]))).toEqual([a, b]);
    expect(parseComposePs('\n')).toEqual([]);
  });
});
