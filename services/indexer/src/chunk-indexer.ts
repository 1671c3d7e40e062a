import { DeadLetterReason, type Logger } from '@wikistream/shared';
import type { BackoffOptions } from './backoff.ts';
import type { ConsumerBatch, InboundMessage } from './consumer-batch.ts';
import type { DeadLetterSink, Failure } from './dead-letter-sink.ts';
import type { DriftCounter } from './drift-counter.ts';
import { type EventTimeLimits, eventTimeWindow } from './event-time-window.ts';
import { type ActionResult, type BulkSender, indexActions } from './index-actions.ts';
import type { IndexerMetrics } from './metrics.ts';
import { type HandledState, handledPrefixLength } from './offsets.ts';
import { type PreparedMessage, prepareOrDeadLetter } from './prepare-message.ts';

export interface ChunkIndexerOptions {
  readonly indexPrefix: string;
  readonly backoff: BackoffOptions;
  readonly sender: BulkSender;
  readonly deadLetters: DeadLetterSink;
  readonly metrics: IndexerMetrics;
  readonly logger: Logger;
  /** Aborts the bulk in flight (shutdown deadline). */
  readonly abandon: AbortSignal;
  /** How far `meta.dt` may lie from `now()`; events outside are dead-lettered (`time_out_of_range`). */
  readonly eventTimes: EventTimeLimits;
  /** Counts schema versions and unknown fields of the events handled. */
  readonly drift?: Pick<DriftCounter, 'record'>;
  readonly now?: () => number;
}

/** Where a chunk came from, and whether its work still counts. */
export interface ChunkContext {
  readonly batch: ConsumerBatch;
  readonly messages: readonly InboundMessage[];
  /** Checked before every bulk attempt: false once the indexer stops or the chunk was dropped. */
  readonly canContinue: () => boolean;
  /** Cuts a back-off wait short. */
  readonly waitSignal: AbortSignal;
}

/**
 * One chunk of a batch: classify and transform each message, one `_bulk`, retry what was refused for
 * transient reasons, then dead-letter what failed within the leading run of handled messages
 * (acknowledged by Kafka before the caller commits). A message whose preparation throws is
 * dead-lettered too (`unexpected_error`), never allowed to fail the chunk. Returns how many leading
 * messages are handled: all of them, unless the retries had to stop. Throws when the dead letters
 * cannot be written.
 */
export async function indexChunk(chunk: ChunkContext, options: ChunkIndexerOptions): Promise<number> {
  const { batch, messages } = chunk;
  const now = options.now ?? Date.now;
  const indexedAt = now();
  const context = {
    partition: batch.partition,
    indexPrefix: options.indexPrefix,
    indexedAt,
    eventTimes: eventTimeWindow(indexedAt, options.eventTimes),
  };
  const prepared = messages.map((message) => prepareOrDeadLetter(message, context));
  options.metrics.consumed.inc(messages.length);
  const toIndex = prepared.filter((entry) => entry.kind === 'index');
  const results = await indexActions(
    toIndex.map((entry) => entry.action),
    {
      sender: options.sender,
      backoff: options.backoff,
      canContinue: chunk.canContinue,
      waitSignal: chunk.waitSignal,
      requestSignal: options.abandon,
      observer: bulkObserver(batch, options),
    },
  );
  const finished = now();
  observeIndexed(toIndex, results, options, finished);
  const { states, failures } = mergeResults(messages, prepared, results);
  const handled = handledPrefixLength(states);
  countDrift(prepared, handled, options, finished);
  const letters = failures.filter((failure) => failure.position < handled);
  await options.deadLetters.send(batch, letters);
  for (const letter of letters) options.metrics.deadLettered.inc({ reason: letter.reason });
  logRejections(batch, letters, options.logger);
  options.metrics.skipped.inc(
    { reason: 'canary' },
    prepared.slice(0, handled).filter((entry) => entry.kind === 'skip').length,
  );
  options.logger.debug(
    { partition: batch.partition, messages: messages.length, handled, documents: toIndex.length },
    'chunk handled',
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
      failures.push({ message, reason: entry.reason, detail: entry.detail, error: entry.error, position });
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

/**
 * Schema drift of the events handled: only the leading run that will be committed, so a chunk that
 * stopped part-way counts again only what is read again. Counting must never fail a chunk.
 */
function countDrift(
  prepared: readonly PreparedMessage[],
  handled: number,
  options: ChunkIndexerOptions,
  at: number,
): void {
  const drift = options.drift;
  if (drift === undefined) return;
  try {
    for (let i = 0; i < handled; i++) {
      const entry = prepared[i] as PreparedMessage;
      if (entry.kind === 'index') drift.record(entry.schema, entry.unknownFields, at);
    }
  } catch (error) {
    options.logger.error({ err: error }, 'schema drift not counted for a chunk');
  }
}

function observeIndexed(
  entries: readonly PreparedMessage[],
  results: readonly ActionResult[],
  options: ChunkIndexerOptions,
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

function bulkObserver(batch: ConsumerBatch, options: ChunkIndexerOptions) {
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
    const fields = {
      partition: batch.partition,
      offset: letter.message.offset,
      reason: letter.reason,
      detail: letter.detail,
    };
    // A bug, not bad input: the stack is what someone needs to fix it.
    if (letter.error !== undefined) logger.error({ ...fields, err: letter.error }, 'dead-lettered');
    else logger.warn(fields, 'dead-lettered');
  }
}
