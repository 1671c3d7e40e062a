import { classifyEvent, type Logger, topicNames } from '@wikistream/shared';
import type { LiveHub } from '../live/live-hub.ts';
import type { DeadLetterLog } from '../pipeline/dead-letter-log.ts';
import { toSummary } from '../query/to-summary.ts';
import type { ConsumerHandle, KafkaPort, KafkaRecord } from './kafka-types.ts';

export type FeedState = 'starting' | 'live' | 'waiting' | 'closed';

export interface LiveFeed {
  readonly name: string;
  start(): Promise<void>;
  close(): Promise<void>;
  state(): FeedState;
  /** Topics the feed could not subscribe to because they do not exist (yet). */
  missingTopics(): string[];
  /** Resolves once the consumer reads (tests wait on it before producing). */
  ready(): Promise<void>;
}

export interface LiveFeedOptions {
  readonly kafka: KafkaPort;
  readonly hub: LiveHub;
  readonly deadLetters: DeadLetterLog;
  readonly logger: Logger;
  readonly dataTopic: string;
  readonly gapsTopic: string;
  /** Base consumer group id; each (re)start appends a generation so it starts fresh. */
  readonly groupId: string;
  readonly retryMs?: number;
}

/**
 * The api's one Kafka consumer: new events of the data topic (from the end) for the live hub, and
 * the DLQ and gap ledger (from the beginning) for the pipeline panel. It keeps trying while Kafka
 * or a topic is missing, and deletes its consumer group when it stops.
 */
export function createLiveFeed(options: LiveFeedOptions): LiveFeed {
  const topics = topicNames(options.dataTopic, { gaps: options.gapsTopic });
  const retryMs = options.retryMs ?? 5_000;
  let state: FeedState = 'starting';
  let missing: string[] = [];
  let handle: ConsumerHandle | undefined;
  let groupId: string | undefined;
  let generation = 0;
  let timer: NodeJS.Timeout | undefined;
  /** Restarts run one after another, never two at once. */
  let chain: Promise<void> = Promise.resolve();
  let markReady: () => void = () => undefined;
  const readyPromise = new Promise<void>((resolve) => {
    markReady = resolve;
  });

  const onRecords = (records: readonly KafkaRecord[]) => {
    const topic = records[0]?.topic;
    if (topic === topics.deadLetter) return options.deadLetters.addDeadLetters(records);
    if (topic === topics.gaps) return options.deadLetters.addGaps(records);
    for (const record of records) {
      const result = classifyEvent(record.value ?? '');
      if (result.ok && !result.canary) options.hub.publish(toSummary(result.event));
    }
  };

  const schedule = (ms: number) => {
    if (state === 'closed') return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      chain = chain.then(restart);
    }, ms);
    timer.unref();
  };

  async function stopConsumer(): Promise<void> {
    const [current, group] = [handle, groupId];
    handle = undefined;
    groupId = undefined;
    if (current) await current.stop().catch(() => undefined);
    if (group) await options.kafka.deleteGroup(group).catch(() => undefined);
  }

  async function connect(): Promise<void> {
    const wanted = [topics.data, topics.deadLetter, topics.gaps];
    const present = await options.kafka.existingTopics(wanted);
    missing = wanted.filter((topic) => !present.includes(topic));
    if (!present.includes(topics.data)) throw new Error(`topic ${topics.data} does not exist`);
    options.deadLetters.reset();
    groupId = `${options.groupId}-${++generation}`;
    handle = await options.kafka.runConsumer({
      groupId,
      subscriptions: present.map((topic) => ({ topic, fromBeginning: topic !== topics.data })),
      onRecords,
      onReady: () => {
        state = 'live';
        markReady();
      },
      onCrash: (error) => {
        options.logger.warn({ err: error }, 'live feed consumer crashed; restarting');
        state = 'waiting';
        schedule(retryMs);
      },
    });
    // A topic that appears later (the producer creates them) is picked up by a restart.
    if (missing.length > 0) schedule(retryMs * 6);
  }

  const closed = () => state === 'closed';

  async function restart(): Promise<void> {
    if (closed()) return;
    await stopConsumer();
    try {
      await connect();
      if (closed()) await stopConsumer();
    } catch (error) {
      if (closed()) return;
      state = 'waiting';
      options.logger.warn({ err: error, retryMs }, 'live feed unavailable; retrying');
      schedule(retryMs);
    }
  }

  return {
    name: 'live-feed',
    async start() {
      chain = chain.then(restart);
    },
    async close() {
      if (state === 'closed') return;
      state = 'closed';
      clearTimeout(timer);
      await stopConsumer();
    },
    state: () => state,
    missingTopics: () => [...missing],
    ready: () => readyPromise,
  };
}
