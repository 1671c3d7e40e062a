import { deleteTopics, fixtureFiles, uniqueName } from '@wikistream/tools/testing';
import { onTestFinished } from 'vitest';
// The replay server is a tool of this repository, started in-process as the upstream.
import {
  type ReplayOptions,
  type ReplayServer,
  startReplayServer,
} from '../../../../tools/src/replay/index.ts';

export const PRODUCER_AGENT = 'wikistream-test/0.1.0 (https://github.com/wikistream/wikistream)';

export interface TestTopics {
  readonly data: string;
  readonly deadLetter: string;
  readonly cursor: string;
  readonly gaps: string;
  readonly producerId: string;
}

/** A family of topic names for one test; the producer creates them, the test deletes them. */
export function testTopics(brokers: string, prefix: string): TestTopics {
  const data = uniqueName(prefix);
  const topics = {
    data,
    deadLetter: `${data}.dlq`,
    cursor: `${data}.cursor`,
    gaps: `${data}.gaps`,
    producerId: `${data}-producer`,
  };
  onTestFinished(() => deleteTopics(brokers, [topics.data, topics.deadLetter, topics.cursor, topics.gaps]));
  return topics;
}

/** The environment of a producer writing to `topics` and reading from `upstream`. */
export function producerEnv(
  brokers: string,
  topics: TestTopics,
  upstream: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    KAFKA_BROKERS: brokers,
    KAFKA_TOPIC: topics.data,
    KAFKA_CURSOR_TOPIC: topics.cursor,
    KAFKA_GAPS_TOPIC: topics.gaps,
    KAFKA_PARTITIONS: '3',
    PRODUCER_ID: topics.producerId,
    EVENTSTREAMS_URL: upstream,
    USER_AGENT: PRODUCER_AGENT,
    RECONNECT_BASE_MS: '100',
    RECONNECT_MAX_MS: '2000',
    BATCH_MAX_MS: '100',
    ...extra,
  };
}

/** Recorded mixed-wiki events (a few hundred), for small and varied test streams. */
export function smallFixtures(): string[] {
  return fixtureFiles().filter((file) => /dataplumbhub|lakehouse|polars|batches_to_inspect/.test(file));
}

export async function replayServer(options: Partial<ReplayOptions>): Promise<ReplayServer> {
  const server = await startReplayServer({ files: smallFixtures(), ...options });
  onTestFinished(() => server.close());
  return server;
}
