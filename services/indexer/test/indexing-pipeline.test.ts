import { createLogger } from '@wikistream/shared';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { InboundMessage } from '../src/consumer-batch.ts';
import type { BulkSender } from '../src/index-actions.ts';
import { createIndexingPipeline } from '../src/indexing-pipeline.ts';
import { createIndexerMetrics } from '../src/metrics.ts';
import type { PartitionOffset } from '../src/offset-committer.ts';
import { fakeBatch, fakeElasticsearch, heldElasticsearch, message, valid } from './support/fakes.ts';

function pipelineWith(
  sender: BulkSender,
  options: { chunkSize?: number; concurrency?: number; failDeadLetters?: boolean } = {},
) {
  const commits: string[] = [];
  const rewinds: string[] = [];
  const stopping = new AbortController();
  const metrics = createIndexerMetrics();
  const pipeline = createIndexingPipeline({
    topic: 't',
    indexPrefix: 'p',
    chunkSize: options.chunkSize ?? 2,
    chunkBytes: 1024 * 1024,
    concurrency: options.concurrency ?? 4,
    heartbeatIntervalMs: 500,
    backoff: { baseMs: 1000, maxMs: 1000 },
    sender,
    deadLetters: {
      async send(_source, failures) {
        if (options.failDeadLetters && failures.length > 0) throw new Error('kafka down');
      },
    },
    metrics,
    logger: createLogger({ name: 'test', level: 'silent' }),
    stopping: stopping.signal,
    abandon: new AbortController().signal,
    // The fake events' meta.dt lies within the accepted window of this clock.
    now: () => Date.parse('2026-02-26T16:00:00Z'),
    eventTimes: { maxAgeMs: 7 * 86_400_000, maxSkewMs: 86_400_000 },
    commit: async (offsets: readonly PartitionOffset[]) => {
      commits.push(...offsets.map((entry) => `${entry.partition}@${entry.offset}`));
    },
    rewind: (partition, offset) => rewinds.push(`${partition}@${offset}`),
  });
  return { pipeline, commits, rewinds, stopping, metrics };
}

const messages = (...offsets: number[]): InboundMessage[] =>
  offsets.map((offset) => message(offset, valid(`e${offset}`)));

describe('indexing pipeline', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('moves the fetch position past each chunk at once, and commits only once its bulk is answered', async () => {
    const elasticsearch = heldElasticsearch();
    const { pipeline, commits, metrics } = pipelineWith(elasticsearch);
    const { batch, log } = fakeBatch(messages(10, 11, 12));
    await pipeline.handle(batch);
    expect(log).toEqual(['resolve 11', 'resolve 12']);
    expect(elasticsearch.held.map((bulk) => bulk.ids)).toEqual([['e10', 'e11'], ['e12']]);
    expect(commits).toEqual([]);
    for (const bulk of elasticsearch.held) bulk.answer();
    await pipeline.drain();
    expect(commits.at(-1)).toBe('2@13');
    expect((await metrics.indexed.get()).values[0]?.value).toBe(3);
    expect((await metrics.lag.get()).values[0]?.value).toBe(0);
  });

  it('never commits past an earlier chunk of the partition that is still in flight', async () => {
    const elasticsearch = heldElasticsearch();
    const { pipeline, commits } = pipelineWith(elasticsearch);
    await pipeline.handle(fakeBatch(messages(0, 1, 2, 3)).batch);
    const [first, second] = elasticsearch.held;
    second?.answer();
    await vi.waitFor(() => expect(elasticsearch.held).toHaveLength(2));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(commits).toEqual([]);
    first?.answer();
    await pipeline.drain();
    expect(commits).toEqual(['2@4']);
  });

  it('waits for room with heartbeats while as many bulks as allowed are in flight', async () => {
    vi.useFakeTimers();
    const elasticsearch = heldElasticsearch();
    const { pipeline, commits } = pipelineWith(elasticsearch, { concurrency: 1 });
    const { batch, log } = fakeBatch(messages(0, 1, 2, 3));
    const handling = pipeline.handle(batch);
    await vi.advanceTimersByTimeAsync(1200);
    expect(elasticsearch.held).toHaveLength(1);
    expect(log).toEqual(['resolve 1', 'heartbeat', 'heartbeat']);
    elasticsearch.held[0]?.answer();
    await vi.advanceTimersByTimeAsync(0);
    await handling;
    expect(log.filter((entry) => entry.startsWith('resolve'))).toEqual(['resolve 1', 'resolve 3']);
    elasticsearch.held[1]?.answer();
    await pipeline.drain();
    expect(commits).toEqual(['2@2', '2@4']);
  });

  it('starts no new bulk above a lowered concurrency until those in flight are answered', async () => {
    vi.useFakeTimers();
    const elasticsearch = heldElasticsearch();
    const { pipeline, commits, metrics } = pipelineWith(elasticsearch, { concurrency: 4 });
    pipeline.setConcurrency(1);
    expect((await metrics.bulkConcurrency.get()).values[0]?.value).toBe(1);
    const handling = pipeline.handle(fakeBatch(messages(0, 1, 2, 3)).batch);
    await vi.advanceTimersByTimeAsync(1200);
    expect(elasticsearch.held).toHaveLength(1);
    pipeline.setConcurrency(2);
    elasticsearch.held[0]?.answer();
    await vi.advanceTimersByTimeAsync(0);
    await handling;
    expect(elasticsearch.held).toHaveLength(2);
    elasticsearch.held[1]?.answer();
    await pipeline.drain();
    expect(commits).toEqual(['2@2', '2@4']);
  });

  it('commits past the transaction markers that end a batch, and batches of markers only in turn', async () => {
    const { pipeline, commits } = pipelineWith(fakeElasticsearch(() => ({})));
    await pipeline.handle(fakeBatch(messages(5, 6), { lastOffset: '7' }).batch);
    await pipeline.drain();
    pipeline.markersOnly(2, '9', '10');
    await pipeline.drain();
    expect(commits).toEqual(['2@8', '2@10']);
  });

  it('reads a partition again from a chunk whose dead letters could not be written, committing nothing past it', async () => {
    const { pipeline, commits, rewinds } = pipelineWith(
      fakeElasticsearch(() => ({})),
      { failDeadLetters: true },
    );
    await pipeline.handle(
      fakeBatch([message(0, valid('a')), message(1, valid('b')), message(2, 'bad'), message(3, valid('c'))])
        .batch,
    );
    await pipeline.drain();
    expect(commits).toEqual(['2@2']);
    expect(rewinds).toEqual(['2@2']);
  });

  it('never commits work of a generation that ended while it was in flight', async () => {
    const elasticsearch = heldElasticsearch();
    const { pipeline, commits, rewinds } = pipelineWith(elasticsearch);
    await pipeline.handle(fakeBatch(messages(0, 1)).batch);
    pipeline.newGeneration();
    elasticsearch.held[0]?.answer();
    await pipeline.drain();
    expect(commits).toEqual([]);
    expect(rewinds).toEqual([]);
  });

  it('on stop starts no new chunk, lets the bulk in flight finish and commits it', async () => {
    const elasticsearch = heldElasticsearch();
    const { pipeline, commits, stopping } = pipelineWith(elasticsearch, { concurrency: 1 });
    const { batch, log } = fakeBatch(messages(0, 1, 2, 3));
    const handling = pipeline.handle(batch);
    await vi.waitFor(() => expect(elasticsearch.held).toHaveLength(1));
    stopping.abort();
    elasticsearch.held[0]?.answer();
    await handling;
    await pipeline.drain();
    expect(elasticsearch.held).toHaveLength(1);
    expect(log).toEqual(['resolve 1']);
    expect(commits).toEqual(['2@2']);
  });

  it('handles nothing from a stale batch', async () => {
    const elasticsearch = fakeElasticsearch(() => ({}));
    const { pipeline, commits } = pipelineWith(elasticsearch);
    const { batch, log } = fakeBatch(messages(0), { isStale: () => true });
    await pipeline.handle(batch);
    await pipeline.drain();
    expect(elasticsearch.calls).toBe(0);
    expect(log).toEqual([]);
    expect(commits).toEqual([]);
  });
});
