import { type BackoffOptions, backoffDelay, sleep } from './backoff.ts';
import { bulkBody, type IndexAction } from './bulk-body.ts';
import { type BulkResponseItem, classifyBulkItems, type ItemOutcome } from './bulk-response.ts';

/** What one `_bulk` request came back with: the items, or a failure of the whole request. */
export type BulkReply =
  | { readonly kind: 'items'; readonly items: readonly Record<string, BulkResponseItem | undefined>[] }
  | { readonly kind: 'failed'; readonly status?: number | undefined; readonly detail: string };

export interface BulkSender {
  /** Never throws: connection errors, timeouts and error answers come back as `failed`. */
  bulk(body: Buffer, signal?: AbortSignal): Promise<BulkReply>;
}

export type ActionResult =
  | { readonly state: 'indexed' }
  | { readonly state: 'rejected'; readonly status: number; readonly detail: string }
  /** Not known to be indexed: the loop stopped (shutdown, rebalance) before the engine accepted it. */
  | { readonly state: 'pending' };

export interface IndexActionsObserver {
  bulkDone(seconds: number, outcome: 'items' | 'failed'): void;
  retrying(count: number, attempt: number, detail: string, delayMs: number): void;
}

export interface IndexActionsOptions {
  readonly sender: BulkSender;
  readonly backoff: BackoffOptions;
  /** Checked before every attempt: false once the consumer stops, the batch is stale or the group rebalances. */
  readonly canContinue: () => boolean;
  /** Cuts a back-off wait short (shutdown, lost group membership). */
  readonly waitSignal: AbortSignal;
  /** Abandons the request in flight (the shutdown deadline). */
  readonly requestSignal?: AbortSignal;
  readonly observer?: IndexActionsObserver;
  readonly random?: () => number;
}

const failedOutcomes = (count: number, status: number | undefined, detail: string): ItemOutcome[] =>
  Array.from({ length: count }, () => ({ kind: 'retry', status: status ?? 0, detail }) as const);

/**
 * Indexes the actions with one `_bulk` request, then retries only the items that were refused for
 * transient reasons (429, 5xx, timeouts, connection errors) with capped back-off, for as long as
 * `canContinue` allows. Every item ends indexed, rejected (a 4xx: for the dead-letter queue) or,
 * when the loop had to stop, pending.
 */
export async function indexActions(
  actions: readonly IndexAction[],
  options: IndexActionsOptions,
): Promise<ActionResult[]> {
  const results: ActionResult[] = actions.map(() => ({ state: 'pending' }));
  let pending = actions.map((_, index) => index);
  for (let attempt = 0; pending.length > 0 && options.canContinue(); attempt++) {
    const started = performance.now();
    const reply = await options.sender.bulk(
      bulkBody(pending.map((index) => actions[index] as IndexAction)),
      options.requestSignal,
    );
    options.observer?.bulkDone((performance.now() - started) / 1000, reply.kind);
    const outcomes =
      reply.kind === 'items'
        ? classifyBulkItems(reply.items, pending.length)
        : failedOutcomes(pending.length, reply.status, reply.detail);
    const retry: number[] = [];
    let retryDetail = '';
    outcomes.forEach((outcome, position) => {
      const index = pending[position] as number;
      if (outcome.kind === 'ok') results[index] = { state: 'indexed' };
      else if (outcome.kind === 'reject')
        results[index] = { state: 'rejected', status: outcome.status, detail: outcome.detail };
      else {
        retry.push(index);
        retryDetail ||= outcome.detail;
      }
    });
    pending = retry;
    if (pending.length > 0 && options.canContinue()) {
      const wait = backoffDelay(attempt, options.backoff, options.random);
      options.observer?.retrying(pending.length, attempt + 1, retryDetail, wait);
      await sleep(wait, options.waitSignal);
    }
  }
  return results;
}
