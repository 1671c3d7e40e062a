import { CURSOR_TOPIC, DEFAULTS, GAPS_TOPIC, topicsFor } from './contract.ts';

export interface TopicSpec {
  readonly topic: string;
  readonly numPartitions: number;
  readonly configEntries: readonly { name: string; value: string }[];
}

export interface TopicNames {
  readonly data: string;
  readonly deadLetter: string;
  readonly cursor: string;
  readonly gaps: string;
}

export function topicNames(dataTopic: string, overrides: Partial<TopicNames> = {}): TopicNames {
  const derived = topicsFor(dataTopic);
  return {
    data: derived.data,
    deadLetter: derived.deadLetter,
    cursor: CURSOR_TOPIC,
    gaps: GAPS_TOPIC,
    ...overrides,
  };
}

/**
 * Every topic the pipeline needs, with its settings. The producer and the indexer create what is
 * missing at start (idempotently); docker-compose's kafka-init creates the same set.
 */
export function topicSpecs(names: TopicNames, partitions: number = DEFAULTS.partitions): TopicSpec[] {
  const week = String(7 * 24 * 3600 * 1000);
  return [
    { topic: names.data, numPartitions: partitions, configEntries: [{ name: 'retention.ms', value: week }] },
    {
      topic: names.deadLetter,
      numPartitions: 1,
      configEntries: [{ name: 'retention.ms', value: String(30 * 24 * 3600 * 1000) }],
    },
    // One key per producer: only the newest cursor matters.
    { topic: names.cursor, numPartitions: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
    { topic: names.gaps, numPartitions: 1, configEntries: [{ name: 'retention.ms', value: '-1' }] },
  ];
}
