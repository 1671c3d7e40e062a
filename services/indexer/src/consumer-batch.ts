/**
 * What the Kafka port hands to the indexing core: plain values and the few controls a batch needs.
 * Keeps kafkajs out of everything but kafka.ts.
 */
export interface InboundMessage {
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Readonly<Record<string, string>>;
}

export interface ConsumerBatch {
  readonly topic: string;
  readonly partition: number;
  readonly highWatermark: string;
  /** The batch's last offset, counting records the consumer filters out (transaction markers). */
  readonly lastOffset: string;
  readonly messages: readonly InboundMessage[];
  /** Marks this message and all before it as handled (to be committed). */
  resolveOffset(offset: string): void;
  /** Commits every resolved offset now. */
  commit(): Promise<void>;
  /** Tells the group coordinator this member is alive; throws when the group is rebalancing. */
  heartbeat(): Promise<void>;
  /** False once the consumer is stopping. */
  isRunning(): boolean;
  /** True when the batch's position was moved (a seek) and its messages must not be resolved. */
  isStale(): boolean;
}

export type BatchHandler = (batch: ConsumerBatch) => Promise<void>;
