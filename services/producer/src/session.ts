import { DeadLetterReason, encodeGap, HEADERS, type Logger } from '@wikistream/shared';
import { createCommitter } from './batch-committer.ts';
import type { Frame } from './classify-frame.ts';
import { encodeCursor } from './cursor-record.ts';
import { createIngest, type IngestSettings, type IngestStart, type SealedBatch } from './ingest.ts';
import type { KafkaPort } from './kafka-port.ts';
import type { ProducerMetrics } from './metrics.ts';
import { createUpstreamLoop, type UpstreamLoopOptions } from './upstream-loop.ts';

/**
 * One run of the pipeline between two Kafka failures: ingest state from the stored cursor,
 * upstream loop feeding it, committer writing its batches. Ends when stopped (after committing
 * what it has) or rejects when a transaction fails (after dropping the upstream connection).
 */
export interface SessionOptions {
  readonly settings: IngestSettings;
  readonly start: IngestStart;
  readonly kafka: KafkaPort;
  readonly logger: Logger;
  readonly metrics: ProducerMetrics;
  readonly batchMaxMs: number;
  readonly upstream: Pick<
    UpstreamLoopOptions,
    'url' | 'userAgent' | 'stallTimeoutMs' | 'backoff' | 'open' | 'random'
  >;
  readonly onConnected: (connected: boolean) => void;
}

export interface Session {
  /** Resolves when stopped and drained; rejects when Kafka failed. */
  readonly done: Promise<void>;
  stop(): Promise<void>;
  /** What this session has committed so far: events, and the SSE id of the last cursor. */
  committed(): { events: number; cursor: string | undefined };
  /** Events arrive: one did within STALL_TIMEOUT_MS (or reading is paused for back-pressure). */
  flowing(): boolean;
}

export function startSession(options: SessionOptions): Session {
  const { metrics, logger } = options;
  const ingest = createIngest(options.settings, options.start);
  metrics.setClock({
    lastEventTime: () => ingest.lastEventTime,
    lastCanaryTime: () => ingest.lastCanaryTime,
  });
  const committed = { events: 0, cursor: undefined as string | undefined };
  const commit = async (batch: SealedBatch) => {
    await commitBatch(options, batch);
    committed.events += batch.data.length;
    committed.cursor = batch.cursor?.sseId ?? committed.cursor;
  };
  const committer = createCommitter({
    ingest,
    batchMaxMs: options.batchMaxMs,
    commit,
    pause: () => loop.pause(),
    resume: () => loop.resume(),
  });
  const onFrame = (frame: Frame) => {
    const outcome = ingest.accept(frame);
    const kind = typeof outcome === 'string' ? outcome : outcome.kind;
    metrics.received.inc({ kind });
    if (kind === 'canary') metrics.canaries.inc();
    else if (kind === 'duplicate') metrics.duplicates.inc();
    else if (typeof outcome !== 'string' && outcome.kind === 'dead-letter') {
      // A hostile id can be megabytes long: the log gets its start.
      const context = {
        reason: outcome.reason,
        sseId: frame.id.slice(0, 300),
        detail: outcome.message.headers[HEADERS.detail],
      };
      if (outcome.reason === DeadLetterReason.Unexpected)
        logger.error(context, 'dead-lettering an event a processing step failed on');
      else logger.warn(context, 'dead-lettering an invalid event');
    }
    committer.onAccepted();
  };
  const loop = createUpstreamLoop({
    ...options.upstream,
    ingest,
    logger,
    onFrame,
    onBytes: (count) => metrics.upstreamBytes.inc(count),
    onConnected: options.onConnected,
    onDisconnect(end) {
      metrics.reconnects.inc({ cause: end.cause });
      if (end.cause !== 'redirect_refused') return;
      // Recorded at once, while nothing is read: the gap ledger shows the stop as it happens.
      const upstream = new URL(options.upstream.url).origin;
      ingest.redirectRefused(`${upstream} answered ${end.detail}; not followed`, Date.now());
      committer.onAccepted();
    },
  });
  let stopping = false;
  const reading = loop.run();
  const done = (async () => {
    try {
      await Promise.race([reading, committer.failed]);
      if (!stopping) throw new Error('the upstream loop ended unexpectedly');
      await committer.drain();
    } catch (error) {
      await loop.stop();
      throw error;
    }
  })();
  done.catch(() => undefined);
  return {
    done,
    async stop() {
      stopping = true;
      await loop.stop();
      await done;
    },
    committed: () => ({ ...committed }),
    flowing: () => loop.flowing(),
  };
}

async function commitBatch(options: SessionOptions, batch: SealedBatch): Promise<void> {
  const { metrics } = options;
  const started = performance.now();
  await options.kafka.commit({
    data: batch.data,
    deadLetters: batch.deadLetters,
    gaps: batch.gaps.map(encodeGap),
    cursor: batch.cursor ? encodeCursor(batch.cursor) : undefined,
  });
  metrics.batchSeconds.observe((performance.now() - started) / 1000);
  metrics.batchEvents.observe(batch.data.length + batch.deadLetters.length);
  metrics.produced.inc(batch.data.length);
  for (const [reason, count] of Object.entries(batch.deadLetterReasons))
    metrics.deadLettered.inc({ reason }, count);
  for (const gap of batch.gaps) {
    metrics.gaps.inc({ reason: gap.reason });
    options.logger.warn({ gap }, 'gap recorded: events between from and to were not received');
  }
}
