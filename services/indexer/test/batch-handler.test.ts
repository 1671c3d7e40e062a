import { createLogger } from '@wikistream/shared';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createBatchHandler } from '../src/batch-handler.ts';
import type { ConsumerBatch, InboundMessage } from '../src/consumer-batch.ts';
import type { Failure } from '../src/dead-letter-sink.ts';
import type { BulkReply } from '../src/index-actions.ts';
import { createIndexerMetrics } from '../src/metrics.ts';

const valid = (id: string, fields: Record<string, unknown> = {}) =>
  JSON.stringify({
    meta: { id, dt: '2026-02-26T15:49:36Z', domain: 'en.wikipedia.org' },
    type: 'edit',
    ...fields,
  });
const message = (offset: number, value: string): InboundMessage => ({
  offset: String(offset),
  key: null,
  value: Buffer.from(value),
  headers: {},
});

/** A batch whose controls record what the handler did with them. */
function fakeBatch(messages: InboundMessage[], overrides: Partial<ConsumerBatch> = {}) {
  const log: string[] = [];
  const batch: ConsumerBatch = {
    topic: 't',
    partition: 2,
    highWatermark: String(Number(messages.at(-1)?.offset ?? 0) + 1),
    lastOffset: messages.at(-1)?.offset ?? '0',
    messages,
    resolveOffset: (offset) => log.push(`resolve ${offset}`),
    commit: async () => {
      log.push('commit');
    },
    heartbeat: async () => {
      log.push('heartbeat');
    },
    isRunning: () => true,
    isStale: () => false,
    ...overrides,
  };
  return { batch, log };
}

/** Answers each bulk request with a status per id (201 unless listed), or a whole-request failure. */
function fakeElasticsearch(answer: (ids: string[], call: number) => Record<string, number> | 'down') {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    async bulk(body: Buffer): Promise<BulkReply> {
      const ids = body
        .toString()
        .split('\n')
        .filter((line, index) => index % 2 === 0 && line !== '')
        .map((line) => JSON.parse(line).index._id as string);
      const statuses = answer(ids, calls++);
      if (statuses === 'down') return { kind: 'failed', detail: 'ConnectionError: ECONNREFUSED' };
      return {
        kind: 'items',
        items: ids.map((id) => ({
          index: {
            status: statuses[id] ?? 201,
            error: statuses[id] ? { type: 'document_parsing_exception', reason: id } : undefined,
          },
        })),
      };
    },
  };
}

function handlerWith(
  elasticsearch: ReturnType<typeof fakeElasticsearch>,
  options: { chunkSize?: number; stopping?: AbortController; failDeadLetters?: boolean } = {},
) {
  const letters: Failure[] = [];
  const metrics = createIndexerMetrics();
  const handler = createBatchHandler({
    indexPrefix: 'p',
    chunkSize: options.chunkSize ?? 100,
    chunkBytes: 1024 * 1024,
    heartbeatIntervalMs: 500,
    backoff: { baseMs: 1000, maxMs: 1000 },
    sender: elasticsearch,
    deadLetters: {
      async send(_source, failures) {
        if (options.failDeadLetters && failures.length > 0) throw new Error('kafka down');
        letters.push(...failures);
      },
    },
    metrics,
    logger: createLogger({ name: 'test', level: 'silent' }),
    stopping: (options.stopping ?? new AbortController()).signal,
    abandon: new AbortController().signal,
  });
  return { handler, letters, metrics };
}

describe('batch handler', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('indexes each chunk with one bulk, then resolves, commits and heartbeats chunk by chunk', async () => {
    const elasticsearch = fakeElasticsearch(() => ({}));
    const { handler, metrics } = handlerWith(elasticsearch, { chunkSize: 2 });
    const { batch, log } = fakeBatch([10, 11, 12].map((offset) => message(offset, valid(`e${offset}`))));
    await handler(batch);
    expect(elasticsearch.calls).toBe(2);
    expect(log).toEqual(['resolve 11', 'commit', 'heartbeat', 'resolve 12', 'commit', 'heartbeat']);
    expect((await metrics.indexed.get()).values[0]?.value).toBe(3);
  });

  it('dead-letters invalid and rejected messages, skips canaries, and resolves the whole chunk', async () => {
    const elasticsearch = fakeElasticsearch(() => ({ big: 400 }));
    const { handler, letters } = handlerWith(elasticsearch);
    const canary = JSON.stringify({ meta: { id: 'c', dt: '2026-02-26T15:49:36Z', domain: 'canary' } });
    const { batch, log } = fakeBatch([
      message(0, valid('a')),
      message(1, '{not json'),
      message(2, valid('big', { namespace: 2 ** 40 })),
      message(3, canary),
      message(4, valid('b', { bot: 'yes' })),
      message(5, valid('c')),
    ]);
    await handler(batch);
    expect(letters.map((letter) => [letter.message.offset, letter.reason])).toEqual([
      ['1', 'invalid_json'],
      ['2', 'es_rejected'],
      ['4', 'wrong_type'],
    ]);
    expect(letters[1]?.detail).toContain('document_parsing_exception');
    expect(log.slice(0, 2)).toEqual(['resolve 5', 'commit']);
  });

  it('keeps retrying while Elasticsearch is down, heartbeating, and commits once it answers', async () => {
    vi.useFakeTimers();
    const elasticsearch = fakeElasticsearch((_ids, call) => (call < 3 ? 'down' : {}));
    const { handler, metrics } = handlerWith(elasticsearch);
    const { batch, log } = fakeBatch([message(0, valid('a')), message(1, valid('b'))]);
    const running = handler(batch);
    await vi.advanceTimersByTimeAsync(1200);
    expect(log.filter((entry) => entry.startsWith('resolve'))).toEqual([]);
    expect(log).toContain('heartbeat');
    await vi.advanceTimersByTimeAsync(5000);
    await running;
    expect(elasticsearch.calls).toBe(4);
    expect(log).toContain('resolve 1');
    expect((await metrics.retried.get()).values[0]?.value).toBe(6);
  });

  it('on stop during an outage resolves only up to the last message handled without a gap', async () => {
    vi.useFakeTimers();
    const stopping = new AbortController();
    // "b" keeps failing; "a" and "c" are accepted; "d" is invalid (dead-letter, but after the gap).
    const elasticsearch = fakeElasticsearch(() => ({ b: 503 }));
    const { handler, letters } = handlerWith(elasticsearch, { stopping });
    const { batch, log } = fakeBatch([
      message(0, valid('a')),
      message(1, valid('b')),
      message(2, valid('c')),
      message(3, 'nope'),
    ]);
    const running = handler(batch);
    await vi.advanceTimersByTimeAsync(2500);
    stopping.abort();
    await vi.advanceTimersByTimeAsync(0);
    await running;
    expect(log.filter((entry) => entry.startsWith('resolve'))).toEqual(['resolve 0']);
    expect(letters).toEqual([]);
  });

  it('stops retrying and rethrows when a heartbeat reports a rebalance, resolving nothing unindexed', async () => {
    vi.useFakeTimers();
    const rebalance = Object.assign(new Error('The group is rebalancing'), { type: 'REBALANCE_IN_PROGRESS' });
    const elasticsearch = fakeElasticsearch(() => 'down');
    const { handler } = handlerWith(elasticsearch);
    const { batch, log } = fakeBatch([message(0, valid('a'))], {
      heartbeat: async () => {
        throw rebalance;
      },
    });
    const running = handler(batch);
    const outcome = expect(running).rejects.toBe(rebalance);
    await vi.advanceTimersByTimeAsync(1500);
    await outcome;
    expect(log).toEqual([]);
    const callsAtStop = elasticsearch.calls;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(elasticsearch.calls).toBe(callsAtStop);
  });

  it('does not resolve dead-lettered messages when the DLQ write fails', async () => {
    const { handler } = handlerWith(
      fakeElasticsearch(() => ({})),
      { failDeadLetters: true },
    );
    const { batch, log } = fakeBatch([message(0, valid('a')), message(1, 'bad')]);
    await expect(handler(batch)).rejects.toThrow('kafka down');
    expect(log).toEqual([]);
  });

  it('handles nothing from a stale batch', async () => {
    const elasticsearch = fakeElasticsearch(() => ({}));
    const { handler } = handlerWith(elasticsearch);
    const { batch, log } = fakeBatch([message(0, valid('a'))], { isStale: () => true });
    await handler(batch);
    expect(elasticsearch.calls).toBe(0);
    expect(log).toEqual([]);
  });
});
