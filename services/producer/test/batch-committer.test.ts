import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCommitter } from '../src/batch-committer.ts';
import { createIngest, type SealedBatch } from '../src/ingest.ts';

const ingestWithBatch = (batchSize: number) =>
  createIngest(
    {
      window: { overlapMs: 1000, maxIds: 1000 },
      overlapMs: 1000,
      gapThresholdMs: 60_000,
      classify: { producerVersion: '1', compressed: true },
      batchSize,
      batchMaxBytes: 1e9,
      owner: { stream: 'http://upstream.test/v2/stream/recentchange', topic: 'test-topic' },
    },
    {},
  );

let counter = 0;
const frame = () => {
  counter++;
  return {
    data: JSON.stringify({ meta: { id: `e${counter}`, dt: '2024-01-01T00:00:00Z' }, wiki: 'w', title: 't' }),
    id: `[{"topic":"eqiad.mediawiki.recentchange","partition":0,"timestamp":${1000 + counter}}]`,
    receivedAt: 0,
  };
};

function setup(batchSize: number, batchMaxMs = 250) {
  const ingest = ingestWithBatch(batchSize);
  const commits: { batch: SealedBatch; finish: () => void; fail: (error: Error) => void }[] = [];
  const events: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const committer = createCommitter({
    ingest,
    batchMaxMs,
    commit: (batch) =>
      new Promise<void>((resolve, reject) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        const done = () => {
          inFlight--;
        };
        const finish = () => {
          done();
          resolve();
        };
        const fail = (error: Error) => {
          done();
          reject(error);
        };
        commits.push({ batch, finish, fail });
      }),
    pause: () => events.push('pause'),
    resume: () => events.push('resume'),
  });
  const feed = (n: number) => {
    for (let i = 0; i < n; i++) {
      ingest.accept(frame());
      committer.onAccepted();
    }
  };
  return { ingest, committer, commits, events, feed, maxInFlight: () => maxInFlight };
}

describe('the batch committer', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('commits a batch as soon as it is full', () => {
    const { commits, feed } = setup(3);
    feed(3);
    expect(commits.map((c) => c.batch.data.length)).toEqual([3]);
  });

  it('commits a partial batch BATCH_MAX_MS after its first event', async () => {
    const { commits, feed } = setup(100, 250);
    feed(2);
    await vi.advanceTimersByTimeAsync(249);
    expect(commits).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(commits.map((c) => c.batch.data.length)).toEqual([2]);
  });

  it('keeps one transaction in flight and pauses reading when the next batch is full before it ends', async () => {
    const { commits, events, feed, maxInFlight } = setup(3);
    feed(3);
    feed(3);
    expect(commits).toHaveLength(1);
    expect(events).toEqual(['pause']);
    commits[0]?.finish();
    await vi.advanceTimersByTimeAsync(0);
    expect(commits).toHaveLength(2);
    expect(events).toEqual(['pause', 'resume']);
    expect(maxInFlight()).toBe(1);
    expect(commits[1]?.batch.cursor?.sseId).toContain(`"timestamp":${1000 + counter}`);
  });

  it('commits what is pending when drained', async () => {
    const { commits, committer, feed } = setup(100);
    feed(4);
    const drained = committer.drain();
    await vi.advanceTimersByTimeAsync(0);
    expect(commits.map((c) => c.batch.data.length)).toEqual([4]);
    commits[0]?.finish();
    await drained;
  });

  it('reports the first failed commit and commits nothing more', async () => {
    const { commits, committer, feed } = setup(2);
    feed(2);
    commits[0]?.fail(new Error('broker gone'));
    await expect(committer.failed).rejects.toThrow('broker gone');
    feed(4);
    await vi.advanceTimersByTimeAsync(1000);
    expect(commits).toHaveLength(1);
    await expect(committer.drain()).rejects.toThrow('broker gone');
  });
});
