import { setTimeout as sleep } from 'node:timers/promises';
import type { ItemResult, ReindexStore } from './store.ts';

/** One document to write: its index, `_id` and source bytes (fragments, joined once). */
export interface WriteAction {
  readonly index: string;
  readonly id: string;
  readonly source: string | readonly Buffer[];
}

export interface Rejection {
  readonly index: string;
  readonly id: string;
  readonly status: number;
  readonly reason: string;
}

export interface RetryPolicy {
  readonly baseMs: number;
  readonly maxMs: number;
  /** Gives up (throws) after this many rounds of retries of the same items. */
  readonly attempts: number;
}

export const DEFAULT_RETRY: RetryPolicy = { baseMs: 200, maxMs: 5_000, attempts: 30 };

function body(actions: readonly WriteAction[]): string {
  const parts: string[] = [];
  for (const action of actions) {
    parts.push(JSON.stringify({ index: { _index: action.index, _id: action.id } }), '\n');
    if (typeof action.source === 'string') parts.push(action.source);
    else for (const fragment of action.source) parts.push(fragment.toString('utf8'));
    parts.push('\n');
  }
  return parts.join('');
}

/**
 * Writes every action (`_id` = meta.id, so writing one twice is harmless). Items the engine is too
 * busy for (429, 5xx, no answer) are sent again with back-off; any other refusal is returned, for the
 * caller to count: such a document would have been dead-lettered by the indexer too.
 */
export async function writeAll(
  store: Pick<ReindexStore, 'bulk'>,
  actions: readonly WriteAction[],
  policy: RetryPolicy = DEFAULT_RETRY,
): Promise<Rejection[]> {
  const rejected: Rejection[] = [];
  let pending = actions;
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt > 0) {
      if (attempt > policy.attempts)
        throw new Error(`${pending.length} documents still refused after ${policy.attempts} retries`);
      await sleep(Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1)));
    }
    const results: ItemResult[] = await store.bulk(body(pending), pending.length);
    const again: WriteAction[] = [];
    results.forEach((result, i) => {
      const action = pending[i] as WriteAction;
      if (result.kind === 'retry') again.push(action);
      else if (result.kind === 'rejected')
        rejected.push({ index: action.index, id: action.id, status: result.status, reason: result.reason });
    });
    pending = again;
  }
  return rejected;
}
