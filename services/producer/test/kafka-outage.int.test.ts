import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { type PrivateEngine, startPrivateKafka, waitFor } from '@wikistream/tools/testing';
import { describe, expect, it } from 'vitest';
import { producerEnv, replayServer, testTopics } from './support/environment.ts';
import { spawnProducer } from './support/producer-process.ts';
import { committedCursorTimestamp, metaIds, readTopic } from './support/read-topic.ts';

const OUTAGE_MS = 30_000;

function rssBytes(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(line?.replace(/\D+/g, '') ?? 0) * 1024;
}

/**
 * startPrivateKafka takes its broker and controller ports from two freePort() calls, which can
 * return the same port; the broker then refuses to format its storage. Try again in that case.
 */
async function privateKafka(attempts = 3): Promise<PrivateEngine> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startPrivateKafka();
    } catch (error) {
      if (attempt >= attempts || !String(error).includes('two listeners on the same port')) throw error;
    }
  }
}

describe('the producer during a Kafka outage', () => {
  it('drops the upstream while Kafka is down for 30 s, keeps its memory bounded and loses nothing', {
    timeout: 300_000,
  }, async () => {
    const kafka = await privateKafka();
    // About 20 s of events: most of them are sent while Kafka is away.
    const server = await replayServer({ pacing: { kind: 'rate', perSecond: 300 }, loops: 15 });
    const topics = testTopics(kafka.url, 'producer-outage');
    const producer = spawnProducer(
      producerEnv(kafka.url, topics, server.url, { SINCE: String(Date.now() - 1000) }),
    );
    await waitFor(async () => (await producer.metric('wikistream_producer_events_produced_total')) > 300, {
      timeoutMs: 60_000,
    });
    const before = rssBytes(producer.pid);

    await kafka.stop();
    const outageEnds = Date.now() + OUTAGE_MS;
    let peak = 0;
    let disconnectedMs = 0;
    while (Date.now() < outageEnds) {
      peak = Math.max(peak, rssBytes(producer.pid));
      if (server.stats().openConnections === 0) disconnectedMs += 250;
      await sleep(250);
    }
    const facts = `disconnected ${disconnectedMs} ms, RSS ${before} → peak ${peak}`;
    expect((await fetch(`http://127.0.0.1:${await producer.metricsPort()}/readyz`)).status, facts).toBe(503);
    // It notices within a few retries, then stays away from the upstream until Kafka is back.
    expect(disconnectedMs, facts).toBeGreaterThan(OUTAGE_MS / 3);
    await kafka.start();

    await waitFor(() => server.log.exhausted, { timeoutMs: 60_000 });
    const end = server.log.timestamp(server.log.length - 1) + 1;
    await waitFor(async () => (await committedCursorTimestamp(kafka.url, topics.cursor)) === end, {
      timeoutMs: 120_000,
      intervalMs: 1000,
      message: 'the producer to commit the whole log after the outage',
    });
    expect(await producer.metric('wikistream_producer_kafka_failures_total')).toBeGreaterThan(0);
    // A broker that is gone is a real failure: it is logged at error level, unlike routine retries.
    expect(producer.logs.some((line) => Number(line.level) >= 50)).toBe(true);
    producer.kill('SIGTERM');
    expect(await producer.exited).toBe(0);

    const ids = metaIds(await readTopic(kafka.url, topics.data, 60_000));
    expect(ids).toHaveLength(server.log.validIds().length);
    expect(new Set(ids)).toEqual(new Set(server.log.validIds()));
    // Nothing piles up while Kafka is away: the producer is not reading.
    expect(peak - before, facts).toBeLessThan(64 * 1024 * 1024);
    expect(peak, facts).toBeLessThan(256 * 1024 * 1024);
  });
});
