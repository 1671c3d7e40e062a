import type { KafkaPort } from '../kafka/kafka-types.ts';

/**
 * The rate events enter Kafka: the data topic's end offsets, sampled now and then; the rate is
 * the growth between the oldest sample inside the window and the newest.
 */
export interface OffsetSampler {
  readonly name: string;
  start(): Promise<void>;
  close(): Promise<void>;
  /** Takes a sample now (also called by the timer). */
  sample(): Promise<void>;
  /** Events per second into the topic, or undefined before two samples exist. */
  rate(): number | undefined;
}

export function createOffsetSampler(options: {
  kafka: KafkaPort;
  topic: string;
  clock: () => number;
  intervalMs: number;
  windowMs: number;
}): OffsetSampler {
  const samples: { at: number; total: bigint }[] = [];
  let timer: NodeJS.Timeout | undefined;

  async function sample(): Promise<void> {
    // Asking for the offsets of a missing topic makes the client log errors; ask first.
    if ((await options.kafka.existingTopics([options.topic])).length === 0) return;
    const offsets = await options.kafka.endOffsets(options.topic);
    const total = offsets.reduce((sum, { high }) => sum + BigInt(high), 0n);
    const at = options.clock();
    samples.push({ at, total });
    while (samples.length > 2 && (samples[1]?.at ?? at) <= at - options.windowMs) samples.shift();
  }

  return {
    name: 'offset-sampler',
    async start() {
      await sample().catch(() => undefined);
      timer = setInterval(() => void sample().catch(() => undefined), options.intervalMs);
      timer.unref();
    },
    async close() {
      clearInterval(timer);
    },
    sample,
    rate() {
      const first = samples[0];
      const last = samples.at(-1);
      if (!first || !last || last.at <= first.at) return undefined;
      return Number(last.total - first.total) / ((last.at - first.at) / 1000);
    },
  };
}
