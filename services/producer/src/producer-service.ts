import {
  ErrorCode,
  isWikistreamError,
  type Logger,
  type TopicSpec,
  WikistreamError,
} from '@wikistream/shared';
import { reconnectDelay } from './backoff.ts';
import type { IngestSettings } from './ingest.ts';
import type { KafkaPort } from './kafka-port.ts';
import type { ProducerMetrics } from './metrics.ts';
import { type Session, type SessionOptions, startSession } from './session.ts';
import { decideStart } from './start-position.ts';

/**
 * The producer as a long-lived component. Its run loop: create the topics, start the
 * transactional producer (fencing a killed predecessor), read the cursor, stream until stopped.
 * When Kafka fails, the upstream connection is dropped, nothing is kept in memory, and after a
 * back-off everything starts again from the cursor Kafka holds.
 */
export interface ProducerServiceOptions {
  readonly producerId: string;
  readonly since: number | undefined;
  /** Drop a stored cursor of another stream or topic (and record a gap) instead of refusing to start. */
  readonly resetCursor: boolean;
  readonly topicSpecs: readonly TopicSpec[];
  readonly settings: IngestSettings;
  readonly batchMaxMs: number;
  readonly upstream: SessionOptions['upstream'];
  readonly kafka: KafkaPort;
  readonly logger: Logger;
  readonly metrics: ProducerMetrics;
}

export interface ProducerService {
  readonly name: string;
  start(): Promise<void>;
  close(): Promise<void>;
  ready(): boolean;
  /** Rejects if the run loop dies of something other than Kafka being unavailable. */
  readonly crashed: Promise<never>;
}

export function createProducerService(options: ProducerServiceOptions): ProducerService {
  const { kafka, logger, metrics } = options;
  let stopping = false;
  let session: Session | undefined;
  let kafkaReady = false;
  let upstreamConnected = false;
  let wake: (() => void) | undefined;
  let running: Promise<void> | undefined;
  const crashed = Promise.withResolvers<never>();
  crashed.promise.catch(() => undefined);

  const setKafkaReady = (ready: boolean) => {
    kafkaReady = ready;
    metrics.kafkaReady.set(ready ? 1 : 0);
  };

  // A broker with a lower message size limit than ours refuses whole batches; retrying the same
  // batch would fail forever, so the next session's batches are half as large.
  let settings = options.settings;
  const shrinkBatches = () => {
    const batchMaxBytes = Math.max(64 * 1024, Math.floor(settings.batchMaxBytes / 2));
    settings = { ...settings, batchMaxBytes, batchSize: Math.max(1, Math.floor(settings.batchSize / 2)) };
    logger.error(
      { batchMaxBytes, batchSize: settings.batchSize },
      'batch refused as too large: halving batches',
    );
  };

  async function runOnce(): Promise<void> {
    await kafka.ensureTopics(options.topicSpecs);
    await kafka.connect();
    const stored = await kafka.readCursor(options.producerId);
    const { start, cursor } = decideStart(stored, {
      producerId: options.producerId,
      owner: options.settings.owner,
      since: options.since,
      reset: options.resetCursor,
    });
    if (cursor === 'reset')
      logger.warn({ detail: start.reset?.detail }, 'dropping the cursor of another configuration');
    if (cursor === 'adopted') logger.info("cursor without stream and topic: taken as this configuration's");
    if (options.resetCursor && (cursor === 'resumed' || cursor === 'adopted')) {
      logger.info("RESET_CURSOR is set, but the cursor is this configuration's: kept");
    }
    logger.info(
      { cursor: start.cursor?.sseId, since: start.since, unusable: start.unusableCursorAt !== undefined },
      'resuming',
    );
    setKafkaReady(true);
    if (stopping) return;
    session = startSession({
      ...options,
      settings,
      start,
      onConnected(connected) {
        upstreamConnected = connected;
        metrics.upstreamConnected.set(connected ? 1 : 0);
      },
    });
    await session.done;
  }

  async function run(): Promise<void> {
    let attempt = 0;
    while (!stopping) {
      try {
        await runOnce();
        attempt = 0;
      } catch (error) {
        if (!(error instanceof WikistreamError) || !error.retriable) throw error;
        if (stopping) break;
        if (error.details.tooLarge === true) shrinkBatches();
        setKafkaReady(false);
        metrics.kafkaFailures.inc();
        attempt++;
        const delay = reconnectDelay('network', attempt, { baseMs: 1000, maxMs: 10_000 });
        logger.warn(
          { err: error, retryInMs: delay },
          'Kafka unavailable: upstream dropped, resuming from the stored cursor later',
        );
        await kafka.reset();
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      } finally {
        session = undefined;
      }
    }
  }

  return {
    name: 'producer',
    async start() {
      running = run().catch((error: unknown) => {
        if (isWikistreamError(error, ErrorCode.CursorMismatch)) logger.fatal(error.details, error.message);
        else logger.fatal({ err: error }, 'producer crashed');
        crashed.reject(error);
      });
    },
    async close() {
      stopping = true;
      wake?.();
      const last = session;
      const drained = last
        ? await last.stop().then(
            () => true,
            () => false,
          )
        : true;
      await running;
      if (drained) {
        const { events, cursor } = last?.committed() ?? { events: 0, cursor: undefined };
        logger.info({ events, cursor }, 'stopped: the upstream is closed and the last batch committed');
      }
      await kafka.close();
      setKafkaReady(false);
    },
    // Ready = streaming: Kafka takes transactions, the upstream connection is open, and events
    // arrive on it. An open connection that only trickles bytes is not ready.
    ready: () => kafkaReady && upstreamConnected && session?.flowing() === true,
    crashed: crashed.promise,
  };
}
