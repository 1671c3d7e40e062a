import { afterEach, describe, expect, it, vi } from 'vitest';
import type { IndexAction } from '../src/bulk-body.ts';
import { type BulkReply, indexActions } from '../src/index-actions.ts';

const actions: IndexAction[] = ['a', 'b', 'c'].map((id) => ({
  index: 'p-2026.02.26',
  id,
  source: [Buffer.from('{}')],
}));
const idsOf = (body: Buffer) =>
  body
    .toString()
    .split('\n')
    .filter((_, index) => index % 2 === 0)
    .filter(Boolean)
    .map((line) => JSON.parse(line).index._id as string);

/** A scripted bulk endpoint: each call answers with the next reply and records which ids it saw. */
function scriptedSender(replies: ((ids: string[]) => BulkReply)[]) {
  const calls: string[][] = [];
  return {
    calls,
    bulk: async (body: Buffer) => {
      const ids = idsOf(body);
      calls.push(ids);
      const reply = replies[calls.length - 1];
      if (!reply) throw new Error('unexpected bulk call');
      return reply(ids);
    },
  };
}
const statuses =
  (byId: Record<string, number>) =>
  (ids: string[]): BulkReply => ({
    kind: 'items',
    items: ids.map((id) => ({
      index: {
        status: byId[id] ?? 201,
        ...(byId[id] && byId[id] >= 400 ? { error: { type: 't', reason: id } } : {}),
      },
    })),
  });

const options = (sender: ReturnType<typeof scriptedSender>, canContinue = () => true) => ({
  sender,
  backoff: { baseMs: 1000, maxMs: 8000 },
  canContinue,
  waitSignal: new AbortController().signal,
  random: () => 1,
});

describe('indexActions', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('indexes everything with one request when the engine accepts every item', async () => {
    const sender = scriptedSender([statuses({})]);
    const results = await indexActions(actions, options(sender));
    expect(results.map((result) => result.state)).toEqual(['indexed', 'indexed', 'indexed']);
    expect(sender.calls).toEqual([['a', 'b', 'c']]);
  });

  it('retries only the items refused for transient reasons, after a back-off, and rejects 4xx items', async () => {
    vi.useFakeTimers();
    const sender = scriptedSender([statuses({ a: 429, b: 400, c: 503 }), statuses({ c: 503 }), statuses({})]);
    const running = indexActions(actions, options(sender));
    await vi.advanceTimersByTimeAsync(999);
    expect(sender.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(sender.calls[1]).toEqual(['a', 'c']);
    await vi.advanceTimersByTimeAsync(2000);
    const results = await running;
    expect(sender.calls[2]).toEqual(['c']);
    expect(results).toEqual([
      { state: 'indexed' },
      { state: 'rejected', status: 400, detail: 't: b' },
      { state: 'indexed' },
    ]);
  });

  it('retries every item when the whole request fails (connection refused, timeout)', async () => {
    vi.useFakeTimers();
    const sender = scriptedSender([
      () => ({ kind: 'failed', detail: 'ConnectionError: connect ECONNREFUSED' }),
      statuses({}),
    ]);
    const running = indexActions(actions, options(sender));
    await vi.advanceTimersByTimeAsync(1000);
    expect((await running).every((result) => result.state === 'indexed')).toBe(true);
    expect(sender.calls[1]).toEqual(['a', 'b', 'c']);
  });

  it('leaves items pending, without another attempt, once it may not continue', async () => {
    vi.useFakeTimers();
    let allowed = true;
    const sender = scriptedSender([statuses({ b: 503 })]);
    const running = indexActions(
      actions,
      options(sender, () => allowed),
    );
    await vi.advanceTimersByTimeAsync(0);
    allowed = false;
    await vi.advanceTimersByTimeAsync(10_000);
    expect((await running).map((result) => result.state)).toEqual(['indexed', 'pending', 'indexed']);
    expect(sender.calls).toHaveLength(1);
  });
});
