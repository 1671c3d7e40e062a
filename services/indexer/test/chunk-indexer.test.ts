import { createLogger, type RecentChangeEvent } from '@wikistream/shared';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { indexChunk } from '../src/chunk-indexer.ts';
import type { InboundMessage } from '../src/consumer-batch.ts';
import type { Failure } from '../src/dead-letter-sink.ts';
import { createIndexerMetrics } from '../src/metrics.ts';
import { fakeBatch, fakeElasticsearch, message, valid } from './support/fakes.ts';

// A step of preparing a document that throws for one event (marked by its title), as a bug would.
vi.mock('../src/document-source.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../src/document-source.ts')>();
  return {
    ...actual,
    documentSource: (...args: Parameters<typeof actual.documentSource>) => {
      if ((args[1] as RecentChangeEvent).title === 'breaks the serializer')
        throw new RangeError('Maximum call stack size exceeded');
      return actual.documentSource(...args);
    },
  };
});

const DAY_MS = 86_400_000;
/** The indexer's clock in these tests: shortly after the fake events' meta.dt. */
const NOW = Date.parse('2026-02-26T16:00:00Z');

function chunkIndexer(
  elasticsearch: ReturnType<typeof fakeElasticsearch>,
  options: {
    stopping?: AbortController;
    failDeadLetters?: boolean;
    now?: number;
    drift?: { record(schema: string | undefined, unknown: readonly string[] | undefined): void };
  } = {},
) {
  const letters: Failure[] = [];
  const metrics = createIndexerMetrics();
  const stopping = options.stopping ?? new AbortController();
  const run = (messages: InboundMessage[]) =>
    indexChunk(
      {
        batch: fakeBatch(messages).batch,
        messages,
        canContinue: () => !stopping.signal.aborted,
        waitSignal: stopping.signal,
      },
      {
        indexPrefix: 'p',
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
        abandon: new AbortController().signal,
        now: () => options.now ?? NOW,
        eventTimes: { maxAgeMs: 7 * DAY_MS, maxSkewMs: DAY_MS },
        ...(options.drift ? { drift: options.drift } : {}),
      },
    );
  return { run, letters, metrics };
}

describe('chunk indexer', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('indexes a chunk with one bulk and reports every message handled', async () => {
    const elasticsearch = fakeElasticsearch(() => ({}));
    const { run, metrics } = chunkIndexer(elasticsearch);
    const handled = await run([10, 11, 12].map((offset) => message(offset, valid(`e${offset}`))));
    expect(handled).toBe(3);
    expect(elasticsearch.calls).toBe(1);
    expect((await metrics.indexed.get()).values[0]?.value).toBe(3);
    expect((await metrics.consumed.get()).values[0]?.value).toBe(3);
  });

  it('dead-letters invalid and rejected messages, skips canaries, and handles the whole chunk', async () => {
    const elasticsearch = fakeElasticsearch(() => ({ big: 400 }));
    const { run, letters, metrics } = chunkIndexer(elasticsearch);
    const canary = JSON.stringify({ meta: { id: 'c', dt: '2026-02-26T15:49:36Z', domain: 'canary' } });
    const handled = await run([
      message(0, valid('a')),
      message(1, '{not json'),
      message(2, valid('big', { namespace: 2 ** 40 })),
      message(3, canary),
      message(4, valid('b', { bot: 'yes' })),
      message(5, valid('c')),
    ]);
    expect(handled).toBe(6);
    expect(letters.map((letter) => [letter.message.offset, letter.reason])).toEqual([
      ['1', 'invalid_json'],
      ['2', 'es_rejected'],
      ['4', 'wrong_type'],
    ]);
    expect(letters[1]?.detail).toContain('document_parsing_exception');
    expect((await metrics.skipped.get()).values[0]?.value).toBe(1);
  });

  it('keeps retrying while Elasticsearch is down and finishes once it answers', async () => {
    vi.useFakeTimers();
    const elasticsearch = fakeElasticsearch((_ids, call) => (call < 3 ? 'down' : {}));
    const { run, metrics } = chunkIndexer(elasticsearch);
    let handled: number | undefined;
    const running = run([message(0, valid('a')), message(1, valid('b'))]).then((count) => {
      handled = count;
    });
    await vi.advanceTimersByTimeAsync(1200);
    expect(handled).toBeUndefined();
    await vi.advanceTimersByTimeAsync(5000);
    await running;
    expect(handled).toBe(2);
    expect(elasticsearch.calls).toBe(4);
    expect((await metrics.retried.get()).values[0]?.value).toBe(6);
  });

  it('when its retries are cut short, counts only the messages handled before the first gap', async () => {
    vi.useFakeTimers();
    const stopping = new AbortController();
    // "b" keeps failing; "a" and "c" are accepted; "d" is invalid (dead-letter, but after the gap).
    const elasticsearch = fakeElasticsearch(() => ({ b: 503 }));
    const { run, letters } = chunkIndexer(elasticsearch, { stopping });
    const running = run([
      message(0, valid('a')),
      message(1, valid('b')),
      message(2, valid('c')),
      message(3, 'nope'),
    ]);
    await vi.advanceTimersByTimeAsync(2500);
    stopping.abort();
    expect(await running).toBe(1);
    expect(letters).toEqual([]);
  });

  it('throws when the dead letters cannot be written', async () => {
    const { run } = chunkIndexer(
      fakeElasticsearch(() => ({})),
      { failDeadLetters: true },
    );
    await expect(run([message(0, valid('a')), message(1, 'bad')])).rejects.toThrow('kafka down');
  });

  it('turns an error thrown while preparing one message into an unexpected_error dead letter and goes on', async () => {
    const elasticsearch = fakeElasticsearch(() => ({}));
    const { run, letters, metrics } = chunkIndexer(elasticsearch);
    const handled = await run([
      message(0, valid('a')),
      message(1, valid('poison', { title: 'breaks the serializer' })),
      message(2, valid('b')),
    ]);
    expect(handled).toBe(3);
    expect(letters.map((letter) => [letter.message.offset, letter.reason, letter.detail])).toEqual([
      ['1', 'unexpected_error', 'Maximum call stack size exceeded'],
    ]);
    expect((await metrics.indexed.get()).values[0]?.value).toBe(2);
    expect((await metrics.deadLettered.get()).values).toMatchObject([
      { labels: { reason: 'unexpected_error' }, value: 1 },
    ]);
  });

  it('judges meta.dt by its own clock: what lies outside the window is dead-lettered, not indexed', async () => {
    const elasticsearch = fakeElasticsearch(() => ({}));
    const { run, letters } = chunkIndexer(elasticsearch);
    const old = valid('old', { meta: { id: 'old', dt: '2026-02-19T15:59:59Z' } });
    const ahead = valid('ahead', { meta: { id: 'ahead', dt: '2026-02-27T16:00:01Z' } });
    const far = valid('far', { meta: { id: 'far', dt: '9999-12-31T23:59:59-23:59' } });
    expect(await run([message(0, old), message(1, valid('a')), message(2, ahead), message(3, far)])).toBe(4);
    expect(letters.map((letter) => [letter.message.offset, letter.reason])).toEqual([
      ['0', 'time_out_of_range'],
      ['2', 'time_out_of_range'],
      ['3', 'time_out_of_range'],
    ]);
    expect(letters[0]?.detail).toMatch(
      /2026-02-19T15:59:59Z.*2026-02-19T16:00:00\.000Z.*2026-02-27T16:00:00\.000Z/,
    );

    // The same event, ten months on: the clock moved, the event is now too old.
    const later = chunkIndexer(
      fakeElasticsearch(() => ({})),
      { now: Date.parse('2026-12-06T00:00:00Z') },
    );
    expect(await later.run([message(0, valid('a'))])).toBe(1);
    expect(later.letters.map((letter) => letter.reason)).toEqual(['time_out_of_range']);
  });

  it('counts the schema drift of the valid events it handled, and only of those', async () => {
    vi.useFakeTimers();
    const stopping = new AbortController();
    const seen: [string | undefined, readonly string[] | undefined][] = [];
    const drift = {
      record: (schema: string | undefined, unknown: readonly string[] | undefined) =>
        seen.push([schema, unknown]),
    };
    // "b" keeps failing, so the chunk stops after "a": "c" will be read again and counted then.
    const { run } = chunkIndexer(
      fakeElasticsearch(() => ({ b: 503 })),
      { stopping, drift },
    );
    const running = run([
      message(0, valid('a', { $schema: '/v2', performer: {}, is_temp: false })),
      message(1, 'invalid'),
      message(2, valid('b')),
      message(3, valid('c', { brand_new: 1 })),
    ]);
    await vi.advanceTimersByTimeAsync(2500);
    stopping.abort();
    expect(await running).toBe(2);
    expect(seen).toEqual([['/v2', ['performer', 'is_temp']]]);
  });

  it('handles the chunk when counting schema drift throws', async () => {
    const drift = {
      record() {
        throw new Error('a bug in the counter');
      },
    };
    const elasticsearch = fakeElasticsearch(() => ({}));
    const { run, metrics } = chunkIndexer(elasticsearch, { drift });
    expect(await run([message(0, valid('a', { new_field: 1 })), message(1, valid('b'))])).toBe(2);
    expect((await metrics.indexed.get()).values[0]?.value).toBe(2);
  });
});
