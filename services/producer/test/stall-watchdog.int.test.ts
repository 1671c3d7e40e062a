import { waitFor } from '@wikistream/tools/testing';
import { describe, expect, inject, it } from 'vitest';
import { producerEnv, replayServer, testTopics } from './support/environment.ts';
import { spawnProducer } from './support/producer-process.ts';
import { committedCursorTimestamp, metaIds, readTopic } from './support/read-topic.ts';
import { startUpstreamProxy, type TrickleMode } from './support/upstream-proxy.ts';

const brokers = inject('kafkaBrokers');

describe('the stall watchdog', () => {
  it.each<[string, TrickleMode]>([
    ['a comment line', 'comment'],
    ['one more byte of an unfinished frame', 'partial'],
  ])(
    'drops a connection that sends %s every 200 ms but no event, is not ready meanwhile, and resumes from its cursor',
    async (_, mode) => {
      const stallTimeoutMs = 1500;
      // Canaries keep a finished log alive: they count as events, bytes do not.
      const server = await replayServer({
        pacing: { kind: 'rate', perSecond: 100 },
        loops: 1,
        canaryIntervalMs: 300,
      });
      const proxy = await startUpstreamProxy(server.url);
      const topics = testTopics(brokers, 'producer-trickle');
      const producer = spawnProducer(
        producerEnv(brokers, topics, proxy.url, {
          SINCE: String(Date.now() - 1000),
          STALL_TIMEOUT_MS: String(stallTimeoutMs),
        }),
      );
      const ops = `http://127.0.0.1:${await producer.metricsPort()}`;
      const readyz = async () => (await fetch(`${ops}/readyz`)).status;
      await waitFor(async () => (await readyz()) === 200, { message: 'ready while events flow' });
      const first = await waitFor(() =>
        proxy.requests.find((r) => r.frames >= 50 && r.closedAt === undefined),
      );

      proxy.trickle(mode);
      const trickledAt = Date.now();
      await waitFor(() => first.closedAt, {
        timeoutMs: 4 * stallTimeoutMs,
        message: 'the producer to drop the trickling connection',
      });
      const heldFor = (first.closedAt as number) - trickledAt;
      expect(heldFor).toBeGreaterThanOrEqual(stallTimeoutMs - 100);
      expect(heldFor).toBeLessThan(stallTimeoutMs + 1000);
      // Connected again, to an upstream that still trickles: open, bytes coming, and not ready.
      const second = await waitFor(() => proxy.requests.find((r) => r.at > (first.closedAt as number)));
      await waitFor(() => Date.now() - second.at > 500);
      expect(second.closedAt).toBeUndefined();
      expect(await readyz()).toBe(503);
      expect(
        await producer.metric('wikistream_producer_reconnects_total', { cause: 'stall' }),
      ).toBeGreaterThanOrEqual(1);

      proxy.trickle(undefined);
      await waitFor(() => server.log.exhausted);
      const end = server.log.timestamp(server.log.length - 1) + 1;
      await waitFor(async () => ((await committedCursorTimestamp(brokers, topics.cursor)) ?? 0) >= end, {
        timeoutMs: 60_000,
        intervalMs: 500,
        message: 'the producer to commit the whole log',
      });
      await waitFor(async () => (await readyz()) === 200, { message: 'ready again' });
      producer.kill('SIGTERM');
      expect(await producer.exited).toBe(0);

      // The first connection after the trickle resumed from the cursor: nothing lost, nothing twice.
      const resumed = proxy.requests.find((r) => r.at > trickledAt && r.frames > 0);
      expect(resumed?.lastEventId).toMatch(/^\[\{"topic":"eqiad/);
      const ids = metaIds(await readTopic(brokers, topics.data));
      expect(ids).toHaveLength(server.log.validIds().length);
      expect(new Set(ids)).toEqual(new Set(server.log.validIds()));
    },
  );
});
