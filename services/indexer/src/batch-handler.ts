import { DeadLetterReason, type Logger } from '@wikistream/shared';
import type { BackoffOptions } from './backoff.ts';
import { chunkMessages } from './chunk-messages.ts';
import type { BatchHandler, ConsumerBatch, InboundMessage } from './consumer-batch.ts';
import type { DeadLetterSink, Failure } from './dead-letter-sink.ts';
import { type ActionResult, type BulkSender, indexActions } from './index-actions.ts';
import type { IndexerMetrics } from './metrics.ts';
import { type HandledState, handledPrefixLength } from './offsets.ts';
import { type PreparedMessage, prepareMessage } from './prepare-message.ts';

export interface BatchHandlerOptions {
  readonly indexPrefix: string;
  readonly chunkSize: number;
  readonly chunkBytes: number;
  readonly heartbeatIntervalMs: number;
  readonly backoff: BackoffOptions;
  readonly sender: BulkSender;
  readonly deadLetters: DeadLetterSink;
  readonly metrics: IndexerMetrics;
  readonly logger: Logger;
  /** Aborts when the indexer starts stopping: no new bulk attempts, no more waiting. */
  readonly stopping: AbortSignal;
  /** Aborts when the bulk in flight must be abandoned (shutdown deadline). */
  readonly abandon: AbortSignal;
  readonly now?: () => number;
}

interface Guard {
  readonly lost: AbortSignal;
  canContinue(): boolean;
}

const isActive = (batch: ConsumerBatch, options: BatchHandlerOptions) =>
  batch.isRunning() && !batch.isStale() && !options.stopping.aborted;

/**
 * The heart of the indexer. Per chunk of a batch: classify and transform, one `_bulk`, retry what
 * was refused for transient reasons, dead-letter what was rejected, then resolve and commit only
 * the leading run of handled messages. Heartbeats keep the membership alive during long bulks
 * and retries; when the group rebalances, the consumer stops or the batch goes stale, the loop
 * stops and nothing past the last handled message is resolved.
 */
export function createBatchHandler(options: BatchHandlerOptions): BatchHandler {
  return async (batch) => {
    for (const chunk of chunkMessages(batch.messages, options.chunkSize, options.chunkBytes)) {
      if (!isActive(batch, options)) return;
      const complete = await withHeartbeats(batch, options, (guard) =>
        handleChunk(batch, chunk, options, guard),
      );
      if (!complete) return;
      await batch.heartbeat();
    }
  };
}

async function withHeartbeats<T>(
  batch: ConsumerBatch,
  options: BatchHandlerOptions,
  work: (guard: Guard) => Promise<T>,
): Promise<T> {
  const lost = new AbortController();
  let failure: unknown;
  let beating = false;
  const timer = setInterval(() => {
    if (beating) return;
    beating = true;
    batch
      .heartbeat()
      .catch((error: unknown) => {
        failure ??= error;
        lost.abort();
      })
      .finally(() => {
        beating = false;
      });
  }, options.heartbeatIntervalMs);
  try {
    const result = await work({
      lost: lost.signal,
      canContinue: () => !lost.signal.aborted && isActive(batch, options),
    });
    // Rethrown so the consumer re-joins the group; what was handled is resolved already.
    if (failure !== undefined) throw failure;
    return result;
  } finally {
    clearInterval(timer);
  }
}

async function handleChunk(
  batch: ConsumerBatch,
  chunk: readonly InboundMessage[],
  options: BatchHandlerOptions,
  guard: Guard,
): Promise<boolean> {
  const now = options.now ?? Date.now;
  const context = { partition: batch.partition, indexPrefix: options.indexPrefix, indexedAt: now() };
  const prepared = chunk.map((message) => prepareMessage(message, context));
  options.metrics.consumed.inc(chunk.length);
  const toIndex = prepared.filter((entry) => entry.kind === 'index');
  const results = await indexActions(
    toIndex.map((entry) => entry.action),
    {
      sender: options.sender,
      backoff: options.backoff,
      canContinue: guard.canContinue,
      waitSignal: AbortSignal.any([guard.lost, options.stopping]),
      requestSignal: options.abandon,
      observer: bulkObserver(batch, options),
    },
  );
  observeIndexed(toIndex, results, options, now());
  const handled = await settle(batch, mergeResults(chunk, prepared, results), options);
  options.metrics.skipped.inc(
    { reason: 'canary' },
    prepared.slice(0, handled).filter((p) => p.kind === 'skip').length,
  );
  options.logger.debug(
    { partition: batch.partition, messages: chunk.length, handled, documents: toIndex.length },
    'chunk handled',
  );
  if (handled < chunk.length) {
    options.logger.info(
      { partition: batch.partition, handled, unhandled: chunk.length - handled },
      'stopped inside a chunk; the rest is left uncommitted for redelivery',
    );
  }
  return handled === chunk.length;
}

/**
 * Dead-letters what failed within the leading run of handled messages (acknowledged by Kafka
 * first), then resolves and commits that run. Returns its length.
 */
async function settle(
  batch: ConsumerBatch,
  { states, failures }: { states: HandledState[]; failures: (Failure & { position: number })[] },
  options: BatchHandlerOptions,
): Promise<number> {
  const { metrics } = options;
  const handled = handledPrefixLength(states);
  const letters = failures.filter((failure) => failure.position < handled);
  await options.deadLetters.send(batch, letters);
  for (const letter of letters) metrics.deadLettered.inc({ reason: letter.reason });
  logRejections(batch, letters, options.logger);
  if (handled === 0) return 0;
  const last = (states[handled - 1] as HandledState).offset;
  batch.resolveOffset(last);
  await batch.commit();
  metrics.commits.inc();
  metrics.lag.set(
    { topic: batch.topic, partition: String(batch.partition) },
    Math.max(0, Number(batch.highWatermark) - Number(last) - 1),
  );
  return handled;
}

function mergeResults(
  chunk: readonly InboundMessage[],
  prepared: readonly PreparedMessage[],
  results: readonly ActionResult[],
): { states: HandledState[]; failures: (Failure & { position: number })[] } {
  const states: HandledState[] = [];
  const failures: (Failure & { position: number })[] = [];
  let next = 0;
  prepared.forEach((entry, position) => {
    const message = chunk[position] as InboundMessage;
    if (entry.kind === 'dead')
      failures.push({ message, reason: entry.reason, detail: entry.detail, position });
    if (entry.kind !== 'index') {
      states.push({ offset: entry.offset, done: true });
      return;
    }
    const result = results[next++] ?? { state: 'pending' };
    if (result.state === 'rejected') {
      const detail = `status ${result.status}: ${result.detail}`;
      failures.push({ message, reason: DeadLetterReason.ElasticsearchRejected, detail, position });
    }
    states.push({ offset: entry.offset, done: result.state !== 'pending' });
  });
  return { states, failures };
}

function observeIndexed(
  entries: readonly PreparedMessage[],
  results: readonly ActionResult[],
  options: BatchHandlerOptions,
  now: number,
): void {
  let indexed = 0;
  // Children bound once: observing through label objects costs a hash per call, per document.
  const sinceEvent = options.metrics.endToEnd.labels('event');
  const sinceReceived = options.metrics.endToEnd.labels('received');
  entries.forEach((entry, position) => {
    if (entry.kind !== 'index' || results[position]?.state !== 'indexed') return;
    indexed++;
    sinceEvent.observe(Math.max(0, now - entry.eventTime) / 1000);
    if (entry.receivedAt !== undefined) sinceReceived.observe(Math.max(0, now - entry.receivedAt) / 1000);
  });
  options.metrics.indexed.inc(indexed);
  if (indexed > 0) options.metrics.lastIndexed.set(now / 1000);
}

function bulkObserver(batch: ConsumerBatch, options: BatchHandlerOptions) {
  return {
    bulkDone(seconds: number, outcome: 'items' | 'failed') {
      options.metrics.bulkDuration.observe({ outcome }, seconds);
    },
    retrying(count: number, attempt: number, detail: string, delayMs: number) {
      options.metrics.retried.inc(count);
      if (attempt === 1 || attempt % 10 === 0) {
        options.logger.warn(
          { partition: batch.partition, count, attempt, delayMs, detail },
          'retrying bulk items',
        );
      }
    },
  };
}

function logRejections(batch: ConsumerBatch, letters: readonly Failure[], logger: Logger): void {
  for (const letter of letters) {
    logger.warn(
      {
        partition: batch.partition,
        offset: letter.message.offset,
        reason: letter.reason,
        detail: letter.detail,
      },
      'dead-lettered',
    );
  }
}
