/** The Kafka records and operations the api needs, as plain types (kafka-port.ts implements them). */
export type RecordHeaders = Record<string, Buffer | string | (Buffer | string)[] | undefined>;

export interface KafkaRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: RecordHeaders;
}

export interface PartitionOffsets {
  readonly partition: number;
  readonly low: string;
  readonly high: string;
}

export interface ConsumerOptions {
  readonly groupId: string;
  readonly subscriptions: readonly { topic: string; fromBeginning: boolean }[];
  onRecords(records: readonly KafkaRecord[]): void;
  /** Called once the consumer has joined and resolved its start offsets. */
  onReady?(): void;
  /** Called when the consumer stopped on an error it will not recover from by itself. */
  onCrash?(error: unknown): void;
}

export interface ConsumerHandle {
  stop(): Promise<void>;
}

export interface OutgoingRecord {
  readonly key: Buffer | null;
  readonly value: Buffer;
  readonly headers: Record<string, string>;
}

export interface GroupMembers {
  readonly state: string;
  readonly members: readonly { memberId: string; host: string; partitions: number[] }[];
}

/** The one door to Kafka. */
export interface KafkaPort {
  ping(): Promise<boolean>;
  existingTopics(topics: readonly string[]): Promise<string[]>;
  endOffsets(topic: string): Promise<PartitionOffsets[]>;
  /** Committed offsets of a group for a topic, per partition; -1 where nothing is committed. */
  groupOffsets(groupId: string, topic: string): Promise<{ partition: number; offset: string }[]>;
  /** A group's state and members, with the partitions of `topic` each one is assigned. */
  groupMembers(groupId: string, topic: string): Promise<GroupMembers>;
  runConsumer(options: ConsumerOptions): Promise<ConsumerHandle>;
  /** Reads up to `limit` records of one partition from `fromOffset` up to the current end. */
  readPartition(topic: string, partition: number, fromOffset: string, limit: number): Promise<KafkaRecord[]>;
  produce(topic: string, records: readonly OutgoingRecord[]): Promise<void>;
  deleteGroup(groupId: string): Promise<void>;
  close(): Promise<void>;
}
