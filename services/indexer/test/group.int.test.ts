import { setTimeout as sleep } from 'node:timers/promises';
import { startTcpProxy, testElasticsearch, waitFor } from '@wikistream/tools/testing';
import { describe, expect, inject, it } from 'vitest';
import { loopedEvents } from './support/events.ts';
import { type IndexerProcess, spawnIndexer } from './support/indexer-process.ts';
import { committedOffsets, countDocuments, missingIds, produce, testPipeline } from './support/pipeline.ts';

const brokers = inject('kafkaBrokers');
const url = inject('elasticsearchUrl');

const indexerEnv = (pipeline: { topic: string; group: string; prefix: string }, elasticsearchUrl = url) => ({
  KAFKA_BROKERS: brokers,
  KAFKA_TOPIC: pipeline.topic,
  KAFKA_GROUP_ID: pipeline.group,
  ELASTICSEARCH_URL: elasticsearchUrl,
  ES_INDEX_PREFIX: pipeline.prefix,
  // A killed member's partitions wait for its session to expire: keep that short in tests.
  KAFKA_SESSION_TIMEOUT_MS: '8000',
  KAFKA_HEARTBEAT_INTERVAL_MS: '1000',
  KAFKA_REBALANCE_TIMEOUT_MS: '20000',
  ES_REQUEST_TIMEOUT_MS: '10000',
  BULK_CHUNK_SIZE: '250',
  BULK_RETRY_MAX_MS: '2000',
});

/** Stops a process with SIGTERM and returns its exit code and how long it took. */
async function terminate(indexer: IndexerProcess): Promise<{ code: number | null; ms: number }> {
  const started = Date.now();
  indexer.kill('SIGTERM');
  const { code } = await indexer.exited;
  return { code, ms: Date.now() - started };
}

/** Waits until the process has indexed something (so a kill lands in the middle of its work). */
async function busy(indexer: IndexerProcess): Promise<void> {
  await waitFor(async () => (await indexer.metric('wikistream_indexer_consumed_total')) > 0, {
    timeoutMs: 60_000,
    intervalMs: 50,
    message: 'the indexer indexing',
  });
}

/** Waits until the process owns partitions of the topic. */
async function assigned(indexer: IndexerProcess): Promise<void> {
  await waitFor(
    () =>
      indexer.logs.some(
        (entry) => entry.msg === 'partitions assigned' && (entry.partitions as number[]).length > 0,
      ),
    { timeoutMs: 60_000, message: 'partitions assigned to the restarted indexer' },
  );
}

/** Waits until every process owns partitions and together they own all six: a settled group. */
async function settled(indexers: readonly IndexerProcess[]): Promise<void> {
  const latest = (indexer: IndexerProcess) =>
    indexer.logs.findLast((entry) => entry.msg === 'partitions assigned')?.partitions as number[] | undefined;
  await waitFor(
    () => {
      const owned = indexers.map((indexer) => latest(indexer)?.length ?? 0);
      return owned.every((count) => count > 0) && owned.reduce((a, b) => a + b, 0) === 6;
    },
    { timeoutMs: 60_000, message: 'a settled group' },
  );
}

describe('a group of indexer processes', () => {
  it('indexes every event exactly once while one member is SIGKILLed twice and restarted', async () => {
    const pipeline = await testPipeline(brokers, url, 'idx-kill', 6);
    const records = loopedEvents(20_000, pipeline.topic);
    const ids = records.map((record) => record.id as string);
    const env = indexerEnv(pipeline);
    // The member that gets killed works in small chunks, so the kill lands in the middle of its work.
    const victimEnv = { ...env, BULK_CHUNK_SIZE: '50', KAFKA_PARTITIONS_CONCURRENTLY: '1' };
    const indexers = [spawnIndexer(env), spawnIndexer(env), spawnIndexer(victimEnv)];
    await settled(indexers);
    // Two partitions of six each: a third of the group's 10 bulks in flight, rounded up.
    await waitFor(
      async () =>
        (await Promise.all(indexers.map((indexer) => indexer.metric('wikistream_indexer_bulk_concurrency'))))
          .map(String)
          .join() === '4,4,4',
      { timeoutMs: 30_000, intervalMs: 200, message: 'each member taking its share of the bulks in flight' },
    );
    await produce(brokers, pipeline.topic, records.slice(0, 8_000));

    await busy(indexers[2] as IndexerProcess);
    indexers[2]?.kill('SIGKILL');
    indexers[2] = spawnIndexer(victimEnv);
    await assigned(indexers[2]);
    await produce(brokers, pipeline.topic, records.slice(8_000, 14_000));
    await busy(indexers[2]);
    indexers[2].kill('SIGKILL');
    await produce(brokers, pipeline.topic, records.slice(14_000));
    indexers[2] = spawnIndexer(victimEnv);

    await waitFor(async () => (await countDocuments(url, pipeline.prefix)) >= ids.length, {
      timeoutMs: 120_000,
      intervalMs: 1000,
      message: 'every event indexed',
    });
    expect(await countDocuments(url, pipeline.prefix)).toBe(new Set(ids).size);
    expect(await missingIds(url, pipeline.prefix, ids)).toEqual([]);
    for (const indexer of indexers)
      expect(await indexer.metric('wikistream_indexer_dead_lettered_total')).toBe(0);

    const stops = await Promise.all(indexers.map(terminate));
    for (const stop of stops) {
      expect(stop.code).toBe(0);
      expect(stop.ms).toBeLessThan(15_000);
    }
  }, 240_000);

  it('commits nothing unindexed while Elasticsearch is unreachable for 30 s, then catches up', async () => {
    const pipeline = await testPipeline(brokers, url, 'idx-outage', 6);
    const target = new URL(url);
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port) });
    const records = loopedEvents(20_000, pipeline.topic);
    const ids = records.map((record) => record.id as string);
    const env = indexerEnv(pipeline, proxy.url);
    const indexers = [spawnIndexer(env), spawnIndexer(env), spawnIndexer(env)];
    await settled(indexers);
    await produce(brokers, pipeline.topic, records.slice(0, 10_000));
    await Promise.all(indexers.map(busy));

    await proxy.cut();
    const cutAt = Date.now();
    await produce(brokers, pipeline.topic, records.slice(10_000));
    let checks = 0;
    while (Date.now() - cutAt < 30_000) {
      await expectCommittedIsIndexed(pipeline);
      checks++;
      await sleep(2000);
    }
    expect(checks).toBeGreaterThan(5);
    // Alive, but not ready while Elasticsearch does not answer.
    expect(await Promise.all(indexers.map((indexer) => indexer.status('/healthz')))).toEqual([200, 200, 200]);
    expect(await Promise.all(indexers.map((indexer) => indexer.status('/readyz')))).toEqual([503, 503, 503]);
    // Still down: a member told to stop leaves within the deadline, committing only what is indexed.
    const stop = await terminate(indexers[0] as IndexerProcess);
    expect(stop).toMatchObject({ code: 0 });
    expect(stop.ms).toBeLessThan(15_000);
    await expectCommittedIsIndexed(pipeline);
    const retried = await Promise.all(
      indexers.slice(1).map((indexer) => indexer.metric('wikistream_indexer_retried_total')),
    );
    expect(retried.some((count) => count > 0)).toBe(true);
    await proxy.restore();

    await waitFor(async () => (await countDocuments(url, pipeline.prefix)) >= ids.length, {
      timeoutMs: 120_000,
      intervalMs: 1000,
      message: 'every event indexed after the outage',
    });
    expect(await countDocuments(url, pipeline.prefix)).toBe(new Set(ids).size);
    expect(await missingIds(url, pipeline.prefix, ids)).toEqual([]);
    for (const indexer of indexers.slice(1)) expect(await indexer.status('/readyz')).toBe(200);
    await Promise.all(indexers.slice(1).map(terminate));
  }, 240_000);
});

/**
 * Every message below a committed offset must be in Elasticsearch. Every test record is valid and
 * has its own id, so partition p committed at C means exactly C documents with kafka_offset < C.
 */
async function expectCommittedIsIndexed(pipeline: {
  topic: string;
  group: string;
  prefix: string;
}): Promise<void> {
  const committed = await committedOffsets(brokers, pipeline.group, pipeline.topic);
  const client = testElasticsearch(url);
  try {
    for (const [partition, offset] of committed) {
      if (offset <= 0) continue;
      const indexed = await countDocuments(url, pipeline.prefix, {
        bool: {
          filter: [
            { term: { 'pipeline.kafka_partition': partition } },
            { range: { 'pipeline.kafka_offset': { lt: offset } } },
          ],
        },
      });
      expect({ partition, indexed }).toEqual({ partition, indexed: offset });
    }
  } finally {
    await client.close();
  }
}
