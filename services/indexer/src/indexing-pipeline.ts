import { type ChunkIndexerOptions, indexChunk } from './chunk-indexer.ts';
import { chunkMessages } from './chunk-messages.ts';
import { type ChunkEnd, createCommitLedger, type LedgerStep } from './commit-ledger.ts';
import type { BatchHandler, ConsumerBatch, InboundMessage } from './consumer-batch.ts';
import { createOffsetCommitter, type PartitionOffset } from './offset-committer.ts';

export interface IndexingPipelineOptions extends ChunkIndexerOptions {
  readonly topic: string;
  readonly chunkSize: number;
  readonly chunkBytes: number;
  /** Bulks in flight at once, over all partitions (until `setConcurrency`). */
  readonly concurrency: number;
  readonly heartbeatIntervalMs: number;
  /** Aborts when the indexer starts stopping: no new chunks, no more retries. */
  readonly stopping: AbortSignal;
  /** Commits next-to-read offsets in the group's current generation. */
  readonly commit: (offsets: readonly PartitionOffset[]) => Promise<void>;
  /** Makes the consumer read a partition again from an offset. */
  readonly rewind: (partition: number, offset: string) => void;
  readonly commitRetryMs?: number;
}

export interface IndexingPipeline {
  /** The consumer's batch handler (kafkajs `eachBatch`). */
  readonly handle: BatchHandler;
  /** A batch that held only transaction markers: its offsets are committed in turn. */
  markersOnly(partition: number, lastOffset: string, highWatermark: string): void;
  /** The group has a new generation: work of the old one stops and is never committed. */
  newGeneration(): void;
  /** Resolves when no chunk is in flight and every offset that may be committed was. */
  drain(): Promise<void>;
  /** From now on at most `limit` bulks in flight (those above it finish; no new one starts until below). */
  setConcurrency(limit: number): void;
}

const after = (offset: string) => (BigInt(offset) + 1n).toString();

/**
 * The indexer's consumption loop. A batch is cut into chunks; each chunk's bulk starts as soon as
 * fewer than `concurrency` are in flight, and its offsets are resolved at once, which only moves the
 * consumer's fetch position, so the next fetch overlaps the bulks instead of waiting for them (the
 * consumer never commits by itself). Offsets are committed only through the ledger: past a chunk
 * once it and every chunk fetched before it in its partition are indexed or dead-lettered. A chunk
 * that stops part-way (an error, or a retry cut short) has its partition read again from its first
 * unhandled message. While waiting for room the loop heartbeats, so a slow or absent Elasticsearch
 * pauses fetching without losing the group membership.
 */
export function createIndexingPipeline(options: IndexingPipelineOptions): IndexingPipeline {
  const ledger = createCommitLedger();
  const committer = createOffsetCommitter({
    commit: options.commit,
    onCommitted: (offsets) => {
      options.metrics.commits.inc();
      for (const { partition, offset, highWatermark } of offsets) {
        const lag = Math.max(0, Number(highWatermark) - Number(offset));
        options.metrics.lag.set({ topic: options.topic, partition: String(partition) }, lag);
      }
    },
    retryMs: options.commitRetryMs ?? 1_000,
    abandon: options.abandon,
    logger: options.logger,
  });
  const inFlight = new Set<Promise<void>>();
  let concurrency = options.concurrency;
  options.metrics.bulkConcurrency.set(concurrency);
  /**
   * Aborted when the group generation ends or the indexer stops: a batch of an ended generation
   * starts no chunk, and the chunks' back-off waits are cut short.
   */
  let generationEnded = new AbortController();
  options.stopping.addEventListener('abort', () => generationEnded.abort(), { once: true });

  const apply = (partition: number, step: LedgerStep, highWatermark: string) => {
    if (step.commit !== undefined) committer.commit(partition, step.commit, highWatermark);
    if (step.rewind === undefined || options.stopping.aborted) return;
    options.logger.warn(
      { partition, offset: step.rewind },
      'reading the partition again from a chunk that stopped',
    );
    try {
      options.rewind(partition, step.rewind);
    } catch (error) {
      // The ledger accepts no chunk of this partition until one starts at the rewind offset, so
      // nothing past the gap is committed; a new generation reads from the last commit.
      options.logger.error({ err: error, partition }, 'could not read the partition again');
    }
  };

  /** False when the ledger refuses the chunk (its partition is to be read again from elsewhere). */
  const launch = (batch: ConsumerBatch, messages: readonly InboundMessage[], commit: string): boolean => {
    const { partition } = batch;
    const first = (messages[0] as InboundMessage).offset;
    const id = ledger.add(partition, first, commit);
    if (id === undefined) return false;
    const task = indexChunk(
      {
        batch,
        messages,
        canContinue: () => !options.stopping.aborted && ledger.holds(partition, id),
        waitSignal: generationEnded.signal,
      },
      options,
    )
      .then(
        (handled): ChunkEnd =>
          handled === messages.length
            ? { kind: 'done' }
            : { kind: 'stopped', resume: (messages[handled] as InboundMessage).offset },
        (error: unknown): ChunkEnd => {
          options.logger.error({ err: error, partition, offset: first }, 'chunk failed');
          return { kind: 'stopped', resume: first };
        },
      )
      .then((end) => {
        inFlight.delete(task);
        apply(partition, ledger.finish(partition, id, end), batch.highWatermark);
      });
    inFlight.add(task);
    return true;
  };

  const drain = async () => {
    while (inFlight.size > 0) await Promise.all(inFlight);
    await committer.idle();
  };

  const handle: BatchHandler = async (batch) => {
    const ended = generationEnded.signal;
    const active = () => batch.isRunning() && !batch.isStale() && !ended.aborted;
    const chunks = chunkMessages(batch.messages, options.chunkSize, options.chunkBytes);
    for (const [position, messages] of chunks.entries()) {
      while (active() && inFlight.size >= concurrency) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          ...inFlight,
          new Promise((resolve) => {
            timer = setTimeout(resolve, options.heartbeatIntervalMs);
          }),
        ]);
        clearTimeout(timer);
        // Throws when the group rebalances: the consumer re-joins and a new generation begins.
        if (active()) await batch.heartbeat();
      }
      if (!active()) break;
      const last = (messages.at(-1) as InboundMessage).offset;
      // The batch's last offset may lie past its last message (transaction markers).
      if (!launch(batch, messages, after(position === chunks.length - 1 ? batch.lastOffset : last))) break;
      batch.resolveOffset(last);
    }
    // Parks the fetch loop while stopping instead of letting it fetch what will not be handled.
    if (options.stopping.aborted) await drain();
  };

  return {
    handle,
    markersOnly(partition, lastOffset, highWatermark) {
      apply(partition, ledger.skip(partition, after(lastOffset)), highWatermark);
    },
    newGeneration() {
      generationEnded.abort();
      generationEnded = new AbortController();
      if (options.stopping.aborted) generationEnded.abort();
      ledger.reset();
      committer.newGeneration();
    },
    drain,
    setConcurrency(limit) {
      concurrency = Math.max(1, limit);
      options.metrics.bulkConcurrency.set(concurrency);
    },
  };
}
