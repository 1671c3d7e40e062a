import { createLogger } from '@wikistream/shared';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createOffsetCommitter, type PartitionOffset } from '../src/offset-committer.ts';

function committer(commit: (offsets: readonly PartitionOffset[]) => Promise<void>) {
  const committed: string[] = [];
  const abandon = new AbortController();
  const offsets = createOffsetCommitter({
    commit,
    onCommitted: (entries) => committed.push(...entries.map((entry) => `${entry.partition}@${entry.offset}`)),
    retryMs: 1000,
    abandon: abandon.signal,
    logger: createLogger({ name: 'test', level: 'silent' }),
  });
  return { offsets, committed, abandon };
}

describe('offset committer', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends one request at a time and merges what arrives meanwhile, newest offset per partition', async () => {
    const requests: string[][] = [];
    let release: () => void = () => {};
    const { offsets, committed } = committer(async (entries) => {
      requests.push(entries.map((entry) => `${entry.partition}@${entry.offset}`));
      if (requests.length === 1) await new Promise<void>((resolve) => (release = resolve));
    });
    offsets.commit(0, '10', '100');
    offsets.commit(0, '20', '100');
    offsets.commit(1, '5', '100');
    offsets.commit(0, '30', '100');
    release();
    await offsets.idle();
    expect(requests).toEqual([['0@10'], ['0@30', '1@5']]);
    expect(committed).toEqual(['0@10', '0@30', '1@5']);
  });

  it('tries a refused commit again, unless a new generation began', async () => {
    vi.useFakeTimers();
    let refuse = true;
    const requests: string[] = [];
    const { offsets, committed } = committer(async (entries) => {
      requests.push(entries.map((entry) => `${entry.partition}@${entry.offset}`).join());
      if (refuse) throw new Error('REBALANCE_IN_PROGRESS');
    });
    offsets.commit(0, '10', '100');
    await vi.advanceTimersByTimeAsync(0);
    refuse = false;
    await vi.advanceTimersByTimeAsync(1000);
    await offsets.idle();
    expect(committed).toEqual(['0@10']);

    refuse = true;
    offsets.commit(1, '7', '100');
    await vi.advanceTimersByTimeAsync(0);
    offsets.newGeneration();
    refuse = false;
    await vi.advanceTimersByTimeAsync(5000);
    await offsets.idle();
    expect(requests).toEqual(['0@10', '0@10', '1@7']);
    expect(committed).toEqual(['0@10']);
  });

  it('gives up on what is left when abandoned', async () => {
    vi.useFakeTimers();
    const { offsets, committed, abandon } = committer(async () => {
      throw new Error('broker down');
    });
    offsets.commit(0, '10', '100');
    await vi.advanceTimersByTimeAsync(2500);
    abandon.abort();
    await offsets.idle();
    expect(committed).toEqual([]);
  });
});
