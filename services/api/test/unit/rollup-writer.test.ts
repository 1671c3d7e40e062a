import { Writable } from 'node:stream';
import { createLogger } from '@wikistream/shared';
import { waitFor } from '@wikistream/tools/testing';
import { afterEach, describe, expect, it } from 'vitest';
import type { SearchPort, SearchResponse } from '../../src/elasticsearch/search-types.ts';
import { createRollupWriter, type RollupWriter } from '../../src/rollup/rollup-writer.ts';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, logger: createLogger({ name: 'api', level: 'info', destination }) };
}

/** A search port whose searches fail `failing()` times, then answer with no cells. */
function flakySearch(failing: () => boolean): SearchPort {
  return {
    count: async () => 0,
    ping: async () => true,
    bulk: async () => undefined,
    close: async () => undefined,
    putIndexTemplate: async () => undefined,
    refresh: async () => undefined,
    listIndices: async () => [],
    deleteIndices: async () => undefined,
    async search<T>() {
      if (failing()) throw new Error('no_shard_available_action_exception');
      return { hits: { hits: [] }, aggregations: { cells: { buckets: [] } } } as unknown as SearchResponse<T>;
    },
  };
}

describe('the rollup writer', () => {
  let writer: RollupWriter | undefined;
  afterEach(() => writer?.close());

  it('logs one failed pass as info and a failure that persists as a warning, until a pass succeeds', async () => {
    let failing = 3;
    const { lines, logger } = capture();
    writer = createRollupWriter({
      search: flakySearch(() => failing-- > 0),
      prefix: 'unit',
      clock: () => Date.parse('2026-12-06T10:00:00Z'),
      logger,
      intervalMs: 20,
      backfillMs: 60_000,
      retentionMs: 86_400_000,
    });
    await writer.start();
    await waitFor(() => writer?.coverage() !== undefined, { timeoutMs: 5000 });
    const failed = lines.filter((line) => line.msg === 'rollup pass failed; retrying');
    expect(failed.map((line) => [line.level, line.failures])).toEqual([
      [30, 1],
      [40, 2],
      [40, 3],
    ]);
  });
});
